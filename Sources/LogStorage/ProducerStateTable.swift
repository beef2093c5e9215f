import KafkaProtocol

/// What a partition remembers of each idempotent producer, to drop retried duplicates and to
/// refuse batches that arrive out of order (Kafka keeps the last five batches per producer).
struct ProducerStateTable {
    struct BatchRecord {
        var firstSequence: Int32
        var lastSequence: Int32
        var firstOffset: Int64
    }

    struct Producer {
        var epoch: Int16
        /// The most recent batches, oldest first, at most `retainedBatches`.
        var recent: [BatchRecord] = []
    }

    static let retainedBatches = 5
    private(set) var producers: [Int64: Producer] = [:]

    enum Verdict: Equatable {
        case append
        /// A retry of a batch already written at `firstOffset`.
        case duplicate(firstOffset: Int64)
        case reject(ErrorCode)
    }

    /// Decides what to do with a batch from `producerId` (callers skip producerId -1).
    func check(producerId: Int64, epoch: Int16, firstSequence: Int32, lastSequence: Int32) -> Verdict {
        guard let state = producers[producerId] else { return .append }
        if epoch < state.epoch { return .reject(.invalidProducerEpoch) }
        if epoch > state.epoch {
            return firstSequence == 0 ? .append : .reject(.outOfOrderSequenceNumber)
        }
        if let dup = state.recent.first(where: { $0.firstSequence == firstSequence && $0.lastSequence == lastSequence }) {
            return .duplicate(firstOffset: dup.firstOffset)
        }
        guard let last = state.recent.last else { return .append }
        let expected = last.lastSequence == Int32.max ? 0 : last.lastSequence + 1
        return firstSequence == expected ? .append : .reject(.outOfOrderSequenceNumber)
    }

    mutating func record(producerId: Int64, epoch: Int16, firstSequence: Int32, lastSequence: Int32, firstOffset: Int64) {
        var state = producers[producerId] ?? Producer(epoch: epoch)
        if epoch != state.epoch { state = Producer(epoch: epoch) }
        state.recent.append(BatchRecord(firstSequence: firstSequence, lastSequence: lastSequence, firstOffset: firstOffset))
        if state.recent.count > Self.retainedBatches { state.recent.removeFirst() }
        producers[producerId] = state
    }

    static func lastSequence(first: Int32, lastOffsetDelta: Int32) -> Int32 {
        let sum = Int64(first) + Int64(lastOffsetDelta)
        return Int32(truncatingIfNeeded: sum > Int64(Int32.max) ? sum - Int64(Int32.max) - 1 : sum)
    }
}
