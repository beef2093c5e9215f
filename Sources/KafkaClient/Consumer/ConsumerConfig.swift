/// Where a consumer starts when it has no committed offset, or its offset is out of range
/// (`auto.offset.reset`).
public enum OffsetResetPolicy: String, Sendable {
    case earliest, latest
    /// Fail with OFFSET_OUT_OF_RANGE instead.
    case none
}

/// Which records a consumer sees of transactional producers (`isolation.level`).
public enum IsolationLevel: Int8, Sendable {
    /// Everything, including records of open and aborted transactions.
    case readUncommitted = 0
    /// Only committed transactional records, up to the last stable offset.
    case readCommitted = 1
}

/// Consumer settings, named after the Java client's.
public struct ConsumerConfig: Sendable {
    /// `group.id`; nil for a consumer that only assigns partitions itself.
    public var groupId: String?
    /// `group.instance.id` for static membership.
    public var groupInstanceId: String?
    public var autoOffsetReset: OffsetResetPolicy = .latest
    public var enableAutoCommit: Bool = true
    public var autoCommitIntervalMs: Int64 = 5_000
    public var isolationLevel: IsolationLevel = .readUncommitted
    /// `fetch.max.wait.ms`.
    public var fetchMaxWaitMs: Int32 = 500
    /// `fetch.min.bytes`.
    public var fetchMinBytes: Int32 = 1
    /// `fetch.max.bytes`.
    public var fetchMaxBytes: Int32 = 52_428_800
    /// `max.partition.fetch.bytes`.
    public var maxPartitionFetchBytes: Int32 = 1_048_576
    /// `check.crcs`: verify each batch's CRC32C.
    public var checkCRCs: Bool = true
    /// `session.timeout.ms`.
    public var sessionTimeoutMs: Int32 = 45_000
    /// `heartbeat.interval.ms`.
    public var heartbeatIntervalMs: Int64 = 3_000
    /// `max.poll.interval.ms`, sent as the rebalance timeout.
    public var rebalanceTimeoutMs: Int32 = 300_000
    /// `partition.assignment.strategy`, in order of preference.
    public var assignors: [any PartitionAssignor] = [RangeAssignor(), CooperativeStickyAssignor()]
    /// Told about partitions given up (before their offsets move to another member) and partitions
    /// gained, on every rebalance of a subscribed consumer.
    public var rebalanceListener: (@Sendable (RebalanceEvent) -> Void)?

    public init(groupId: String? = nil) {
        self.groupId = groupId
    }
}

/// A change of a group member's partitions.
public enum RebalanceEvent: Sendable, Equatable {
    /// These partitions are no longer this member's (their positions were committed when auto-commit is on).
    case revoked([TopicPartition])
    /// These partitions are now this member's; reading starts at the committed offsets.
    case assigned([TopicPartition])
}
