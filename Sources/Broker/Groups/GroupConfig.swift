/// The group coordinator's settings, by Kafka's broker setting names.
public struct GroupConfig: Sendable, Equatable {
    /// group.min.session.timeout.ms: the shortest session timeout a member may ask for.
    public var sessionTimeoutMinMs: Int32 = 6_000
    /// group.max.session.timeout.ms: the longest session timeout a member may ask for.
    public var sessionTimeoutMaxMs: Int32 = 1_800_000
    /// group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for
    /// more members (extended while members keep arriving, up to the rebalance timeout).
    public var initialRebalanceDelayMs: Int64 = 3_000
    /// group.max.size: members a group may hold.
    public var groupSizeMax: Int = Int(Int32.max)
    /// offsets.retention.minutes (in ms): how long the offsets of an empty group are kept.
    public var offsetsRetentionMs: Int64 = 7 * 24 * 3_600_000
    /// offsets.retention.check.interval.ms: how often expired offsets are looked for.
    public var offsetsRetentionCheckIntervalMs: Int64 = 600_000
    /// offset.metadata.max.bytes: the longest metadata string stored with a committed offset.
    public var offsetMetadataBytesMax: Int = 4096
    /// offsets.topic.num.partitions: partitions of `__consumer_offsets` when it is created.
    /// Kafka's default is 50; a single-node broker gains nothing from spreading groups, and one
    /// partition lets the flusher sync every group's commits with a single fsync.
    public var offsetsTopicPartitions: Int32 = 1
    /// offsets.topic.segment.bytes: segment size of `__consumer_offsets`.
    public var offsetsTopicSegmentBytes: Int = 104_857_600

    public init() {}

    /// Reads the settings from the broker's, keeping Kafka's defaults for those not given.
    public init(broker: BrokerConfig) {
        func int64(_ key: String) -> Int64? { broker.values[key].flatMap { Int64($0) } }
        if let v = int64("group.min.session.timeout.ms"), let n = Int32(exactly: v) { sessionTimeoutMinMs = n }
        if let v = int64("group.max.session.timeout.ms"), let n = Int32(exactly: v) { sessionTimeoutMaxMs = n }
        initialRebalanceDelayMs = max(0, broker.groupInitialRebalanceDelayMs)
        if let v = int64("group.max.size"), v > 0 { groupSizeMax = Int(v) }
        if let v = int64("offsets.retention.minutes"), v > 0 { offsetsRetentionMs = v * 60_000 }
        if let v = int64("offsets.retention.check.interval.ms"), v > 0 { offsetsRetentionCheckIntervalMs = v }
        if let v = int64("offset.metadata.max.bytes"), v >= 0 { offsetMetadataBytesMax = Int(v) }
        if let v = int64("offsets.topic.num.partitions"), v > 0, v <= 1000 { offsetsTopicPartitions = Int32(v) }
        if let v = int64("offsets.topic.segment.bytes"), v >= 1024 { offsetsTopicSegmentBytes = Int(v) }
    }
}
