import KafkaProtocol

/// Everything the client can throw: each case says what failed, where, and (through
/// `description`) what to do about it.
public enum KafkaClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No bootstrap broker answered.
    case noBrokersReachable(addresses: [String], lastError: String)
    /// A TCP connection to a broker could not be opened.
    case connectionFailed(broker: String, reason: String)
    /// The connection closed while requests were in flight.
    case connectionClosed(broker: String)
    /// A request got no answer within the request timeout.
    case requestTimedOut(api: ApiKey, broker: String, timeoutMs: Int64)
    /// The broker serves no version of an API that this client implements.
    case unsupportedVersion(api: ApiKey, broker: String, brokerMin: Int16?, brokerMax: Int16?)
    /// The broker answered with a Kafka error code.
    case broker(ErrorCode, context: String, message: String?)
    /// The broker answered with an error code this client does not know.
    case unknownErrorCode(Int16, context: String)
    /// The broker's bytes could not be read (a bug on one side, or not a Kafka broker).
    case protocolViolation(broker: String, detail: String)
    /// A record batch of a fetch could not be read or decompressed.
    case corruptRecords(topic: String, partition: Int32, offset: Int64, detail: String)
    /// The topic does not exist (and was not auto-created).
    case unknownTopic(String)
    /// The partition does not exist in its topic.
    case unknownPartition(topic: String, partition: Int32)
    /// The caller passed a value the client cannot use.
    case invalidArgument(String)
    /// The record is larger than the producer may send in one request.
    case recordTooLarge(bytes: Int, limitBytes: Int)
    /// The producer or consumer was closed.
    case closed(String)
    /// Retries were exhausted; `lastError` is the final failure.
    case retriesExhausted(operation: String, attempts: Int, lastError: String)
    /// The consumer needs a group for this operation (subscribe, commit).
    case groupRequired(String)

    public var description: String {
        switch self {
        case let .noBrokersReachable(addresses, lastError):
            return "none of the brokers \(addresses.joined(separator: ",")) could be reached (\(lastError)); "
                + "is a broker running there? pass --brokers host:port to point elsewhere"
        case let .connectionFailed(broker, reason):
            return "cannot connect to broker \(broker): \(reason)"
        case let .connectionClosed(broker):
            return "connection to broker \(broker) closed with requests in flight"
        case let .requestTimedOut(api, broker, timeoutMs):
            return "\(api) request to \(broker) timed out after \(timeoutMs) ms"
        case let .unsupportedVersion(api, broker, brokerMin, brokerMax):
            if let brokerMin, let brokerMax {
                return "broker \(broker) serves \(api) versions \(brokerMin)...\(brokerMax), none of which this client implements"
            }
            return "broker \(broker) does not serve \(api)"
        case let .broker(code, context, message):
            let detail = message.map { ": \($0)" } ?? ""
            return "\(context): \(code.name)\(detail)"
        case let .unknownErrorCode(code, context):
            return "\(context): broker error code \(code)"
        case let .protocolViolation(broker, detail):
            return "unreadable response from \(broker): \(detail)"
        case let .corruptRecords(topic, partition, offset, detail):
            return "corrupt records in \(topic)[\(partition)] at offset \(offset): \(detail)"
        case let .unknownTopic(topic):
            return "topic '\(topic)' does not exist; create it with `tributary topic create \(topic)`"
        case let .unknownPartition(topic, partition):
            return "topic '\(topic)' has no partition \(partition)"
        case let .invalidArgument(detail):
            return detail
        case let .recordTooLarge(bytes, limit):
            return "record of \(bytes) bytes exceeds the producer's request limit of \(limit) bytes"
        case let .closed(what):
            return "\(what) is closed"
        case let .retriesExhausted(operation, attempts, lastError):
            return "\(operation) failed after \(attempts) attempts: \(lastError)"
        case let .groupRequired(what):
            return "\(what) needs a consumer group (set groupId / --group)"
        }
    }

    /// Whether trying again (after a metadata refresh and a backoff) may succeed.
    public var isRetriable: Bool {
        switch self {
        case .connectionFailed, .connectionClosed, .requestTimedOut: return true
        case let .broker(code, _, _): return code.isRetriable
        default: return false
        }
    }

    /// The Kafka error code, when the broker sent one.
    public var errorCode: ErrorCode? {
        if case let .broker(code, _, _) = self { return code }
        return nil
    }

    /// Turns a response's error code into nil (no error) or the typed error.
    static func check(_ raw: Int16, _ context: @autoclosure () -> String, message: String? = nil) -> KafkaClientError? {
        if raw == 0 { return nil }
        guard let code = ErrorCode(rawValue: raw) else { return .unknownErrorCode(raw, context: context()) }
        return .broker(code, context: context(), message: message)
    }
}

extension ErrorCode {
    /// Kafka's name for the code, as its documentation and other clients print it
    /// (`UNKNOWN_TOPIC_OR_PARTITION`).
    public var name: String {
        var out = ""
        for ch in String(describing: self) {
            if ch.isUppercase { out += "_" }
            out += ch.uppercased()
        }
        return out
    }

    /// Errors after which the same request may succeed once metadata is refreshed or time passes
    /// (the protocol marks these retriable).
    public var isRetriable: Bool {
        switch self {
        case .corruptMessage, .unknownTopicOrPartition, .leaderNotAvailable, .notLeaderOrFollower,
             .requestTimedOut, .networkException, .coordinatorLoadInProgress, .coordinatorNotAvailable,
             .notCoordinator, .notEnoughReplicas, .kafkaStorageError, .fencedLeaderEpoch, .unknownLeaderEpoch,
             .offsetNotAvailable, .preferredLeaderNotAvailable, .throttlingQuotaExceeded, .unstableOffsetCommit,
             .concurrentTransactions, .eligibleLeadersNotAvailable:
            return true
        default:
            return false
        }
    }
}
