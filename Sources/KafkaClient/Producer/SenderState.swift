import NIOCore

/// The batches of one partition: the one still filling, those sealed and waiting (in sequence order),
/// and those on the wire (in the order they were sent).
///
/// Up to `maxInFlight` batches travel at once. A batch coming back for a retry already has its
/// sequence number; it goes back into `ready` in sequence order and is resent only once nothing of the
/// partition is on the wire, so that the broker sees the sequences in order again.
struct PartitionQueue {
    var open: ProducerBatch?
    var ready: [ProducerBatch] = []
    var inFlight: [ProducerBatch] = []

    var isIdle: Bool { open == nil && ready.isEmpty && inFlight.isEmpty }

    mutating func sealOpen() {
        if let o = open {
            ready.append(o)
            open = nil
        }
    }

    /// How many more batches may be sent now, under the producer id `producerId` (-1: none).
    ///
    /// None while a batch numbered under another (given up) producer id is on the wire: it comes back
    /// refused and is numbered again, and it must then go before the batches made after it.
    func sendSlots(maxInFlight: Int, producerId: Int64) -> Int {
        guard let head = ready.first else { return 0 }
        if inFlight.contains(where: { $0.producerId != producerId }) { return 0 }
        if head.baseSequence >= 0 { return inFlight.isEmpty ? 1 : 0 }  // a retry: one at a time, alone
        return max(0, maxInFlight - inFlight.count)
    }

    /// Takes `batch` off the wire.
    mutating func landed(_ batch: ProducerBatch) {
        if let i = inFlight.firstIndex(where: { $0 === batch }) { inFlight.remove(at: i) }
    }

    /// Puts a batch that must be resent back among the waiting ones in the order the batches were
    /// made, which is also their sequence order.
    mutating func requeue(_ batch: ProducerBatch) {
        landed(batch)
        let i = ready.firstIndex { $0.serial > batch.serial }
        ready.insert(batch, at: i ?? ready.endIndex)
    }

    /// Whether a numbered batch made before `batch` is waiting or on the wire: then an out-of-order
    /// answer for `batch` only means that one is being retried.
    func hasEarlierBatch(than batch: ProducerBatch) -> Bool {
        guard batch.baseSequence >= 0 else { return false }
        return (ready + inFlight).contains { $0 !== batch && $0.baseSequence >= 0 && $0.serial < batch.serial }
    }
}

/// Whether the producer has its idempotence identity.
enum ProducerIdPhase { case none, initializing, ready, disabled }

/// The producer's mutable state, guarded by `KafkaProducer.lock`.
struct SenderState {
    var queues: [TopicPartition: PartitionQueue] = [:]
    var partitionCounts: [String: Int] = [:]
    var partitionCountsAtMs: [String: Int64] = [:]
    /// The next sequence number per partition under idempotence; outlives the partition's queue,
    /// which is dropped whenever it runs empty.
    var nextSequence: [TopicPartition: Int32] = [:]
    /// The partition records without key currently stick to, per topic.
    var sticky: [String: Int32] = [:]
    var bufferedBytes = 0
    var pendingRecords = 0
    var flushing = 0
    var flushWaiters: [CheckedContinuation<Void, Never>] = []
    var spaceWaiters: [CheckedContinuation<Void, Never>] = []
    var firstUnreportedError: KafkaClientError?
    var closed = false
    var wakeScheduled = false
    var timerDeadline: NIODeadline?
    var producerIdPhase = ProducerIdPhase.none
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1
    var connections: [Int32: BrokerConnection] = [:]
    var connecting: Set<Int32> = []
    var metadataRefreshing = false
    /// The serial of the last batch made.
    var batchSerial: UInt64 = 0

    /// The base sequence for the next `count` records of `tp`, advancing the partition's counter.
    /// Sequences wrap from Int32.max to 0, as the protocol defines.
    mutating func takeSequences(for tp: TopicPartition, count: Int32) -> Int32 {
        let seq = nextSequence[tp] ?? 0
        let next = Int64(seq) + Int64(count)
        nextSequence[tp] = Int32(truncatingIfNeeded: next > Int64(Int32.max) ? next - Int64(Int32.max) - 1 : next)
        return seq
    }

    /// The sticky partition for keyless records of `topic`.
    mutating func stickyPartition(for topic: String, count: Int) -> Int32 {
        if let p = sticky[topic], Int(p) < count { return p }
        let p = Int32.random(in: 0..<Int32(count))
        sticky[topic] = p
        return p
    }

    /// A batch of `tp` was sealed: keyless records of the topic move to another partition (KIP-480).
    mutating func partitionFilled(_ tp: TopicPartition) {
        guard sticky[tp.topic] == tp.partition, let count = partitionCounts[tp.topic], count > 1 else { return }
        var next = Int32.random(in: 0..<Int32(count - 1))
        if next >= tp.partition { next += 1 }
        sticky[tp.topic] = next
    }
}
