import KafkaProtocol
import LogStorage
import NIOCore
import Testing

/// A batch of keyed records; a nil value is a tombstone.
func keyedBatch(_ records: [(key: String?, value: String?)], timestamp: Int64 = 1_000, compression: Int = 0) throws -> ByteBuffer {
    var builder = RecordBatchBuilder()
    for (i, r) in records.enumerated() {
        builder.append(key: r.key.map { ByteBuffer(string: $0) }, value: r.value.map { ByteBuffer(string: $0) },
                       timestamp: timestamp + Int64(i))
    }
    return try builder.build(compression: compression)
}

/// Every record left in the log as (offset, key, value), in offset order.
func keyedRecords(_ log: PartitionLog) throws -> [(Int64, String, String?)] {
    var out: [(Int64, String, String?)] = []
    var next = log.logStartOffset
    for _ in 0..<10_000 {
        guard case .records(let bytes) = try log.read(from: next, maxBytes: 1 << 20), bytes.readableBytes > 0 else { break }
        var rest = bytes
        while rest.readableBytes > 0 {
            let b = try RecordBatch(rest)
            #expect(b.isCRCValid)
            for r in try b.records() {
                out.append((b.header.baseOffset + Int64(r.offsetDelta), String(buffer: r.key!), r.value.map { String(buffer: $0) }))
            }
            next = b.header.lastOffset + 1
            rest.moveReaderIndex(forwardBy: b.header.totalSize)
        }
    }
    return out
}

@Suite struct CompactionTests {
    /// A compacted log whose segments roll after every batch.
    func compactedLog(_ dir: String, deleteRetentionMs: Int64 = 86_400_000, lagMs: Int64 = 0) throws -> PartitionLog {
        var config = LogConfig()
        config.cleanupPolicy = "compact"
        config.segmentBytes = 1
        config.deleteRetentionMs = deleteRetentionMs
        config.minCompactionLagMs = lagMs
        return try PartitionLog(directory: dir, config: config, nowMs: 1_000)
    }

    @Test func keepsTheLatestRecordOfEachKeyAtItsOffset() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir)
        _ = try log.append(try keyedBatch([("a", "a1"), ("b", "b1"), ("c", "c1")]), nowMs: 1_000)  // 0-2
        _ = try log.append(try keyedBatch([("a", "a2"), ("b", "b2")]), nowMs: 1_000)  // 3-4
        _ = try log.append(try keyedBatch([("a", "a3")]), nowMs: 1_000)  // 5
        _ = try log.append(try keyedBatch([("b", "b3")]), nowMs: 1_000)  // 6, the active segment
        let result = try #require(try log.compact(nowMs: 2_000))
        // a1, b1 and a2 are superseded within the sealed segments; b2 stays: b3 is in the active one.
        #expect(result.recordsRemoved == 3)
        let left = try keyedRecords(log)
        #expect(left.map(\.0) == [2, 4, 5, 6])
        #expect(left.map(\.1) == ["c", "b", "a", "b"])
        #expect(left.map(\.2) == ["c1", "b2", "a3", "b3"])
        #expect(log.logEndOffset == 7)
        // Reading from an offset whose record is gone starts at the next one left.
        guard case .records(let bytes) = try log.read(from: 3, maxBytes: 1 << 20) else { Issue.record("out of range"); return }
        #expect(try RecordBatch(bytes).header.baseOffset == 3)
        // The next append continues the offsets.
        #expect(try log.append(try keyedBatch([("d", "d1")]), nowMs: 1_000).firstOffset == 7)
    }

    @Test func survivesReopenAndDoesNotCleanTwiceWithoutNewData() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        do {
            let log = try compactedLog(dir)
            for i in 0..<6 { _ = try log.append(try keyedBatch([("k\(i % 2)", "v\(i)")]), nowMs: 1_000) }
            #expect(try log.compact(nowMs: 2_000)?.recordsRemoved == 3)  // v0..v3 superseded in sealed, v4 latest k0
            #expect(try log.compact(nowMs: 2_000) == nil)  // nothing dirty since
            try log.flush()
        }
        let reopened = try compactedLog(dir)
        let left = try keyedRecords(reopened)
        #expect(left.map(\.2) == ["v3", "v4", "v5"])
        #expect(left.map(\.0) == [3, 4, 5])
        #expect(reopened.logEndOffset == 6)
        #expect(try reopened.compact(nowMs: 2_000) == nil)
    }

    @Test func tombstonesStayForDeleteRetentionThenGo() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir, deleteRetentionMs: 10_000)
        _ = try log.append(try keyedBatch([("a", "a1"), ("b", "b1")], timestamp: 1_000), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("a", nil)], timestamp: 1_000), nowMs: 1_000)  // delete a
        _ = try log.append(try keyedBatch([("c", "c1")], timestamp: 1_000), nowMs: 1_000)  // active
        try log.compact(nowMs: 5_000)
        #expect(try keyedRecords(log).map { "\($0.1)=\($0.2 ?? "∅")" } == ["b=b1", "a=∅", "c=c1"])
        // Later than delete.retention.ms after the tombstone: it goes too (c2 is in the active segment,
        // so c1 stays beside it until that rolls).
        _ = try log.append(try keyedBatch([("c", "c2")], timestamp: 1_000), nowMs: 1_000)
        try log.compact(nowMs: 60_000, force: true)
        #expect(try keyedRecords(log).map { "\($0.1)=\($0.2 ?? "∅")" } == ["b=b1", "c=c1", "c=c2"])
    }

    @Test func anOldTombstoneSurvivesItsFirstCleaning() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir, deleteRetentionMs: 10_000)
        _ = try log.append(try keyedBatch([("a", "a1")], timestamp: 1_000), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("a", nil)], timestamp: 1_000), nowMs: 1_000)  // written long ago
        _ = try log.append(try keyedBatch([("b", "b1")], timestamp: 1_000), nowMs: 1_000)  // active
        try log.compact(nowMs: 100_000)
        #expect(try keyedRecords(log).map(\.1) == ["a", "b"])  // the tombstone is still there
        _ = try log.append(try keyedBatch([("b", "b2")], timestamp: 1_000), nowMs: 1_000)
        #expect(try log.compact(nowMs: 105_000, force: true)?.recordsRemoved ?? 0 == 0)  // within its horizon
        #expect(try keyedRecords(log).map(\.1) == ["a", "b", "b"])
        try log.compact(nowMs: 110_001, force: true)
        #expect(try keyedRecords(log).map(\.1) == ["b", "b"])
    }

    @Test func emptiedSegmentsKeepTheLogStartAcrossReopen() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        do {
            let log = try compactedLog(dir)
            for i in 0..<4 { _ = try log.append(try keyedBatch([("k", "v\(i)")]), nowMs: 1_000) }
            try log.compact(nowMs: 2_000)
            #expect(try keyedRecords(log).map(\.0) == [2, 3])
            try log.flush()
        }
        let reopened = try compactedLog(dir)
        #expect(reopened.logStartOffset == 0)
        #expect(try keyedRecords(reopened).map(\.0) == [2, 3])
        guard case .records = try reopened.read(from: 0, maxBytes: 1 << 20) else { Issue.record("offset 0 out of range"); return }
    }

    @Test func aProducersLastBatchStaysEvenWhenEmptied() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir)
        var builder = RecordBatchBuilder(producerId: 7, producerEpoch: 0, baseSequence: 0)
        builder.append(key: ByteBuffer(string: "a"), value: ByteBuffer(string: "old"), timestamp: 1_000)
        _ = try log.append(try builder.build(), nowMs: 1_000)  // offset 0, the producer's only batch
        _ = try log.append(try keyedBatch([("a", "new")]), nowMs: 1_000)  // offset 1
        _ = try log.append(try keyedBatch([("z", "active")]), nowMs: 1_000)
        try log.compact(nowMs: 2_000)
        guard case .records(let bytes) = try log.read(from: 0, maxBytes: 1 << 20) else { Issue.record("out of range"); return }
        let first = try RecordBatch(bytes)
        #expect(first.header.producerId == 7)
        #expect(first.header.recordCount == 0)
        #expect(first.header.lastOffset == 0)
        #expect(first.isCRCValid)
        #expect(try keyedRecords(log).map(\.2) == ["new", "active"])
    }

    @Test func compressedBatchesAreRewrittenWithTheirCodec() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir)
        let gzip = 1
        _ = try log.append(try keyedBatch((0..<50).map { ("k\($0 % 5)", "first-\($0)") }, compression: gzip), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("k0", "last")], compression: gzip), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("z", "active")]), nowMs: 1_000)
        let result = try #require(try log.compact(nowMs: 2_000))
        #expect(result.recordsRemoved == 46)  // 50 records of 5 keys keep 4 (k1..k4); k0 moved to offset 50
        guard case .records(let bytes) = try log.read(from: 0, maxBytes: 1 << 20) else { Issue.record("out of range"); return }
        let first = try RecordBatch(bytes)
        #expect(first.header.compressionCodec == gzip)
        #expect(first.header.recordCount == 4)
        #expect(first.header.lastOffsetDelta == 49)  // the batch keeps its offset range
        #expect(try keyedRecords(log).map(\.2) == ["first-46", "first-47", "first-48", "first-49", "last", "active"])
    }

    @Test func youngSegmentsWaitForTheCompactionLag() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir, lagMs: 10_000)
        _ = try log.append(try keyedBatch([("a", "a1")], timestamp: 1_000), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("a", "a2")], timestamp: 1_000), nowMs: 1_000)
        _ = try log.append(try keyedBatch([("a", "a3")], timestamp: 1_000), nowMs: 1_000)
        #expect(try log.compact(nowMs: 5_000) == nil)
        #expect(try log.compact(nowMs: 20_000)?.recordsRemoved == 1)
    }

    @Test func aCompactedTopicRefusesRecordsWithoutKey() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        let log = try compactedLog(dir)
        #expect(throws: AppendError.self) { try log.append(try keyedBatch([("a", "1"), (nil, "2")]), nowMs: 1_000) }
        #expect(log.logEndOffset == 0)
    }

    @Test func deleteOnlyTopicsAreNotCompacted() throws {
        let dir = temporaryDirectory()
        defer { try? FileSystem.removeTree(dir) }
        var config = LogConfig()
        config.segmentBytes = 1
        let log = try PartitionLog(directory: dir, config: config, nowMs: 1_000)
        for i in 0..<4 { _ = try log.append(try keyedBatch([("a", "\(i)")]), nowMs: 1_000) }
        #expect(try log.compact(nowMs: 2_000, force: true) == nil)
        #expect(try keyedRecords(log).count == 4)
    }
}
