import LogStorage

/// The broker's settings, by Kafka's own names where one exists, from a properties file and
/// `--override key=value` flags (later ones win).
public struct BrokerConfig: Sendable {
    public struct ConfigError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// A listener: name (PLAINTEXT), host and port.
    public struct Listener: Sendable, Equatable {
        public var name: String
        public var host: String
        public var port: Int
    }

    /// Every setting as given, by name.
    public private(set) var values: [String: String] = [:]

    public init() {}

    public init(properties: [(key: String, value: String)]) throws {
        for (k, v) in properties { try set(k, v) }
    }

    public mutating func set(_ key: String, _ value: String) throws {
        if let def = TopicConfigs.all.first(where: { $0.brokerName == key }), let problem = def.validate(value) {
            throw ConfigError(message: "\(key): \(problem)")
        }
        values[key] = value
        _ = try listeners  // fail early on a bad listener list
    }

    private func int(_ key: String, _ fallback: Int) throws -> Int {
        guard let v = values[key] else { return fallback }
        guard let n = Int(v) else { throw ConfigError(message: "\(key): '\(v)' is not a number") }
        return n
    }

    private func bool(_ key: String, _ fallback: Bool) -> Bool {
        values[key].map { $0.lowercased() == "true" } ?? fallback
    }

    public var nodeId: Int32 { Int32((try? int("node.id", try int("broker.id", 0))) ?? 0) }
    public var dataDirectory: String {
        (values["log.dirs"] ?? values["log.dir"] ?? "./tributary-data").split(separator: ",").first.map(String.init) ?? "./tributary-data"
    }
    public var numPartitions: Int32 { Int32((try? int("num.partitions", 1)) ?? 1) }
    public var autoCreateTopics: Bool { bool("auto.create.topics.enable", true) }
    public var deleteTopicEnable: Bool { bool("delete.topic.enable", true) }
    public var requestFrameBytesMax: Int { (try? int("socket.request.max.bytes", 104_857_600)) ?? 104_857_600 }
    public var retentionCheckIntervalMs: Int64 { Int64((try? int("log.retention.check.interval.ms", 300_000)) ?? 300_000) }
    /// log.cleaner.enable: whether compacted topics are cleaned.
    public var logCleanerEnable: Bool { bool("log.cleaner.enable", true) }
    /// log.cleaner.backoff.ms: the pause between passes of the cleaner over the compacted logs.
    public var logCleanerBackoffMs: Int64 { Int64((try? int("log.cleaner.backoff.ms", 15_000)) ?? 15_000) }
    /// Whether acks=all waits for fsync (Tributary's embedded default: yes).
    public var flushOnAcksAll: Bool { bool("log.flush.on.acks.all", true) }
    /// Flush at least this often even without acks=all producers (Kafka's log.flush.interval.ms).
    public var flushIntervalMs: Int64? { values["log.flush.interval.ms"].flatMap { Int64($0) } }
    /// Kafka's default, 3000 ms: members that start together join one rebalance. Set 0 for a lone
    /// consumer that should start at once (as Kafka's sample development configuration does).
    public var groupInitialRebalanceDelayMs: Int64 { Int64((try? int("group.initial.rebalance.delay.ms", 3000)) ?? 3000) }

    public var listeners: [Listener] {
        get throws { try Self.parseListeners(values["listeners"] ?? "PLAINTEXT://127.0.0.1:9092") }
    }

    /// What Metadata tells clients to connect to: advertised.listeners, else the listeners.
    public var advertisedListeners: [Listener] {
        get throws {
            guard let adv = values["advertised.listeners"] else { return try listeners }
            return try Self.parseListeners(adv)
        }
    }

    static func parseListeners(_ text: String) throws -> [Listener] {
        try text.split(separator: ",").map { item in
            let s = String(item.trimmingSpaces())
            guard let schemeEnd = s.firstRange(of: "://") else { throw ConfigError(message: "listener '\(s)' is not NAME://host:port") }
            let name = String(s[..<schemeEnd.lowerBound])
            let rest = s[schemeEnd.upperBound...]
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (0...65535).contains(port) else {
                throw ConfigError(message: "listener '\(s)' has no valid port")
            }
            var host = String(rest[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            return Listener(name: name, host: host.isEmpty ? "0.0.0.0" : host, port: port)
        }
    }

    /// The default of each topic setting on this broker, from the broker-level names.
    public var topicDefaults: [String: String] {
        var out: [String: String] = [:]
        for def in TopicConfigs.all { out[def.name] = values[def.brokerName] ?? def.defaultValue }
        // Kafka's precedence for retention: ms, then minutes, then hours.
        if values["log.retention.ms"] == nil {
            if let m = values["log.retention.minutes"].flatMap({ Int64($0) }) {
                out["retention.ms"] = String(m * 60_000)
            } else if let h = values["log.retention.hours"].flatMap({ Int64($0) }) {
                out["retention.ms"] = String(h * 3_600_000)
            }
        }
        if values["log.roll.ms"] == nil, let h = values["log.roll.hours"].flatMap({ Int64($0) }) {
            out["segment.ms"] = String(h * 3_600_000)
        }
        return out
    }

    /// The log settings of a topic with the given overrides.
    public func logConfig(overrides: [String: String]) -> LogConfig {
        var config = LogConfig()
        let defaults = topicDefaults
        for def in TopicConfigs.all {
            if let v = overrides[def.name] ?? defaults[def.name], def.validate(v) == nil { def.apply(&config, v) }
        }
        return config
    }
}
