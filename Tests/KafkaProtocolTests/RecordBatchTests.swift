import NIOCore
import Testing
@testable import KafkaProtocol
import TributaryCore

@Suite struct RecordBatchTests {
    func sampleBatch(records n: Int = 3, baseOffset: Int64 = 0) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(baseOffset: baseOffset, producerId: 77, producerEpoch: 2, baseSequence: 10)
        for i in 0..<n {
            builder.append(
                key: i == 1 ? nil : ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "value-\(i)"),
                headers: i == 2 ? [RecordHeader(key: "h", value: ByteBuffer(string: "v")), RecordHeader(key: "n", value: nil)] : [],
                timestamp: 1_700_000_000_000 + Int64(i) * 5)
        }
        return try builder.build()
    }

    @Test func builtBatchParsesAndValidates() throws {
        let bytes = try sampleBatch()
        let batch = try RecordBatch(bytes)
        #expect(batch.header.totalSize == bytes.readableBytes)
        #expect(batch.header.magic == 2)
        #expect(batch.header.recordCount == 3)
        #expect(batch.header.lastOffsetDelta == 2)
        #expect(batch.header.baseTimestamp == 1_700_000_000_000)
        #expect(batch.header.maxTimestamp == 1_700_000_000_010)
        #expect(batch.header.producerId == 77)
        #expect(batch.header.baseSequence == 10)
        #expect(batch.isCRCValid)
        let records = try batch.records()
        #expect(records.count == 3)
        #expect(records[0].key == ByteBuffer(string: "k0"))
        #expect(records[1].key == nil)
        #expect(records[2].value == ByteBuffer(string: "value-2"))
        #expect(records[2].headers == [RecordHeader(key: "h", value: ByteBuffer(string: "v")), RecordHeader(key: "n", value: nil)])
        #expect(records[2].offsetDelta == 2)
        #expect(records[2].timestampDelta == 10)
    }

    @Test func headerFieldsRoundTripThroughWrite() throws {
        var h = RecordBatchHeader()
        h.baseOffset = 123; h.batchLength = 49; h.partitionLeaderEpoch = 4; h.crc = 0xDEAD_BEEF
        h.compressionCodec = 4; h.timestampType = .logAppendTime; h.isTransactional = true; h.isControl = true
        h.hasDeleteHorizon = true; h.lastOffsetDelta = 9; h.baseTimestamp = 5; h.maxTimestamp = 6
        h.producerId = 7; h.producerEpoch = 8; h.baseSequence = 9; h.recordCount = 10
        var b = ByteBuffer()
        h.write(into: &b)
        #expect(b.readableBytes == RecordBatchHeader.size)
        let parsed = try RecordBatchHeader(parsing: b, at: b.readerIndex)
        #expect(parsed == h)
        #expect(parsed.compressionCodec == 4 && parsed.isControl && parsed.isTransactional && parsed.hasDeleteHorizon)
        #expect(parsed.attributes == 0x7C)
        #expect(parsed.lastOffset == 132)
    }

    @Test func corruptionIsDetectedByTheCRC() throws {
        var bytes = try sampleBatch()
        let last = bytes.writerIndex - 1
        bytes.setInteger(bytes.getInteger(at: last, as: UInt8.self)! ^ 0x01, at: last)
        let batch = try RecordBatch(bytes)
        #expect(!batch.isCRCValid)
        #expect(throws: ProtocolError.self) { try batch.validateCRC() }
    }

    @Test func rewritingBaseOffsetAndEpochKeepsTheCRC() throws {
        var batch = try RecordBatch(try sampleBatch())
        batch.setBaseOffset(1_000)
        batch.setPartitionLeaderEpoch(12)
        let reparsed = try RecordBatch(batch.bytes)
        #expect(reparsed.header.baseOffset == 1_000)
        #expect(reparsed.header.partitionLeaderEpoch == 12)
        #expect(reparsed.header.lastOffset == 1_002)
        #expect(reparsed.isCRCValid)
    }

    @Test func splittingBackToBackBatches() throws {
        var all = try sampleBatch(records: 2, baseOffset: 0)
        var second = try sampleBatch(records: 4, baseOffset: 2)
        all.writeBuffer(&second)
        let batches = try RecordBatches.split(all)
        #expect(batches.map(\.header.recordCount) == [2, 4])
        #expect(batches[1].header.baseOffset == 2)
        #expect(try RecordBatches.split(ByteBuffer()).isEmpty)
    }

    @Test func aPartialTrailingBatchIsAnErrorOrIgnored() throws {
        var all = try sampleBatch(records: 2)
        let whole = all.readableBytes
        var second = try sampleBatch(records: 4)
        all.writeBuffer(&second)
        for cut in [1, 11, 12, 30, 61, second.writerIndex - 1] {
            let truncated = all.getSlice(at: 0, length: whole + cut)!
            #expect(throws: ProtocolError.self) { _ = try RecordBatches.split(truncated) }
            #expect(try RecordBatches.split(truncated, trailing: .ignorePartial).count == 1)
        }
    }

    @Test func legacyMagicAndBadLengthsAreRejected() throws {
        var bytes = try sampleBatch()
        bytes.setInteger(Int8(1), at: 16)
        #expect(throws: ProtocolError.self) { _ = try RecordBatch(bytes) }
        var short = try sampleBatch()
        short.setInteger(Int32(10), at: 8)
        #expect(throws: ProtocolError.self) { _ = try RecordBatches.split(short) }
    }

    @Test func everyPrefixOfABatchThrowsWhenSplitStrictly() throws {
        let bytes = try sampleBatch()
        for n in 1..<bytes.readableBytes {
            #expect(throws: ProtocolError.self) { _ = try RecordBatches.split(bytes.getSlice(at: 0, length: n)!) }
        }
    }

    @Test func recordCountMismatchIsAnError() throws {
        var bytes = try sampleBatch()
        bytes.setInteger(Int32(4), at: 57)
        #expect(throws: ProtocolError.self) { _ = try RecordBatch(bytes).records() }
        bytes.setInteger(Int32(2), at: 57)
        #expect(throws: ProtocolError.self) { _ = try RecordBatch(bytes).records() }
    }

    @Test func compressedBatchesUseTheGivenCodecHooks() throws {
        var builder = RecordBatchBuilder()
        builder.append(key: nil, value: ByteBuffer(string: "hello"), timestamp: 1)
        // A stand-in "codec" that reverses bytes, to prove the hooks are used both ways.
        let reverse: (Int, ByteBuffer) throws -> ByteBuffer = { _, b in ByteBuffer(bytes: Array(b.readableBytesView.reversed())) }
        #expect(throws: ProtocolError.self) { _ = try builder.build(compression: 1, compress: nil) }
        let bytes = try builder.build(compression: 1, compress: reverse)
        let batch = try RecordBatch(bytes)
        #expect(batch.header.compressionCodec == 1)
        #expect(batch.isCRCValid)
        #expect(throws: ProtocolError.self) { _ = try batch.records(decompress: nil) }
        #expect(throws: ProtocolError.self) { _ = try batch.records() }  // not really gzip
        #expect(try batch.records(decompress: reverse).first?.value == ByteBuffer(string: "hello"))
    }

    @Test(arguments: [1, 2, 3, 4])
    func compressedBatchesRoundTripThroughTheStandardCodecs(codec: Int) throws {
        var builder = RecordBatchBuilder()
        for i in 0..<50 {
            builder.append(key: ByteBuffer(string: "key-\(i % 5)"), value: ByteBuffer(string: String(repeating: "v\(i)", count: 20)), timestamp: Int64(i))
        }
        let plain = try builder.build()
        let compressed = try builder.build(compression: codec)
        #expect(compressed.readableBytes < plain.readableBytes)
        let batch = try RecordBatch(compressed)
        #expect(batch.header.compressionCodec == codec)
        #expect(batch.isCRCValid)
        #expect(try batch.records() == (try RecordBatch(plain).records()))
        // A bound smaller than the records refuses them.
        #expect(throws: ProtocolError.self) { _ = try batch.records(decompress: RecordsCompression.decompressor(maxOutputBytes: 100)) }
    }

    @Test func unknownCodecNumbersAreRefused() throws {
        var builder = RecordBatchBuilder()
        builder.append(key: nil, value: ByteBuffer(string: "x"), timestamp: 0)
        #expect(throws: ProtocolError.self) { _ = try builder.build(compression: 6) }
        var bytes = try builder.build()
        bytes.setInteger(Int16(7), at: 21)  // attributes; the CRC is not checked by records()
        #expect(throws: ProtocolError.self) { _ = try RecordBatch(bytes).records() }
    }

    @Test func controlBatchesCarryTransactionMarkers() throws {
        let bytes = try ControlRecord.markerBatch(.commit, producerId: 5, producerEpoch: 1, coordinatorEpoch: 9, timestamp: 100)
        let batch = try RecordBatch(bytes)
        #expect(batch.header.isControl && batch.header.isTransactional)
        let record = try #require(try batch.records().first)
        #expect(try ControlRecord.type(fromKey: record.key) == .commit)
        #expect(try ControlRecord.coordinatorEpoch(fromValue: record.value) == 9)
        #expect(throws: ProtocolError.self) { _ = try ControlRecord.type(fromKey: ByteBuffer(bytes: [0, 0, 0, 7])) }
    }

    @Test func zigZagVarintsRoundTripAtTheEdges() throws {
        let ints: [Int32] = [0, -1, 1, 63, -64, 64, 300, -300, Int32.max, Int32.min]
        let longs: [Int64] = [0, -1, 1, 1 << 40, -(1 << 40), Int64.max, Int64.min]
        var b = ByteBuffer()
        for v in ints {
            let n = b.writeZigZagVarint(v)
            #expect(n == ZigZag.varintSize(v))
        }
        for v in longs {
            let n = b.writeZigZagVarlong(v)
            #expect(n == ZigZag.varlongSize(v))
        }
        for v in ints { #expect(try b.readZigZagVarint() == v) }
        for v in longs { #expect(try b.readZigZagVarlong() == v) }
        // Known encodings: -1 → 0x01, 1 → 0x02, 64 → 0x80 0x01.
        var k = ByteBuffer(); k.writeZigZagVarint(-1); k.writeZigZagVarint(1); k.writeZigZagVarint(64)
        #expect(Array(k.readableBytesView) == [0x01, 0x02, 0x80, 0x01])
        var tooLong = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(throws: ProtocolError.self) { _ = try tooLong.readZigZagVarint() }
    }
}

@Suite struct RecordBatchValidationTests {
    func batch(_ deltas: [Int32], lastOffsetDelta: Int32? = nil) throws -> ByteBuffer {
        // Lay out records by hand, so that broken offset deltas can be expressed.
        var section = ByteBuffer()
        for d in deltas {
            Record(offsetDelta: d, timestampDelta: 0, key: nil, value: ByteBuffer(string: "v")).write(into: &section)
        }
        var header = RecordBatchHeader()
        header.recordCount = Int32(deltas.count)
        header.lastOffsetDelta = lastOffsetDelta ?? Int32(deltas.count - 1)
        header.batchLength = Int32(RecordBatchHeader.size - RecordBatchHeader.lengthPrefixSize + section.readableBytes)
        var out = ByteBuffer()
        header.write(into: &out)
        out.writeBuffer(&section)
        let crc = out.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...]))
        }
        out.setInteger(crc, at: 17)
        return out
    }

    @Test func wellFormedBatchesPass() throws {
        try RecordBatch(try batch([0, 1, 2])).validateRecords()
        var builder = RecordBatchBuilder()
        builder.append(key: nil, value: ByteBuffer(string: "x"), timestamp: 1)
        try RecordBatch(try builder.build(compression: 3)).validateRecords()
    }

    @Test func brokenBatchesAreRejected() throws {
        #expect(throws: ProtocolError.self) { try RecordBatch(try batch([0, 2, 3])).validateRecords() }
        #expect(throws: ProtocolError.self) { try RecordBatch(try batch([0, 1], lastOffsetDelta: 5)).validateRecords() }
        #expect(throws: ProtocolError.self) { try RecordBatch(try batch([])).validateRecords() }
        var corrupt = try batch([0, 1])
        corrupt.setInteger(UInt8(0x55), at: corrupt.writerIndex - 1)
        #expect(throws: ProtocolError.self) { try RecordBatch(corrupt).validateRecords() }
    }
}

@Suite struct RecordCodingTests {
    @Test func recordsReadBackOneAfterAnother() throws {
        let first = Record(offsetDelta: 0, timestampDelta: -5, key: ByteBuffer(string: "k"), value: nil,
                           headers: [RecordHeader(key: "é", value: ByteBuffer(bytes: [0, 1]))])
        let second = Record(offsetDelta: 1, timestampDelta: 1 << 40, key: nil, value: ByteBuffer(string: "value"))
        var buffer = ByteBuffer()
        first.write(into: &buffer)
        second.write(into: &buffer)
        #expect(buffer.readableBytes == first.encodedSize + second.encodedSize)
        #expect(try Record.read(from: &buffer) == first)
        #expect(try Record.read(from: &buffer) == second)
        #expect(buffer.readableBytes == 0)
        #expect(throws: ProtocolError.self) { _ = try Record.read(from: &buffer) }
    }

    @Test func aRecordLongerOrShorterThanItsFieldsIsRejected() throws {
        var record = ByteBuffer()
        Record(offsetDelta: 0, timestampDelta: 0, key: nil, value: ByteBuffer(string: "abc")).write(into: &record)
        var longer = ByteBuffer()
        longer.writeZigZagVarint(Int32(record.readableBytes))  // claims one more byte than the body has
        var body = record.getSlice(at: 1, length: record.readableBytes - 1)!
        longer.writeBuffer(&body)
        longer.writeInteger(UInt8(0))
        #expect(throws: ProtocolError.self) { _ = try Record.read(from: &longer) }
        var shorter = ByteBuffer()
        shorter.writeZigZagVarint(Int32(record.readableBytes - 2))
        body = record.getSlice(at: 1, length: record.readableBytes - 1)!
        shorter.writeBuffer(&body)
        #expect(throws: ProtocolError.self) { _ = try Record.read(from: &shorter) }
    }
}
