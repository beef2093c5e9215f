import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The client's view of a cluster: bootstrap, a metadata cache, and one pipelined connection per
/// broker, shared by the producer, consumer and admin built on it.
public final class KafkaCluster: @unchecked Sendable {
    public let config: ClientConfig
    let group: EventLoopGroup
    private let state = NIOLockedValueBox(State())
    var logger: Logger { config.logger }

    private struct State {
        var metadata = ClusterMetadata()
        var metadataAtMs: Int64 = 0
        var connections: [Int32: Task<BrokerConnection, Error>] = [:]
        /// Node connections known to be open, for callers that must not suspend (the consumer's fetch chain).
        var ready: [Int32: BrokerConnection] = [:]
        var bootstrap: Task<BrokerConnection, Error>?
        /// The bootstrap connection once open, until the broker at its address takes it over.
        var bootstrapConnection: BrokerConnection?
        var closed = false
    }

    /// A cluster reached through `config.bootstrapServers`. Nothing connects until first use.
    public init(config: ClientConfig, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.config = config
        self.group = group
    }

    /// Closes every connection.
    public func close() {
        let tasks = state.withLockedValue { s -> [Task<BrokerConnection, Error>] in
            s.closed = true
            var all = Array(s.connections.values)
            if let b = s.bootstrap { all.append(b) }
            s.connections = [:]
            s.ready = [:]
            s.bootstrap = nil
            s.bootstrapConnection = nil
            return all
        }
        for t in tasks {
            Task { (try? await t.value)?.close() }
        }
    }

    /// The cached metadata (possibly empty or stale).
    public var cachedMetadata: ClusterMetadata { state.withLockedValue { $0.metadata } }

    // MARK: connections

    /// A connection to any broker: a known one if metadata has brokers, else a bootstrap broker.
    public func anyConnection() async throws -> BrokerConnection {
        let (known, existing) = state.withLockedValue { s in (Array(s.metadata.brokers.keys), s.bootstrap) }
        if let id = known.randomElement(), let c = try? await connection(toNode: id) { return c }
        if let existing, let c = try? await existing.value, c.isActive { return c }
        let task = Task {
            let c = try await self.connectBootstrap()
            self.state.withLockedValue { $0.bootstrapConnection = c }
            return c
        }
        state.withLockedValue { $0.bootstrap = task }
        return try await task.value
    }

    private func connectBootstrap() async throws -> BrokerConnection {
        var last = "no addresses"
        for address in config.bootstrapServers.shuffled() {
            do {
                return try await BrokerConnection.connect(to: address, nodeId: nil, config: config, group: group)
            } catch {
                last = "\(error)"
                logger.debug("bootstrap \(address) failed: \(error)")
            }
        }
        throw KafkaClientError.noBrokersReachable(addresses: config.bootstrapServers.map(\.description), lastError: last)
    }

    /// The connection to broker `nodeId`, opened on first use and reopened after it closes. The
    /// bootstrap connection becomes the connection of the broker at its address (as librdkafka does),
    /// so a client of a one-broker cluster opens one connection, not two.
    public func connection(toNode nodeId: Int32) async throws -> BrokerConnection {
        let task: Task<BrokerConnection, Error> = try state.withLockedValue { s in
            if s.closed { throw KafkaClientError.closed("client") }
            if let t = s.connections[nodeId] { return t }
            guard let address = s.metadata.brokers[nodeId] else {
                throw KafkaClientError.connectionFailed(broker: "node \(nodeId)", reason: "not in the cluster metadata")
            }
            if let b = s.bootstrapConnection, b.address == address, b.isActive {
                s.bootstrapConnection = nil
                let adopted = b.adopted(asNode: nodeId)
                let t = Task<BrokerConnection, Error> { adopted }
                s.connections[nodeId] = t
                return t
            }
            let config = self.config, group = self.group
            let t = Task { try await BrokerConnection.connect(to: address, nodeId: nodeId, config: config, group: group) }
            s.connections[nodeId] = t
            return t
        }
        do {
            let c = try await task.value
            if c.isActive {
                state.withLockedValue { s in
                    if s.connections[nodeId] == task { s.ready[nodeId] = c }
                }
                return c
            }
        } catch {
            forget(nodeId: nodeId, task: task)
            throw error
        }
        // Closed since it was opened: open a fresh one.
        forget(nodeId: nodeId, task: task)
        return try await connection(toNode: nodeId)
    }

    private func forget(nodeId: Int32, task: Task<BrokerConnection, Error>) {
        state.withLockedValue { s in
            if s.connections[nodeId] == task {
                s.connections[nodeId] = nil
                s.ready[nodeId] = nil
            }
        }
    }

    /// The open connection to broker `nodeId`, without waiting: nil when none has been opened through
    /// `connection(toNode:)` yet, or it has closed.
    func readyConnection(toNode nodeId: Int32) -> BrokerConnection? {
        guard let c = state.withLockedValue({ $0.closed ? nil : $0.ready[nodeId] }), c.isActive else { return nil }
        return c
    }

    // MARK: metadata

    /// Fetches metadata for `topics` (nil = all topics) and merges it into the cache.
    @discardableResult
    public func refreshMetadata(topics: [String]?, allowAutoCreate: Bool = false) async throws -> ClusterMetadata {
        try await withRetry("Metadata") {
            let c = try await self.anyConnection()
            var request = MetadataRequest()
            let version = try c.version(for: .metadata)
            if let topics {
                request.topics = topics.map { name in
                    var t = MetadataRequest.MetadataRequestTopic()
                    t.name = name
                    return t
                }
            } else {
                request.topics = version >= 1 ? nil : []
            }
            request.allowAutoTopicCreation = allowAutoCreate
            let response = try await c.request(request, version: version)
            let fresh = ClusterMetadata(response)
            let now = Clock.nowMs()
            return self.state.withLockedValue { s in
                if topics == nil {
                    s.metadata = fresh
                } else {
                    s.metadata.merge(fresh)
                }
                s.metadataAtMs = now
                return fresh
            }
        }
    }

    /// Metadata for `topics`, from the cache when every topic is there and fresh, else refreshed.
    /// Throws `unknownTopic` for a topic the cluster does not have.
    public func metadata(for topics: [String], allowAutoCreate: Bool = false) async throws -> ClusterMetadata {
        let (cached, at) = state.withLockedValue { ($0.metadata, $0.metadataAtMs) }
        if topics.allSatisfy({ cached.partitionCount($0) != nil }), Clock.nowMs() - at < config.metadataMaxAgeMs {
            return cached
        }
        let fresh = try await refreshMetadata(topics: topics, allowAutoCreate: allowAutoCreate)
        for t in topics {
            guard let tm = fresh.topics[t] else { throw KafkaClientError.unknownTopic(t) }
            if tm.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw KafkaClientError.unknownTopic(t) }
            if let e = KafkaClientError.check(tm.errorCode, "metadata of topic '\(t)'") { throw e }
        }
        return state.withLockedValue { $0.metadata }
    }

    /// The cached metadata when it holds every topic of `topics` and is fresh (what `metadata(for:)` would
    /// return without a request); nil when it would have to be refreshed.
    func freshCachedMetadata<S: Sequence<String>>(for topics: S) -> ClusterMetadata? {
        let (cached, at) = state.withLockedValue { ($0.metadata, $0.metadataAtMs) }
        guard Clock.nowMs() - at < config.metadataMaxAgeMs, topics.allSatisfy({ cached.partitionCount($0) != nil }) else {
            return nil
        }
        return cached
    }

    /// The connection to the leader of `tp`, refreshing metadata when the leader is unknown.
    public func leaderConnection(for tp: TopicPartition) async throws -> BrokerConnection {
        var md = try await metadata(for: [tp.topic])
        if md.leader(of: tp) == nil { md = try await refreshMetadata(topics: [tp.topic]) }
        guard let t = md.topics[tp.topic], t.partitions.contains(where: { $0.partition == tp.partition }) else {
            throw KafkaClientError.unknownPartition(topic: tp.topic, partition: tp.partition)
        }
        guard let leader = md.leader(of: tp) else {
            throw KafkaClientError.broker(.leaderNotAvailable, context: "leader of \(tp)", message: nil)
        }
        return try await connection(toNode: leader)
    }

    /// Runs `operation` until it succeeds, fails with a non-retriable error, or the attempts run out;
    /// backs off between attempts and refreshes metadata after errors that suggest it is stale.
    public func withRetry<T>(_ name: String, _ operation: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch let error as KafkaClientError where error.isRetriable && attempt <= config.retriesMax {
                logger.debug("\(name) attempt \(attempt) failed: \(error); retrying")
                if case .broker = error { invalidateMetadata() }
                try await Task.sleep(nanoseconds: UInt64(config.backoffMs(attempt: attempt)) * 1_000_000)
            } catch let error as KafkaClientError where error.isRetriable {
                throw KafkaClientError.retriesExhausted(operation: name, attempts: attempt, lastError: "\(error)")
            }
        }
    }

    /// Records a broker learnt outside Metadata (a coordinator's address).
    func addBroker(_ nodeId: Int32, _ address: BrokerAddress) {
        state.withLockedValue { $0.metadata.brokers[nodeId] = address }
    }

    /// Marks the metadata stale so the next use refreshes it.
    public func invalidateMetadata() {
        state.withLockedValue { $0.metadataAtMs = 0 }
    }
}
