import NIOCore

/// The batches of one partition: the one still filling, those sealed and waiting, and whether one is
/// on the wire (at most one, so that retries keep order).
struct PartitionQueue {
    var open: ProducerBatch?
    var ready: [ProducerBatch] = []
    var inFlight = false

    mutating func sealOpen() {
        if let o = open {
            ready.append(o)
            open = nil
        }
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
