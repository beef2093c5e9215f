import KafkaProtocol
import LogStorage
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under the system temp dir, removed by the caller.
func temporaryDirectory() -> String {
    var template = Array("/tmp/tributary-test-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    return path
}

/// A batch of `count` records with values "v<first>"…, timestamps `timestamp + i`.
func batch(first: Int = 0, count: Int, timestamp: Int64 = 1_000, producerId: Int64 = -1, epoch: Int16 = -1,
           sequence: Int32 = -1) throws -> ByteBuffer {
    var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
    for i in 0..<count {
        builder.append(key: nil, value: ByteBuffer(string: "v\(first + i)"), timestamp: timestamp + Int64(i))
    }
    return try builder.build()
}

func values(_ buffer: ByteBuffer) throws -> [String] {
    var out: [String] = []
    var rest = buffer
    while rest.readableBytes > 0 {
        let b = try RecordBatch(rest)
        for r in try b.records() {
            var v = r.value!
            out.append(v.readString(length: v.readableBytes)!)
        }
        rest.moveReaderIndex(forwardBy: b.header.totalSize)
    }
    return out
}

func readAll(_ log: PartitionLog, from offset: Int64 = 0) throws -> [String] {
    var out: [String] = []
    var next = offset
    for _ in 0..<10_000 {
        guard case .records(let bytes) = try log.read(from: next, maxBytes: 1 << 20), bytes.readableBytes > 0 else { break }
        var rest = bytes
        while rest.readableBytes > 0 {
            let b = try RecordBatch(rest)
            for r in try b.records() where b.header.baseOffset + Int64(r.offsetDelta) >= next {
                var v = r.value!
                out.append(v.readString(length: v.readableBytes)!)
            }
            next = b.header.lastOffset + 1
            rest.moveReaderIndex(forwardBy: b.header.totalSize)
        }
    }
    return out
}

@Suite struct PartitionLogTests {
    @Test func appendAssignsOffsetsAndReadsBack() throws {
        let dir = temporaryDirectory()
        let log = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        let a = try log.append(try batch(first: 0, count: 3), nowMs: 0)
        let b = try log.append(try batch(first: 3, count: 2), nowMs: 0)
        #expect(a.firstOffset == 0 && a.lastOffset == 2)
        #expect(b.firstOffset == 3 && b.lastOffset == 4)
        #expect(log.logEndOffset == 5)
        #expect(try readAll(log) == ["v0", "v1", "v2", "v3", "v4"])
        // Reading from the middle of a batch returns the whole batch that holds the offset.
        guard case .records(let bytes) = try log.read(from: 1, maxBytes: 1) else { Issue.record("out of range"); return }
        #expect(try values(bytes) == ["v0", "v1", "v2"])
        if case .offsetOutOfRange = try log.read(from: 6, maxBytes: 100) {} else { Issue.record("offset 6 should be out of range") }
    }

    @Test func segmentsRollBySizeAndSurviveReopen() throws {
        let dir = temporaryDirectory()
        var config = LogConfig()
        config.segmentBytes = 1024
        let log = try PartitionLog(directory: dir, config: config, nowMs: 0)
        for i in 0..<50 { _ = try log.append(try batch(first: i * 4, count: 4), nowMs: 0) }
        #expect(log.segmentCount > 3)
        let expected = (0..<200).map { "v\($0)" }
        #expect(try readAll(log) == expected)
        let reopened = try PartitionLog(directory: dir, config: config, nowMs: 0)
        #expect(reopened.logEndOffset == 200)
        #expect(try readAll(reopened) == expected)
        #expect(try readAll(reopened, from: 137).first == "v137")
    }

    @Test func tornTailIsCutOnRecovery() throws {
        let dir = temporaryDirectory()
        let log = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        _ = try log.append(try batch(first: 0, count: 5), nowMs: 0)
        _ = try log.append(try batch(first: 5, count: 5), nowMs: 0)
        let file = try LogFile(path: dir + "/00000000000000000000.log", create: false)
        let size = try file.size()
        // A torn write: the last batch loses its final bytes.
        try file.truncate(to: size - 7)
        let reopened = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        #expect(reopened.logEndOffset == 5)
        #expect(try readAll(reopened) == (0..<5).map { "v\($0)" })
        // Appends continue from the cut.
        let next = try reopened.append(try batch(first: 100, count: 1), nowMs: 0)
        #expect(next.firstOffset == 5)
    }

    @Test func corruptBatchIsCutOnRecovery() throws {
        let dir = temporaryDirectory()
        let log = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        _ = try log.append(try batch(first: 0, count: 2), nowMs: 0)
        let second = try log.append(try batch(first: 2, count: 2), nowMs: 0)
        #expect(second.firstOffset == 2)
        let file = try LogFile(path: dir + "/00000000000000000000.log", create: false)
        let size = try file.size()
        // Flip a byte inside the last record's value: the CRC no longer matches.
        var byte = try file.read(at: size - 2, length: 1)
        let flipped = byte.readInteger(as: UInt8.self)! ^ 0xFF
        var patch = ByteBuffer()
        patch.writeInteger(flipped)
        try file.write(patch, at: size - 2)
        let reopened = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        #expect(reopened.logEndOffset == 2)
        #expect(try readAll(reopened) == ["v0", "v1"])
    }

    @Test func badBatchesAreRefusedAndNothingIsWritten() throws {
        let dir = temporaryDirectory()
        var config = LogConfig()
        config.maxMessageBytes = 200
        let log = try PartitionLog(directory: dir, config: config, nowMs: 0)
        var corrupt = try batch(count: 2)
        corrupt.setInteger(UInt8(0x7F), at: corrupt.writerIndex - 1)
        #expect(throws: AppendError.self) { try log.append(corrupt, nowMs: 0) }
        var good = try batch(count: 1)
        good.writeImmutableBuffer(corrupt)  // one good batch, then a bad one: all or nothing
        #expect(throws: AppendError.self) { try log.append(good, nowMs: 0) }
        #expect(throws: AppendError.self) { try log.append(try batch(count: 40), nowMs: 0) }  // too large
        #expect(throws: AppendError.self) { try log.append(ByteBuffer(string: "garbage"), nowMs: 0) }
        #expect(log.logEndOffset == 0)
    }

    @Test func idempotentRetriesAreNotWrittenTwice() throws {
        let dir = temporaryDirectory()
        let log = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        let first = try log.append(try batch(first: 0, count: 3, producerId: 7, epoch: 0, sequence: 0), nowMs: 0)
        let retry = try log.append(try batch(first: 0, count: 3, producerId: 7, epoch: 0, sequence: 0), nowMs: 0)
        #expect(retry.duplicate && retry.firstOffset == first.firstOffset)
        #expect(log.logEndOffset == 3)
        _ = try log.append(try batch(first: 3, count: 2, producerId: 7, epoch: 0, sequence: 3), nowMs: 0)
        // A gap in the sequence is out of order.
        let gap = #expect(throws: AppendError.self) {
            try log.append(try batch(first: 9, count: 1, producerId: 7, epoch: 0, sequence: 9), nowMs: 0)
        }
        #expect(gap?.code == .outOfOrderSequenceNumber)
        // An older epoch is fenced.
        let stale = #expect(throws: AppendError.self) {
            try log.append(try batch(first: 9, count: 1, producerId: 7, epoch: -1 + 0, sequence: 5), nowMs: 0)
        }
        #expect(stale?.code == .invalidProducerEpoch || stale?.code == .outOfOrderSequenceNumber)
        // Producer state is rebuilt from the log on restart: the retry is still recognised.
        let reopened = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        let again = try reopened.append(try batch(first: 3, count: 2, producerId: 7, epoch: 0, sequence: 3), nowMs: 0)
        #expect(again.duplicate && again.firstOffset == 3)
        #expect(reopened.logEndOffset == 5)
    }

    @Test func timestampLookupAndMaxTimestamp() throws {
        let dir = temporaryDirectory()
        let log = try PartitionLog(directory: dir, config: LogConfig(), nowMs: 0)
        _ = try log.append(try batch(first: 0, count: 10, timestamp: 100), nowMs: 0)   // 100…109
        _ = try log.append(try batch(first: 10, count: 10, timestamp: 500), nowMs: 0)  // 500…509
        _ = try log.append(try batch(first: 20, count: 1, timestamp: 50), nowMs: 0)    // out of order
        #expect(try log.batch(atOrAfterTimestamp: 105)?.baseOffset == 0)
        #expect(try log.batch(atOrAfterTimestamp: 110)?.baseOffset == 10)
        #expect(try log.batch(atOrAfterTimestamp: 510) == nil)
        let max = log.maxTimestampOffset()
        #expect(max.timestamp == 509)
    }

    @Test func retentionAndDeleteRecordsMoveTheLogStart() throws {
        let dir = temporaryDirectory()
        var config = LogConfig()
        config.segmentBytes = 300
        config.retentionBytes = 600
        config.retentionMs = -1
        let log = try PartitionLog(directory: dir, config: config, nowMs: 0)
        for i in 0..<30 { _ = try log.append(try batch(first: i * 2, count: 2), nowMs: 0) }
        let before = log.segmentCount
        let deleted = try log.enforceRetention(nowMs: 0)
        #expect(deleted > 0 && log.segmentCount == before - deleted)
        #expect(log.logStartOffset > 0)
        #expect(log.sizeBytes <= 600 + 300)
        if case .offsetOutOfRange = try log.read(from: 0, maxBytes: 100) {} else { Issue.record("offset 0 should be gone") }
        let start = try log.deleteRecords(before: 55)
        #expect(start == 55)
        let reopened = try PartitionLog(directory: dir, config: config, nowMs: 0)
        #expect(reopened.logStartOffset == 55)
        #expect(try readAll(reopened, from: 55) == ["v55", "v56", "v57", "v58", "v59"])
    }

    @Test func logAppendTimeStampsTheBatch() throws {
        let dir = temporaryDirectory()
        var config = LogConfig()
        config.messageTimestampType = "LogAppendTime"
        let log = try PartitionLog(directory: dir, config: config, nowMs: 424_242)
        let result = try log.append(try batch(count: 2, timestamp: 1), nowMs: 424_242)
        #expect(result.logAppendTimeMs == 424_242)
        guard case .records(let bytes) = try log.read(from: 0, maxBytes: 1000) else { return }
        let b = try RecordBatch(bytes)
        #expect(b.header.maxTimestamp == 424_242 && b.header.timestampType == .logAppendTime && b.isCRCValid)
    }
}
