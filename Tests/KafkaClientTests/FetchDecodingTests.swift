@testable import KafkaClient
import KafkaProtocol
import NIOCore
import Testing
import TributaryCore

struct FetchDecodingTests {
    static func batch(base: Int64, values: [String], codec: CompressionCodec = .none, producerId: Int64 = -1,
                      transactional: Bool = false, headers: [RecordHeader] = []) throws -> ByteBuffer {
        var b = RecordBatchBuilder(baseOffset: base, producerId: producerId, producerEpoch: 0, baseSequence: 0,
                                   isTransactional: transactional)
        for (i, v) in values.enumerated() {
            b.append(key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: v), headers: headers, timestamp: 1_000 + Int64(i))
        }
        return try b.build(compression: Int(codec.rawValue), compress: RecordCodecs.compress)
    }

    static func decode(_ bytes: ByteBuffer, from offset: Int64, isolation: IsolationLevel = .readUncommitted,
                       aborted: [FetchResponse.AbortedTransaction]? = nil) throws -> FetchedPartitionDecoder.Output {
        var out = FetchedPartitionDecoder.Output()
        try FetchedPartitionDecoder(topic: "t", partition: 0, isolation: isolation, checkCRCs: true)
            .decode(records: bytes, fetchOffset: offset, abortedTransactions: aborted, into: &out)
        return out
    }

    @Test(arguments: CompressionCodec.allCases)
    func decodesEveryCodec(_ codec: CompressionCodec) throws {
        let h = [RecordHeader(key: "h", value: ByteBuffer(string: "v"))]
        let bytes = try Self.batch(base: 10, values: ["a", "b", "c"], codec: codec, headers: h)
        let out = try Self.decode(bytes, from: 10)
        #expect(out.records.map(\.valueString) == ["a", "b", "c"])
        #expect(out.records.map(\.keyString) == ["k0", "k1", "k2"])
        #expect(out.records.map(\.offset) == [10, 11, 12])
        #expect(out.records.map(\.timestampMs) == [1_000, 1_001, 1_002])
        #expect(out.records[0].headers == h)
        #expect(out.nextOffset == 13)
    }

    @Test func skipsRecordsBeforeTheFetchOffset() throws {
        var bytes = try Self.batch(base: 0, values: ["a", "b", "c"], codec: .lz4)
        var second = try Self.batch(base: 3, values: ["d"])
        bytes.writeBuffer(&second)
        let out = try Self.decode(bytes, from: 2)
        #expect(out.records.map(\.offset) == [2, 3])
        #expect(out.nextOffset == 4)
    }

    @Test func ignoresAPartialTrailingBatch() throws {
        var bytes = try Self.batch(base: 0, values: ["a"])
        let second = try Self.batch(base: 1, values: ["b", "c"])
        bytes.writeBytes(second.getBytes(at: 0, length: second.readableBytes - 5)!)
        let out = try Self.decode(bytes, from: 0)
        #expect(out.records.map(\.valueString) == ["a"])
        #expect(out.nextOffset == 1)
    }

    /// A batch header claiming the last possible offset must not trap the position arithmetic
    /// (a broker bug or a corrupt answer is an error or no progress, never a crash).
    @Test func aBatchAtTheLastPossibleOffsetDoesNotTrap() throws {
        let bytes = try Self.batch(base: Int64.max, values: ["a"])
        let decoder = FetchedPartitionDecoder(topic: "t", partition: 0, isolation: .readUncommitted, checkCRCs: true)
        #expect(try decoder.nextOffset(in: bytes, fetchOffset: 0) == nil)
        var out = FetchedPartitionDecoder.Output()
        _ = try? decoder.decode(records: bytes, fetchOffset: 0, abortedTransactions: nil, into: &out)
    }

    /// The consumer moves its position from the batch headers before decoding (to send the next fetch
    /// early); that position must be the one decoding reports.
    @Test func nextOffsetFromHeadersEqualsTheDecodedOne() throws {
        var bytes = try Self.batch(base: 0, values: ["a", "b", "c"], codec: .lz4)
        var second = try Self.batch(base: 3, values: ["d", "e"])
        bytes.writeBuffer(&second)
        let third = try Self.batch(base: 5, values: ["f"])
        let cut = third.getSlice(at: 0, length: third.readableBytes - 3)!
        let decoder = FetchedPartitionDecoder(topic: "t", partition: 0, isolation: .readUncommitted, checkCRCs: true)
        for (input, offset) in [(bytes, Int64(0)), (bytes, 4), (bytes, 5), (cut, 5)] {
            var withPartial = input
            if offset == 4 { withPartial.writeImmutableBuffer(cut) }
            let decoded = try Self.decode(withPartial, from: offset)
            #expect(try decoder.nextOffset(in: withPartial, fetchOffset: offset) == decoded.nextOffset)
        }
        #expect(try decoder.nextOffset(in: bytes, fetchOffset: 0) == 5)
        #expect(try decoder.nextOffset(in: cut, fetchOffset: 5) == nil)
    }

    /// Views handed out by `FetchedRecords.forEach` carry what `poll` builds records from: the same
    /// offsets, timestamps, keys and values, records before the fetch position skipped, control and
    /// aborted batches left out.
    @Test(arguments: [CompressionCodec.none, .lz4, .zstd])
    func recordViewsMatchDecodedRecords(_ codec: CompressionCodec) throws {
        var bytes = try Self.batch(base: 0, values: ["a", "b", "c"], codec: codec,
                                   headers: [RecordHeader(key: "h", value: ByteBuffer(string: "v"))])
        var abort = try ControlRecord.markerBatch(.abort, producerId: 9, producerEpoch: 0, coordinatorEpoch: 0, timestamp: 5, baseOffset: 3)
        var plain = try Self.batch(base: 4, values: ["d", "é"])
        bytes.writeBuffer(&abort)
        bytes.writeBuffer(&plain)
        for isolation in [IsolationLevel.readUncommitted, .readCommitted] {
            let decoder = FetchedPartitionDecoder(topic: "t", partition: 0, isolation: isolation, checkCRCs: true)
            let fetched = FetchedRecords(topic: "t", partition: 0, fetchOffset: 1, nextOffset: 6, bytes: bytes,
                                         abortedTransactions: nil, decoder: decoder)
            var views: [(Int64, Int64, String?, String?)] = []
            let finished = try fetched.forEach { r in
                views.append((r.offset, r.timestampMs, r.key.map { String(decoding: $0, as: UTF8.self) },
                              r.value.map { String(decoding: $0, as: UTF8.self) }))
                return true
            }
            #expect(finished)
            let records = try Self.decode(bytes, from: 1, isolation: isolation).records
            #expect(views.map(\.0) == records.map(\.offset))
            #expect(views.map(\.1) == records.map(\.timestampMs))
            #expect(views.map(\.2) == records.map(\.keyString))
            #expect(views.map(\.3) == records.map(\.valueString))
            #expect(views.map(\.0) == [1, 2, 4, 5])
            // Returning false stops the walk.
            var seen = 0
            #expect(try fetched.forEach { _ in seen += 1; return seen < 2 } == false)
            #expect(seen == 2)
        }
    }

    @Test func recordViewsOfAMalformedRecordThrowATypedError() throws {
        var b = RecordBatchBuilder(baseOffset: 0)
        b.append(key: nil, value: ByteBuffer(string: "hello"), timestamp: 1)
        var bytes = try b.build()
        // The record's length prefix is the first byte of the records section; make it claim more
        // bytes than remain (the CRC is not checked by forEach: poll checked it).
        bytes.setInteger(UInt8(0x7E), at: bytes.readerIndex + RecordBatchHeader.size)
        let decoder = FetchedPartitionDecoder(topic: "t", partition: 0, isolation: .readUncommitted, checkCRCs: true)
        let fetched = FetchedRecords(topic: "t", partition: 0, fetchOffset: 0, nextOffset: 1, bytes: bytes,
                                     abortedTransactions: nil, decoder: decoder)
        #expect(throws: KafkaClientError.self) { try fetched.forEach { _ in true } }
    }

    @Test func corruptBatchThrowsATypedError() throws {
        var bytes = try Self.batch(base: 0, values: ["hello"])
        let last = bytes.writerIndex - 1
        bytes.setInteger(bytes.getInteger(at: last, as: UInt8.self)! ^ 0xFF, at: last)
        #expect(throws: KafkaClientError.self) { try Self.decode(bytes, from: 0) }
    }

    @Test func readCommittedDropsAbortedTransactionsAndControlBatches() throws {
        var bytes = try Self.batch(base: 0, values: ["x1", "x2"], producerId: 7, transactional: true)
        var abort = try ControlRecord.markerBatch(.abort, producerId: 7, producerEpoch: 0, coordinatorEpoch: 0, timestamp: 5, baseOffset: 2)
        var committed = try Self.batch(base: 3, values: ["y"], producerId: 8, transactional: true)
        var commit = try ControlRecord.markerBatch(.commit, producerId: 8, producerEpoch: 0, coordinatorEpoch: 0, timestamp: 6, baseOffset: 4)
        bytes.writeBuffer(&abort)
        bytes.writeBuffer(&committed)
        bytes.writeBuffer(&commit)
        var aborted = FetchResponse.AbortedTransaction()
        aborted.producerId = 7
        aborted.firstOffset = 0

        let committedOnly = try Self.decode(bytes, from: 0, isolation: .readCommitted, aborted: [aborted])
        #expect(committedOnly.records.map(\.valueString) == ["y"])
        #expect(committedOnly.nextOffset == 5)

        let everything = try Self.decode(bytes, from: 0, isolation: .readUncommitted, aborted: [aborted])
        #expect(everything.records.map(\.valueString) == ["x1", "x2", "y"])
    }
}
