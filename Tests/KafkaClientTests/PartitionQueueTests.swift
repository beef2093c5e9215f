import NIOCore
import Testing

@testable import KafkaClient

/// The rules that keep a partition's batches in sequence order while several are on the wire.
struct PartitionQueueTests {
    let tp = TopicPartition("t", 0)

    /// A batch made `serial`-th, numbered `sequence` (-1: not yet).
    func batch(_ serial: UInt64, sequence: Int32 = -1) -> ProducerBatch {
        let b = ProducerBatch(tp: tp, serial: serial, now: .now(), deliveryTimeoutMs: 60_000)
        b.baseSequence = sequence
        return b
    }

    @Test func newBatchesFillTheWireUpToTheLimit() {
        var q = PartitionQueue()
        q.ready = (0..<7).map { batch($0) }
        #expect(q.sendSlots(maxInFlight: 5, producerId: -1) == 5)
        q.inFlight = Array(q.ready.prefix(5))
        q.ready.removeFirst(5)
        #expect(q.sendSlots(maxInFlight: 5, producerId: -1) == 0)
        q.landed(q.inFlight[0])
        #expect(q.inFlight.count == 4)
        #expect(q.sendSlots(maxInFlight: 5, producerId: -1) == 1)
    }

    @Test func aRetryWaitsUntilTheWireIsEmptyAndGoesAlone() {
        var q = PartitionQueue()
        let (a, b, c) = (batch(0, sequence: 0), batch(1, sequence: 10), batch(2, sequence: 20))
        q.inFlight = [a, b, c]
        q.ready = [batch(3), batch(4)]
        q.requeue(b)  // b failed: it goes ahead of the unnumbered batches
        #expect(q.ready.first === b)
        #expect(q.inFlight.count == 2)
        #expect(q.sendSlots(maxInFlight: 5, producerId: -1) == 0)
        q.requeue(c)
        q.landed(a)
        #expect(q.ready.prefix(2).map(\.baseSequence) == [10, 20])
        #expect(q.sendSlots(maxInFlight: 5, producerId: -1) == 1)
    }

    @Test func requeueKeepsTheOrderBatchesWereMadeInWhateverOrderFailuresArriveIn() {
        var q = PartitionQueue()
        let batches: [ProducerBatch] = [(3, 30), (0, 0), (2, 20), (1, 10)].map { batch($0.0, sequence: $0.1) }
        q.inFlight = batches
        q.ready = [batch(4)]
        for b in batches { q.requeue(b) }
        #expect(q.ready.map(\.baseSequence) == [0, 10, 20, 30, -1])
        #expect(q.inFlight.isEmpty)
        // Batches that lost their numbers (a new producer id) keep their order too.
        var r = PartitionQueue()
        let unnumbered = (0..<3).map { batch(UInt64($0)) }
        r.inFlight = unnumbered
        for b in unnumbered { r.requeue(b) }
        #expect(r.ready.map(\.serial) == [0, 1, 2])
    }

    @Test func nothingNewIsSentWhileBatchesOfAGivenUpProducerIdAreOnTheWire() {
        var q = PartitionQueue()
        let old = batch(1, sequence: 10)
        old.producerId = 7
        q.inFlight = [old]
        q.ready = [batch(2), batch(3)]
        // Producer id 7 was given up for 8: the batch on the wire will come back refused and must be
        // numbered again before the batches made after it.
        #expect(q.sendSlots(maxInFlight: 5, producerId: 8) == 0)
        #expect(q.sendSlots(maxInFlight: 5, producerId: 7) == 4)
        old.unnumber()
        q.requeue(old)
        #expect(q.ready.map(\.serial) == [1, 2, 3])
        #expect(q.sendSlots(maxInFlight: 5, producerId: 8) == 5)
    }

    @Test func outOfOrderIsExpectedOnlyBehindAnEarlierBatch() {
        var q = PartitionQueue()
        let (a, b) = (batch(0, sequence: 0), batch(1, sequence: 5))
        q.inFlight = [b]
        q.ready = [a]
        #expect(q.hasEarlierBatch(than: b))
        #expect(!q.hasEarlierBatch(than: a))
        q.ready = []
        #expect(!q.hasEarlierBatch(than: b))
    }
}
