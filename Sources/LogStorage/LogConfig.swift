/// The settings of one partition's log, by Kafka's topic-level names.
public struct LogConfig: Sendable, Equatable {
    /// segment.bytes: the size at which the active segment is rolled.
    public var segmentBytes: Int = 1_073_741_824
    /// segment.ms: the age at which the active segment is rolled.
    public var segmentMs: Int64 = 604_800_000
    /// retention.ms: segments whose newest record is older are deleted; -1 keeps them forever.
    public var retentionMs: Int64 = 604_800_000
    /// retention.bytes: the size a partition is trimmed to (whole segments); -1 means no limit.
    public var retentionBytes: Int64 = -1
    /// max.message.bytes: the largest record batch accepted.
    public var maxMessageBytes: Int = 1_048_588
    /// index.interval.bytes: bytes between entries of the sparse offset and time indexes.
    public var indexIntervalBytes: Int = 4096
    /// cleanup.policy: "delete", "compact" or "compact,delete".
    public var cleanupPolicy: String = "delete"
    /// min.cleanable.dirty.ratio: the share of a compacted log's cleanable bytes written since the
    /// last cleaning at which it is cleaned again.
    public var minCleanableDirtyRatio: Double = 0.5
    /// delete.retention.ms: how long a tombstone outlives the records it deletes, so that consumers
    /// behind still see the deletion.
    public var deleteRetentionMs: Int64 = 86_400_000
    /// min.compaction.lag.ms: records younger than this are not compacted.
    public var minCompactionLagMs: Int64 = 0
    /// message.timestamp.type: "CreateTime" or "LogAppendTime".
    public var messageTimestampType: String = "CreateTime"

    public init() {}

    public var usesLogAppendTime: Bool { messageTimestampType == "LogAppendTime" }
    /// Whether the cleaner keeps only the latest record of each key (cleanup.policy has compact).
    public var compacts: Bool { cleanupPolicy.split(separator: ",").contains { $0.filter { $0 != " " } == "compact" } }
}
