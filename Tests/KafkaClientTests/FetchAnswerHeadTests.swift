@testable import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// The position after a Fetch answer read from its first bytes, against answers encoded by the
/// protocol codec at every version the client sends: it must agree with what the whole answer gives,
/// and be nil whenever the head alone cannot tell.
struct FetchAnswerHeadTests {
    static let versions: [Int16] = [4, 5, 7, 11, 12]

    static func batch(base: Int64, count: Int) throws -> ByteBuffer {
        var b = RecordBatchBuilder(baseOffset: base)
        for i in 0..<count { b.append(key: nil, value: ByteBuffer(string: "value \(i)"), timestamp: 1_000) }
        return try b.build(compression: 0, compress: RecordCodecs.compress)
    }

    /// The head of an answer (correlation id first, as the connection hands it on).
    static func head(version: Int16, topic: String = "t", partition: Int32 = 0, errorCode: Int16 = 0,
                     aborted: [FetchResponse.AbortedTransaction]? = [], records: ByteBuffer?,
                     headBytes: Int = ClientLimits.responseHeadBytes) throws -> ByteBuffer {
        var p = FetchResponse.PartitionData()
        p.partitionIndex = partition
        p.errorCode = errorCode
        p.highWatermark = 100
        p.abortedTransactions = aborted
        p.records = records
        var t = FetchResponse.FetchableTopicResponse()
        t.topic = topic
        t.partitions = [p]
        var r = FetchResponse()
        r.responses = [t]
        var frame = try KafkaFrame.encodeResponse(r, version: version, correlationId: 7)
        frame.moveReaderIndex(forwardBy: 4)  // the size prefix
        return frame.readSlice(length: min(headBytes, frame.readableBytes))!
    }

    static func next(_ head: ByteBuffer, version: Int16, fetchOffset: Int64 = 0) -> Int64? {
        FetchAnswerHead.nextOffset(head: head, version: version, topic: "t", partition: 0, fetchOffset: fetchOffset)
    }

    @Test(arguments: versions)
    func oneCompleteBatchGivesThePositionAfterIt(_ version: Int16) throws {
        let records = try Self.batch(base: 40, count: 5)
        #expect(Self.next(try Self.head(version: version, records: records), version: version, fetchOffset: 40) == 45)
        // The same with aborted transactions listed, or none (null), before the records.
        var abortedTransaction = FetchResponse.AbortedTransaction()
        abortedTransaction.producerId = 3
        abortedTransaction.firstOffset = 41
        let aborted = [abortedTransaction]
        #expect(Self.next(try Self.head(version: version, aborted: aborted, records: records), version: version) == 45)
        #expect(Self.next(try Self.head(version: version, aborted: nil, records: records), version: version) == 45)
        // What the whole answer gives, for comparison.
        let decoder = FetchedPartitionDecoder(topic: "t", partition: 0, isolation: .readUncommitted, checkCRCs: false)
        #expect(try decoder.nextOffset(in: records, fetchOffset: 40) == 45)
    }

    @Test(arguments: versions)
    func anythingButOneCompleteBatchOfThePartitionAskedForGivesNothing(_ version: Int16) throws {
        var two = try Self.batch(base: 0, count: 3)
        var second = try Self.batch(base: 3, count: 3)
        two.writeBuffer(&second)
        #expect(Self.next(try Self.head(version: version, records: two), version: version) == nil)
        let whole = try Self.batch(base: 0, count: 3)
        let partial = whole.getSlice(at: whole.readerIndex, length: whole.readableBytes - 1)!
        #expect(Self.next(try Self.head(version: version, records: partial), version: version) == nil)
        #expect(Self.next(try Self.head(version: version, records: nil), version: version) == nil)
        #expect(Self.next(try Self.head(version: version, records: ByteBuffer()), version: version) == nil)
        #expect(Self.next(try Self.head(version: version, errorCode: 1, records: whole), version: version) == nil)
        #expect(Self.next(try Self.head(version: version, topic: "u", records: whole), version: version) == nil)
        #expect(Self.next(try Self.head(version: version, partition: 1, records: whole), version: version) == nil)
        // A batch that ends before the fetch position moves nothing.
        #expect(Self.next(try Self.head(version: version, records: whole), version: version, fetchOffset: 3) == nil)
        // A head cut before the batch header ends.
        let full = try Self.head(version: version, records: whole, headBytes: 1 << 20)
        let fullBytes = Array(full.readableBytesView), batchBytes = Array(whole.readableBytesView)
        let batchStart = try #require((0...(fullBytes.count - batchBytes.count)).first {
            Array(fullBytes[$0..<($0 + batchBytes.count)]) == batchBytes
        })
        let enough = batchStart + FetchAnswerHead.batchHeaderBytesNeeded
        #expect(Self.next(full.getSlice(at: full.readerIndex, length: enough)!, version: version) == 3)
        for cut in 0..<enough {
            #expect(Self.next(full.getSlice(at: full.readerIndex, length: cut)!, version: version) == nil)
        }
    }

    @Test func unknownVersionsGiveNothing() throws {
        let head = try Self.head(version: 12, records: try Self.batch(base: 0, count: 1))
        #expect(FetchAnswerHead.nextOffset(head: head, version: 13, topic: "t", partition: 0, fetchOffset: 0) == nil)
        #expect(FetchAnswerHead.nextOffset(head: head, version: 3, topic: "t", partition: 0, fetchOffset: 0) == nil)
    }
}
