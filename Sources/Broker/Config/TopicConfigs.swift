import LogStorage

/// The topic-level settings Tributary knows: their Kafka names, the broker setting that gives
/// their default, how to check a value, and where it lands in `LogConfig`.
public struct TopicConfigDefinition: Sendable {
    public enum Kind: Sendable { case int, long, double, string, list, boolean }

    public var name: String
    /// The broker-level setting that supplies the default (e.g. log.retention.ms).
    public var brokerName: String
    public var kind: Kind
    public var defaultValue: String
    /// Returns an error message when `value` is not acceptable.
    public var validate: @Sendable (String) -> String?
    public var apply: @Sendable (inout LogConfig, String) -> Void
}

private func long(min: Int64) -> @Sendable (String) -> String? {
    { v in
        guard let n = Int64(v) else { return "'\(v)' is not a number" }
        return n < min ? "\(n) is below the minimum \(min)" : nil
    }
}

private func ratio() -> @Sendable (String) -> String? {
    { v in
        guard let x = Double(v), x.isFinite else { return "'\(v)' is not a number" }
        return (0...1).contains(x) ? nil : "\(x) is not between 0 and 1"
    }
}

private func oneOf(_ allowed: [String]) -> @Sendable (String) -> String? {
    { v in
        let parts = v.split(separator: ",").map { String($0.trimmingSpaces()) }
        return parts.allSatisfy(allowed.contains) && !parts.isEmpty ? nil : "'\(v)' is not one of \(allowed.joined(separator: ", "))"
    }
}

public enum TopicConfigs {
    public static let all: [TopicConfigDefinition] = [
        .init(name: "cleanup.policy", brokerName: "log.cleanup.policy", kind: .list, defaultValue: "delete",
              validate: oneOf(["delete", "compact"]), apply: { $0.cleanupPolicy = $1 }),
        .init(name: "retention.ms", brokerName: "log.retention.ms", kind: .long, defaultValue: "604800000",
              validate: long(min: -1), apply: { $0.retentionMs = Int64($1)! }),
        .init(name: "retention.bytes", brokerName: "log.retention.bytes", kind: .long, defaultValue: "-1",
              validate: long(min: -1), apply: { $0.retentionBytes = Int64($1)! }),
        .init(name: "segment.bytes", brokerName: "log.segment.bytes", kind: .int, defaultValue: "1073741824",
              validate: long(min: 1024), apply: { $0.segmentBytes = Int($1)! }),
        .init(name: "segment.ms", brokerName: "log.roll.ms", kind: .long, defaultValue: "604800000",
              validate: long(min: 1), apply: { $0.segmentMs = Int64($1)! }),
        .init(name: "max.message.bytes", brokerName: "message.max.bytes", kind: .int, defaultValue: "1048588",
              validate: long(min: 0), apply: { $0.maxMessageBytes = Int($1)! }),
        .init(name: "index.interval.bytes", brokerName: "log.index.interval.bytes", kind: .int, defaultValue: "4096",
              validate: long(min: 0), apply: { $0.indexIntervalBytes = Int($1)! }),
        .init(name: "message.timestamp.type", brokerName: "log.message.timestamp.type", kind: .string, defaultValue: "CreateTime",
              validate: oneOf(["CreateTime", "LogAppendTime"]), apply: { $0.messageTimestampType = $1 }),
        .init(name: "compression.type", brokerName: "compression.type", kind: .string, defaultValue: "producer",
              validate: oneOf(["producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"]), apply: { _, _ in }),
        .init(name: "min.insync.replicas", brokerName: "min.insync.replicas", kind: .int, defaultValue: "1",
              validate: long(min: 1), apply: { _, _ in }),
        .init(name: "unclean.leader.election.enable", brokerName: "unclean.leader.election.enable", kind: .boolean,
              defaultValue: "false", validate: oneOf(["true", "false"]), apply: { _, _ in }),
        .init(name: "delete.retention.ms", brokerName: "log.cleaner.delete.retention.ms", kind: .long, defaultValue: "86400000",
              validate: long(min: 0), apply: { $0.deleteRetentionMs = Int64($1)! }),
        .init(name: "min.compaction.lag.ms", brokerName: "log.cleaner.min.compaction.lag.ms", kind: .long, defaultValue: "0",
              validate: long(min: 0), apply: { $0.minCompactionLagMs = Int64($1)! }),
        .init(name: "min.cleanable.dirty.ratio", brokerName: "log.cleaner.min.cleanable.ratio", kind: .double, defaultValue: "0.5",
              validate: ratio(), apply: { $0.minCleanableDirtyRatio = Double($1)! }),
        .init(name: "file.delete.delay.ms", brokerName: "log.segment.delete.delay.ms", kind: .long, defaultValue: "60000",
              validate: long(min: 0), apply: { _, _ in }),
        .init(name: "flush.messages", brokerName: "log.flush.interval.messages", kind: .long, defaultValue: "9223372036854775807",
              validate: long(min: 1), apply: { _, _ in }),
        .init(name: "flush.ms", brokerName: "log.flush.interval.ms", kind: .long, defaultValue: "9223372036854775807",
              validate: long(min: 0), apply: { _, _ in }),
    ]

    public static func definition(_ name: String) -> TopicConfigDefinition? { all.first { $0.name == name } }
}
