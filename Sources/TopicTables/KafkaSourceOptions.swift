import Engine
import Foundation
import KafkaClient

/// Where a partition range starts or ends, as the source options name it.
enum OffsetBound: Hashable, Sendable {
    /// The log start offset (`earliest`, `-2` in offset JSON).
    case earliest
    /// The high watermark when the query is planned (`latest`, `-1` in offset JSON).
    case latest
    /// An explicit offset.
    case offset(Int64)
    /// The first offset whose timestamp is at or after this many milliseconds since the epoch.
    case timestamp(Int64)
}

/// Start or end bounds for every partition read.
enum BoundSpec: Hashable, Sendable {
    /// The same bound for every partition.
    case all(OffsetBound)
    /// One bound per partition (offset or timestamp JSON); every read partition must be named.
    case perPartition([TopicPartition: OffsetBound], option: String)
}

/// Which partitions a Kafka source reads.
enum TopicSelection: Hashable, Sendable {
    /// `subscribe`: every partition of these topics.
    case subscribe([String])
    /// `subscribePattern`: every partition of the topics whose whole name matches.
    case pattern(String)
    /// `assign`: these partitions.
    case assign([TopicPartition])
}

/// The options of Spark's Kafka source for batch reads, parsed and checked.
struct KafkaSourceOptions: Hashable, Sendable {
    var bootstrapServers: String
    var selection: TopicSelection
    var starting: BoundSpec
    var ending: BoundSpec
    var failOnDataLoss: Bool
    var includeHeaders: Bool
    /// `startingOffsetsByTimestampStrategy=latest`: a starting timestamp after the last record
    /// starts at the end instead of failing.
    var startAtLatestWhenNoTimestampMatch: Bool
    /// `kafka.check.crcs`: whether the CRC32C of every fetched record batch is checked. Off by
    /// default, as librdkafka's `check.crcs`: the broker checks every batch when it is produced and
    /// when a log is recovered, and TCP checks the bytes in transit.
    var checkCRCs: Bool
    /// `kafka.max.partition.fetch.bytes`: the bytes one Fetch asks for per partition (a larger first
    /// batch is still read whole: the request grows until it fits).
    var partitionFetchBytes: Int32

    /// Parses lower-cased option keys as Spark names them (`subscribe`, `startingOffsets`, …).
    init(_ options: [String: String], defaultBootstrapServers: String? = nil) throws {
        guard let servers = options["kafka.bootstrap.servers"] ?? defaultBootstrapServers else {
            throw Self.error("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka consumer")
        }
        bootstrapServers = servers
        let strategies = ["subscribe", "subscribepattern", "assign"].filter { options[$0] != nil }
        guard strategies.count == 1 else {
            throw Self.error(strategies.isEmpty
                ? "One of the following options must be specified for Kafka source: subscribe, subscribePattern, assign."
                : "Only one of the following options can be specified for Kafka source: subscribe, subscribePattern, assign.")
        }
        switch strategies[0] {
        case "subscribe":
            let topics = (options["subscribe"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard !topics.isEmpty else { throw Self.error("No topics to subscribe to as specified value for option 'subscribe' is ''") }
            selection = .subscribe(topics)
        case "subscribepattern":
            let p = options["subscribepattern"] ?? ""
            guard !p.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Self.error("Pattern to subscribe is empty as specified value for option 'subscribePattern' is ''")
            }
            selection = .pattern(p)
        default:
            selection = .assign(try Self.parseAssign(options["assign"] ?? ""))
        }
        starting = try Self.bounds(options, prefix: "starting", default: .earliest)
        ending = try Self.bounds(options, prefix: "ending", default: .latest)
        if case .all(.latest) = starting {
            throw Self.error("starting offset can't be latest for batch queries on Kafka")
        }
        if case .all(.earliest) = ending {
            throw Self.error("ending offset can't be earliest for batch queries on Kafka")
        }
        if case let .perPartition(map, _) = starting, let tp = map.first(where: { $0.value == .latest })?.key {
            throw Self.error("startingOffsets for \(tp.topic)-\(tp.partition) can't be latest for batch queries on Kafka")
        }
        if case let .perPartition(map, _) = ending, let tp = map.first(where: { $0.value == .earliest })?.key {
            throw Self.error("endingOffsets for \(tp.topic)-\(tp.partition) can't be earliest for batch queries on Kafka")
        }
        failOnDataLoss = try Self.flag(options, "failondataloss", default: true)
        includeHeaders = try Self.flag(options, "includeheaders", default: false)
        checkCRCs = try Self.flag(options, "kafka.check.crcs", default: false)
        partitionFetchBytes = try Self.size(options, "kafka.max.partition.fetch.bytes", default: Self.partitionFetchBytesDefault,
                                            range: Self.partitionFetchBytesRange)
        switch options["startingoffsetsbytimestampstrategy"]?.lowercased() ?? "error" {
        case "error": startAtLatestWhenNoTimestampMatch = false
        case "latest": startAtLatestWhenNoTimestampMatch = true
        case let other: throw Self.error("startingOffsetsByTimestampStrategy must be 'error' or 'latest', not '\(other)'")
        }
    }

    static func error(_ message: String) -> EngineError { .analysis(message, position: nil) }

    /// Bytes per partition per Fetch unless `kafka.max.partition.fetch.bytes` says otherwise: 1 MiB,
    /// the default of Kafka's consumers. Larger answers cost more than they save: each is gathered
    /// in fresh memory (page faults), and the decoding waits longer for the first one.
    static let partitionFetchBytesDefault: Int32 = 1 << 20
    /// The sizes `kafka.max.partition.fetch.bytes` may take.
    static let partitionFetchBytesRange: ClosedRange<Int32> = 1024...(256 << 20)

    /// A byte count option within `range`.
    static func size(_ options: [String: String], _ key: String, default value: Int32, range: ClosedRange<Int32>) throws -> Int32 {
        guard let raw = options[key] else { return value }
        guard let n = Int32(raw.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            throw error("option '\(key)' must be a number of bytes in \(range.lowerBound)...\(range.upperBound), not '\(raw)'")
        }
        return n
    }

    static func flag(_ options: [String: String], _ key: String, default value: Bool) throws -> Bool {
        guard let raw = options[key] else { return value }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error("option '\(key)' must be true or false, not '\(raw)'")
        }
    }

    /// `<prefix>Timestamp` wins over `<prefix>OffsetsByTimestamp`, which wins over `<prefix>Offsets`,
    /// as in Spark.
    static func bounds(_ options: [String: String], prefix: String, default value: OffsetBound) throws -> BoundSpec {
        if let ts = options[prefix + "timestamp"] {
            guard let ms = Int64(ts.trimmingCharacters(in: .whitespaces)), ms >= 0 else {
                throw error("\(prefix)Timestamp must be a non-negative number of milliseconds, not '\(ts)'")
            }
            return .all(.timestamp(ms))
        }
        if let json = options[prefix + "offsetsbytimestamp"] {
            let map = try parsePartitionNumbers(json, option: prefix + "OffsetsByTimestamp")
            return .perPartition(map.mapValues { .timestamp($0) }, option: prefix + "OffsetsByTimestamp")
        }
        guard let raw = options[prefix + "offsets"] else { return .all(value) }
        switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
        case "earliest": return .all(.earliest)
        case "latest": return .all(.latest)
        default:
            let map = try parsePartitionNumbers(raw, option: prefix + "Offsets")
            return .perPartition(map.mapValues { o in o == -2 ? .earliest : o == -1 ? .latest : .offset(o) },
                                 option: prefix + "Offsets")
        }
    }

    /// `{"topicA":{"0":23,"1":-1},"topicB":{"0":-2}}`.
    static func parsePartitionNumbers(_ json: String, option: String) throws -> [TopicPartition: Int64] {
        let usage = "\(option) must be 'earliest', 'latest' or JSON such as {\"topicA\":{\"0\":23,\"1\":-1}}"
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw error("\(usage), not '\(json)'")
        }
        var out: [TopicPartition: Int64] = [:]
        for (topic, value) in object {
            guard let partitions = value as? [String: Any] else { throw error("\(usage), not '\(json)'") }
            for (p, n) in partitions {
                guard let partition = Int32(p), partition >= 0, let number = (n as? NSNumber)?.int64Value,
                      number >= -2 || option.hasSuffix("Timestamp") else {
                    throw error("\(usage): bad entry \"\(p)\": \(n) for topic \(topic)")
                }
                out[TopicPartition(topic, partition)] = number
            }
        }
        return out
    }

    /// `{"topicA":[0,1],"topicB":[2,4]}`.
    static func parseAssign(_ json: String) throws -> [TopicPartition] {
        let usage = "assign must be JSON such as {\"topicA\":[0,1],\"topicB\":[2,4]}"
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw error("\(usage), not '\(json)'")
        }
        var out: [TopicPartition] = []
        for (topic, value) in object {
            guard let list = value as? [Any] else { throw error("\(usage), not '\(json)'") }
            for p in list {
                guard let n = (p as? NSNumber)?.int32Value, n >= 0 else { throw error("\(usage): bad partition \(p)") }
                out.append(TopicPartition(topic, n))
            }
        }
        guard !out.isEmpty else { throw error("\(usage): no partitions assigned") }
        return out.sorted()
    }
}
