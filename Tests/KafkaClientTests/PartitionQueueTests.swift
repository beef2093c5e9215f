import NIOCore
import Testing

@testable import KafkaClient

/// The rules that keep a partition's batches in sequence order while several are on the wire.
struct PartitionQueueTests {
    let tp = TopicPartition("t", 0)

    func batch(sequence: Int32 = -1) -> ProducerBatch {
        let b = ProducerBatch(tp: tp, now: .now(), deliveryTimeoutMs: 60_000)
        b.baseSequence = sequence
        return b
    }

    @Test func newBatchesFillTheWireUpToTheLimit() {
        var q = PartitionQueue()
        q.ready = (0..<7).map { _ in batch() }
        #expect(q.sendSlots(maxInFlight: 5) == 5)
        q.inFlight = Array(q.ready.prefix(5))
        q.ready.removeFirst(5)
        #expect(q.sendSlots(maxInFlight: 5) == 0)
        q.landed(q.inFlight[0])
        #expect(q.inFlight.count == 4)
        #expect(q.sendSlots(maxInFlight: 5) == 1)
    }

    @Test func aRetryWaitsUntilTheWireIsEmptyAndGoesAlone() {
        var q = PartitionQueue()
        let (a, b, c) = (batch(sequence: 0), batch(sequence: 10), batch(sequence: 20))
        q.inFlight = [a, b, c]
        q.ready = [batch(), batch()]
        q.requeue(b)  // b failed: it goes ahead of the unnumbered batches
        #expect(q.ready.first === b)
        #expect(q.inFlight.count == 2)
        #expect(q.sendSlots(maxInFlight: 5) == 0)
        q.requeue(c)
        q.landed(a)
        #expect(q.ready.prefix(2).map(\.baseSequence) == [10, 20])
        #expect(q.sendSlots(maxInFlight: 5) == 1)
    }

    @Test func requeueKeepsSequenceOrderWhateverOrderFailuresArriveIn() {
        var q = PartitionQueue()
        let batches = [30, 0, 20, 10].map { batch(sequence: $0) }
        q.inFlight = batches
        let fresh = batch()
        q.ready = [fresh]
        for b in batches { q.requeue(b) }
        #expect(q.ready.map(\.baseSequence) == [0, 10, 20, 30, -1])
        #expect(q.inFlight.isEmpty)
    }

    @Test func outOfOrderIsExpectedOnlyBehindAnEarlierBatch() {
        var q = PartitionQueue()
        let (a, b) = (batch(sequence: 0), batch(sequence: 5))
        q.inFlight = [b]
        q.ready = [a]
        #expect(q.hasEarlierBatch(than: b))
        #expect(!q.hasEarlierBatch(than: a))
        q.ready = []
        #expect(!q.hasEarlierBatch(than: b))
    }
}
