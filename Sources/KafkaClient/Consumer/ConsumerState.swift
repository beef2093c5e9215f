import NIOCore

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
    /// Fetch rounds started ahead of the polls that will use them, oldest first. One that lands starts
    /// the next at once, on the event loop that read it (while fewer than `fetchesAheadMax` wait), so
    /// the broker always has the next Fetch while the caller decodes and handles records, as
    /// librdkafka's prefetching does.
    var prefetches: [Prefetch] = []
    /// The id of the latest prefetch started; bumped when they are dropped, so that one still on the
    /// wire then starts no successor.
    var prefetchSerial: UInt64 = 0
    /// The latest round, landed while `fetchesAheadMax` rounds waited: the next poll that takes a round
    /// off the queue starts its successor.
    var parked: ParkedPrefetch?

    /// How many fetch rounds may be started ahead of the polls (answers waiting plus the one on the wire).
    static let fetchesAheadMax = 2

    struct ParkedPrefetch {
        var id: UInt64
        var positions: [(TopicPartition, Int64)]
    }

    /// Drops the rounds started ahead (their answers, when they come, are not used).
    mutating func cancelPrefetches() {
        prefetches = []
        parked = nil
        prefetchSerial &+= 1
    }

    mutating func setAssignment(_ tps: [TopicPartition]) {
        var next: [TopicPartition: PartitionFetchState] = [:]
        for tp in tps { next[tp] = partitions[tp] ?? PartitionFetchState() }
        partitions = next
        fetchEpoch &+= 1
    }
}

/// A fetch round issued before it was asked for, and the positions it asked for.
struct Prefetch {
    var id: UInt64
    var positions: [(TopicPartition, Int64)]
    var round: EventLoopFuture<KafkaConsumer.FetchRound>
}
