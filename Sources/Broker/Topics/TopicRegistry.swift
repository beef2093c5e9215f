import KafkaProtocol
import LogStorage
import NIOConcurrencyHelpers

/// All topics of the broker, persisted in the data directory:
/// `<data>/<topic>-<partition>/` holds a partition's segments, and
/// `<data>/__topics/<topic>.properties` its id, partition count and setting overrides.
public final class TopicRegistry: @unchecked Sendable {
    public struct TopicError: Error, CustomStringConvertible {
        public var code: ErrorCode
        public var message: String
        public var description: String { message }
    }

    private let lock = NIOLock()
    private var topics: [String: Topic] = [:]
    private var byId: [Uuid: Topic] = [:]
    public private(set) var config: BrokerConfig
    private let metaDirectory: String
    private let clock: @Sendable () -> Int64

    public init(config: BrokerConfig, clock: @escaping @Sendable () -> Int64) throws {
        self.config = config
        self.clock = clock
        metaDirectory = config.dataDirectory + "/__topics"
        try FileSystem.createDirectory(metaDirectory)
        for file in try FileSystem.listDirectory(metaDirectory) where file.hasSuffix(".properties") {
            let topic = try load(name: String(file.dropLast(".properties".count)))
            topics[topic.name] = topic
            byId[topic.id] = topic
        }
    }

    private func partitionDirectory(_ topic: String, _ partition: Int) -> String {
        "\(config.dataDirectory)/\(topic)-\(partition)"
    }

    private func load(name: String) throws -> Topic {
        let path = "\(metaDirectory)/\(name).properties"
        var id = Uuid.zero
        var count = 0
        var overrides: [String: String] = [:]
        for (k, v) in try Properties.parse(try FileSystem.readText(path)) {
            switch k {
            case "topic.id": id = Uuid(base64: v) ?? .zero
            case "partitions": count = Int(v) ?? 0
            default:
                if k.hasPrefix("config.") { overrides[String(k.dropFirst("config.".count))] = v }
            }
        }
        guard !id.isZero, count > 0 else { throw StorageError("\(path): missing topic.id or partitions") }
        let logConfig = config.logConfig(overrides: overrides)
        let logs = try (0..<count).map { try PartitionLog(directory: partitionDirectory(name, $0), config: logConfig, nowMs: clock()) }
        return Topic(name: name, id: id, partitions: logs, overrides: overrides)
    }

    private func save(_ topic: Topic) throws {
        var pairs = [("topic.id", topic.id.base64), ("partitions", String(topic.partitions.count))]
        for (k, v) in topic.overrides.sorted(by: { $0.key < $1.key }) { pairs.append(("config." + k, v)) }
        try FileSystem.writeAtomically("\(metaDirectory)/\(topic.name).properties", contents: Properties.render(pairs))
    }

    public func topic(_ name: String) -> Topic? { lock.withLock { topics[name] } }
    public func topic(id: Uuid) -> Topic? { lock.withLock { byId[id] } }
    public var all: [Topic] { lock.withLock { topics.values.sorted { $0.name < $1.name } } }

    /// Checks the settings a request would give a topic.
    public static func validate(overrides: [String: String]) -> TopicError? {
        for (k, v) in overrides {
            guard let def = TopicConfigs.definition(k) else {
                return TopicError(code: .invalidConfig, message: "unknown topic config '\(k)'")
            }
            if let problem = def.validate(v) { return TopicError(code: .invalidConfig, message: "\(k): \(problem)") }
        }
        return nil
    }

    /// Creates a topic; `validateOnly` checks without creating.
    @discardableResult
    public func create(name: String, partitions: Int32, overrides: [String: String], validateOnly: Bool = false) throws -> Topic? {
        if let problem = Topic.validateName(name) { throw TopicError(code: .invalidTopicException, message: problem) }
        guard partitions > 0, Int(partitions) <= 10_000 else {
            throw TopicError(code: .invalidPartitions, message: "partition count \(partitions) must be between 1 and 10000")
        }
        if let error = Self.validate(overrides: overrides) { throw error }
        return try lock.withLock {
            if topics[name] != nil { throw TopicError(code: .topicAlreadyExists, message: "topic '\(name)' already exists") }
            if validateOnly { return nil }
            let logConfig = config.logConfig(overrides: overrides)
            var logs: [PartitionLog] = []
            for p in 0..<Int(partitions) {
                let dir = partitionDirectory(name, p)
                if FileSystem.exists(dir) { try FileSystem.removeTree(dir) }  // leftovers of a deleted topic
                logs.append(try PartitionLog(directory: dir, config: logConfig, nowMs: clock()))
            }
            let topic = Topic(name: name, id: Uuid.random(), partitions: logs, overrides: overrides)
            try save(topic)
            topics[name] = topic
            byId[topic.id] = topic
            return topic
        }
    }

    public func delete(name: String) throws {
        try lock.withLock {
            guard let topic = topics.removeValue(forKey: name) else {
                throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            byId[topic.id] = nil
            try FileSystem.remove("\(metaDirectory)/\(name).properties")
            for log in topic.partitions { try log.deleteAll() }
        }
    }

    /// Adds partitions up to `count`.
    public func addPartitions(name: String, count: Int32, validateOnly: Bool) throws {
        try lock.withLock {
            guard let topic = topics[name] else {
                throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            guard Int(count) > topic.partitions.count else {
                throw TopicError(code: .invalidPartitions, message: "topic '\(name)' has \(topic.partitions.count) partitions; \(count) is not more")
            }
            guard count <= 10_000 else { throw TopicError(code: .invalidPartitions, message: "at most 10000 partitions") }
            if validateOnly { return }
            let logConfig = config.logConfig(overrides: topic.overrides)
            for p in topic.partitions.count..<Int(count) {
                topic.partitions.append(try PartitionLog(directory: partitionDirectory(name, p), config: logConfig, nowMs: clock()))
            }
            try save(topic)
        }
    }

    /// Replaces (or, when `incremental`, edits) a topic's overrides.
    public func alterConfigs(name: String, validateOnly: Bool, _ edit: (inout [String: String]) throws -> Void) throws {
        try lock.withLock {
            guard let topic = topics[name] else {
                throw TopicError(code: .unknownTopicOrPartition, message: "topic '\(name)' does not exist")
            }
            var overrides = topic.overrides
            try edit(&overrides)
            if let error = Self.validate(overrides: overrides) { throw error }
            if validateOnly { return }
            topic.overrides = overrides
            try save(topic)
            let logConfig = config.logConfig(overrides: overrides)
            for log in topic.partitions { log.updateConfig(logConfig) }
        }
    }

    /// The effective value and whether it is a topic override, for each setting.
    public func effectiveConfigs(of topic: Topic) -> [(name: String, value: String, isOverride: Bool)] {
        let defaults = config.topicDefaults
        return lock.withLock {
            TopicConfigs.all.map { def in
                if let v = topic.overrides[def.name] { return (def.name, v, true) }
                return (def.name, defaults[def.name] ?? def.defaultValue, false)
            }
        }
    }
}
