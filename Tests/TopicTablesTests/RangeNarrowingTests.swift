import Columnar
import Engine
import KafkaProtocol
import NIOCore
import Testing
@testable import TopicTables

/// Which predicates narrow the fetched offset ranges, and how: only conjuncts over `partition`,
/// `offset` and `timestamp` with constants; anything else is left to the filter.
@Suite struct RangeNarrowingTests {
    let partition = Expr.attribute(Attribute(name: "partition", type: .int32))
    let offset = Expr.attribute(Attribute(name: "offset", type: .int64))
    let timestamp = Expr.attribute(Attribute(name: "timestamp", type: .timestamp))
    let value = Expr.attribute(Attribute(name: "value", type: .binary))

    func int(_ v: Int64) -> Expr { .literal(.int(v), .int64) }

    @Test func offsetBoundsAreExclusiveAtTheEnd() {
        let n = RangeNarrowing([.binary(.greater, offset, int(5)), .binary(.lessOrEqual, offset, int(9))])
        #expect(n.offsetFrom == 6 && n.offsetUntil == 10)
        let flipped = RangeNarrowing([.binary(.less, int(5), offset), .binary(.greaterOrEqual, int(9), offset)])
        #expect(flipped.offsetFrom == 6 && flipped.offsetUntil == 10)
        let between = RangeNarrowing([.between(offset, low: int(3), high: int(4), negated: false)])
        #expect(between.offsetFrom == 3 && between.offsetUntil == 5)
        let equal = RangeNarrowing([.binary(.and, .binary(.equal, offset, int(7)), .binary(.greater, offset, int(2)))])
        #expect(equal.offsetFrom == 7 && equal.offsetUntil == 8)
    }

    @Test func partitionsFromEqualityAndInLists() {
        let n = RangeNarrowing([.inList(partition, [int(1), int(2), int(5)], negated: false),
                                .binary(.equal, .cast(partition, .int64), int(2))])
        #expect(n.partitions == [2])
        #expect(RangeNarrowing([.inList(partition, [int(1)], negated: true)]).partitions == nil)
    }

    @Test func timestampLowerBoundsOnlyInMilliseconds() {
        let n = RangeNarrowing([.binary(.greaterOrEqual, timestamp, .literal(.timestamp(1_500), .timestamp)),
                                .binary(.less, timestamp, .literal(.timestamp(9_000_000), .timestamp))])
        // 1.5 ms rounds up to 2 ms; the upper bound is not pushed.
        #expect(n.timestampFromMs == 2)
        #expect(n.offsetUntil == nil)
    }

    @Test func otherPredicatesAreLeftAlone() {
        let n = RangeNarrowing([.binary(.or, .binary(.greater, offset, int(5)), .binary(.less, offset, int(2))),
                                .isNull(value, negated: false), .binary(.notEqual, offset, int(3))])
        #expect(n == RangeNarrowing([]))
    }

    @Test func endOfCompleteBatchesReadsHeadersOnly() throws {
        var builder = RecordBatchBuilder(baseOffset: 40)
        for i in 0..<3 { builder.append(key: nil, value: ByteBuffer(string: "v\(i)"), timestamp: 1000) }
        let batch = try builder.build()
        var one = ByteBuffer()
        var copy = batch
        one.writeBuffer(&copy)
        #expect(PartitionRangeReader.endOfCompleteBatches(one) == 43)
        // A batch cut short at the end is not counted.
        var partial = one
        partial.writeBytes(batch.readableBytesView.prefix(30))
        #expect(PartitionRangeReader.endOfCompleteBatches(partial) == 43)
        #expect(PartitionRangeReader.endOfCompleteBatches(ByteBuffer()) == 0)
    }
}
