/// Where a partition's next fetch starts.
enum PartitionPosition: Equatable {
    /// Not known yet: the committed offset, else the reset policy.
    case unknown
    /// To be looked up with ListOffsets.
    case pending(OffsetSpec)
    case offset(Int64)
}

/// One assigned partition.
struct PartitionFetchState {
    var position = PartitionPosition.unknown
    var paused = false
    /// Whether the position moved since assignment (only then is it worth committing).
    var consumedSomething = false
    var highWatermark: Int64 = -1
}

/// The consumer's mutable state, in a lock.
struct ConsumerState {
    var partitions: [TopicPartition: PartitionFetchState] = [:]
    /// Topics of the group subscription; nil when partitions are assigned by hand.
    var subscription: [String]?
    /// Bumped by every seek or assignment change, so a fetch begun before it does not move positions.
    var fetchEpoch: UInt64 = 0
    var closed = false
    var lastAutoCommitMs: Int64 = 0
    /// A fetch started ahead of the next poll.
    var prefetch: Prefetch?

    mutating func setAssignment(_ tps: [TopicPartition]) {
        var next: [TopicPartition: PartitionFetchState] = [:]
        for tp in tps { next[tp] = partitions[tp] ?? PartitionFetchState() }
        partitions = next
        fetchEpoch &+= 1
    }
}

/// A fetch issued before it was asked for, and the positions it asked for.
struct Prefetch {
    var positions: [(TopicPartition, Int64)]
    var task: Task<(results: [KafkaConsumer.FetchOutcome], leaderless: Bool), Error>
}
