import KafkaProtocol
import NIOCore

/// One file of a partition's log: batches from `baseOffset` on, exactly as produced (offsets
/// rewritten), with a sparse in-memory offset index and time index.
///
/// Files are named by base offset (`00000000000000000042.log`) as Kafka names them, so a log
/// directory lists in offset order.
final class Segment {
    /// A sparse index entry: the batch at `position` starts at `offset`; `maxTimestamp` is the
    /// largest timestamp of the segment up to and including that batch (monotonic, as Kafka's
    /// time index is, so a binary search works even when timestamps are not in order).
    struct IndexEntry {
        var offset: Int64
        var position: Int
        var maxTimestamp: Int64
    }

    let baseOffset: Int64
    let file: LogFile
    private(set) var size: Int
    /// One past the last offset in the segment (== baseOffset when empty).
    private(set) var nextOffset: Int64
    /// The largest record timestamp in the segment (-1 when empty).
    private(set) var maxTimestamp: Int64 = -1
    /// The offset of the first record with the largest timestamp (for ListOffsets max timestamp).
    private(set) var offsetOfMaxTimestamp: Int64 = -1
    private(set) var index: [IndexEntry] = []
    private var bytesSinceIndexEntry = 0
    let indexIntervalBytes: Int
    /// When the first batch was appended (ms), for rolling by segment.ms.
    private(set) var createdMs: Int64

    static func fileName(_ baseOffset: Int64) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// Creates an empty segment.
    init(directory: String, baseOffset: Int64, indexIntervalBytes: Int, nowMs: Int64) throws {
        self.baseOffset = baseOffset
        self.file = try LogFile(path: directory + "/" + Segment.fileName(baseOffset), create: true)
        try file.truncate(to: 0)
        self.size = 0
        self.nextOffset = baseOffset
        self.indexIntervalBytes = indexIntervalBytes
        self.createdMs = nowMs
    }

    /// Opens an existing segment, rebuilding its indexes from the batch headers. When `validate`,
    /// every batch's CRC is checked and the file is truncated at the first torn or corrupt batch;
    /// `onBatch` sees each valid batch (producer state is rebuilt from them).
    init(path: String, baseOffset: Int64, indexIntervalBytes: Int, validate: Bool, nowMs: Int64,
         onBatch: (RecordBatchHeader) -> Void) throws {
        self.baseOffset = baseOffset
        self.file = try LogFile(path: path, create: false)
        self.indexIntervalBytes = indexIntervalBytes
        self.size = 0
        self.nextOffset = baseOffset
        self.createdMs = nowMs
        let fileSize = try file.size()
        var position = 0
        /// The end of the last batch known good: everything after it is cut.
        var validEnd = 0
        let chunkBytes = 1 << 20
        scan: while position < fileSize {
            // Read a chunk; walk the whole batches in it.
            let chunk = try file.read(at: position, length: min(chunkBytes, fileSize - position))
            var at = 0
            while true {
                guard let header = (try? RecordBatchHeader(parsing: chunk, at: at)) else {
                    if at == 0 { break scan }  // a torn header at the tail
                    break
                }
                if header.recordCount < 0 || header.lastOffsetDelta < 0 || header.baseOffset < nextOffset { break scan }
                let total = header.totalSize
                var batchBytes: ByteBuffer
                if at + total <= chunk.writerIndex {
                    batchBytes = chunk.getSlice(at: at, length: total)!
                } else if at == 0 {
                    // A batch larger than the chunk: read it whole.
                    guard position + total <= fileSize else { break scan }
                    batchBytes = try file.read(at: position, length: total)
                    guard batchBytes.readableBytes == total else { break scan }
                } else {
                    break
                }
                if validate, (try? RecordBatch(batchBytes))?.isCRCValid != true { break scan }
                noteAppended(header, at: position + at, bytes: total)
                onBatch(header)
                at += total
                validEnd = position + at
            }
            position += at
        }
        if validEnd < fileSize {
            try file.truncate(to: validEnd)
        }
        size = validEnd
    }

    private func noteAppended(_ header: RecordBatchHeader, at position: Int, bytes: Int) {
        if index.isEmpty || bytesSinceIndexEntry >= indexIntervalBytes {
            index.append(IndexEntry(offset: header.baseOffset, position: position,
                                    maxTimestamp: max(maxTimestamp, header.maxTimestamp)))
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += bytes
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            offsetOfMaxTimestamp = header.baseOffset
        }
        if !index.isEmpty { index[index.count - 1].maxTimestamp = max(index[index.count - 1].maxTimestamp, maxTimestamp) }
        nextOffset = header.lastOffset + 1
        size = position + bytes
    }

    /// Appends batches whose offsets are already assigned. `headers` describe them in order.
    func append(_ bytes: ByteBuffer, headers: [RecordBatchHeader]) throws {
        try file.write(bytes, at: size)
        var position = size
        for h in headers {
            noteAppended(h, at: position, bytes: h.totalSize)
            position += h.totalSize
        }
    }

    /// The position of the batch that holds `offset` (or the first batch after it), found from
    /// the sparse index then by walking batch headers; nil when the segment ends before it.
    func position(of offset: Int64) throws -> (position: Int, header: RecordBatchHeader)? {
        var lo = 0, hi = index.count - 1, start = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if index[mid].offset <= offset { start = index[mid].position; lo = mid + 1 } else { hi = mid - 1 }
        }
        return try walk(from: start) { $0.lastOffset >= offset }
    }

    /// The first batch whose largest timestamp is at or after `timestamp`.
    func position(ofTimestamp timestamp: Int64) throws -> (position: Int, header: RecordBatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        // The last index entry whose running max is below the target: the batch we want is after it.
        var lo = 0, hi = index.count - 1, start = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if index[mid].maxTimestamp < timestamp { start = index[mid].position; lo = mid + 1 } else { hi = mid - 1 }
        }
        return try walk(from: start) { $0.maxTimestamp >= timestamp }
    }

    /// Walks batch headers from `position` until `stop` holds.
    private func walk(from start: Int, until stop: (RecordBatchHeader) -> Bool) throws -> (position: Int, header: RecordBatchHeader)? {
        var position = start
        while position < size {
            let head = try file.read(at: position, length: RecordBatchHeader.size)
            guard let h = (try? RecordBatchHeader(parsing: head, at: 0)) else { return nil }
            if stop(h) { return (position, h) }
            position += h.totalSize
        }
        return nil
    }

    /// Reads whole batches from `position`, up to `maxBytes`, but always at least the first
    /// batch (so a consumer can make progress past a batch larger than its limit).
    func read(from position: Int, maxBytes: Int) throws -> ByteBuffer {
        let want = min(max(maxBytes, RecordBatchHeader.size), size - position)
        var chunk = try file.read(at: position, length: want)
        var end = 0
        while let h = (try? RecordBatchHeader(parsing: chunk, at: end)), end + h.totalSize <= chunk.writerIndex {
            end += h.totalSize
        }
        if end == 0 {
            guard let h = (try? RecordBatchHeader(parsing: chunk, at: 0)) else { return chunk.getSlice(at: 0, length: 0)! }
            return try file.read(at: position, length: min(h.totalSize, size - position))
        }
        chunk.moveWriterIndex(to: end)
        return chunk
    }

    /// Cuts the segment back to `position` bytes (used when truncating the log).
    func truncate(toPosition position: Int, nextOffset: Int64) throws {
        try file.truncate(to: position)
        size = position
        self.nextOffset = nextOffset
        index.removeAll { $0.position >= position }
    }

    /// Calls `body` with every batch of the segment, in order, reading the file a chunk at a time.
    func forEachBatch(_ body: (RecordBatch) throws -> Void) throws {
        var position = 0
        let chunkBytes = 1 << 20
        while position < size {
            let chunk = try file.read(at: position, length: min(chunkBytes, size - position))
            var at = 0
            while let h = (try? RecordBatchHeader(parsing: chunk, at: at)), at + h.totalSize <= chunk.writerIndex {
                try body(try RecordBatch(chunk.getSlice(at: at, length: h.totalSize)!))
                at += h.totalSize
            }
            if at == 0 {
                // A batch larger than the chunk: read it whole.
                let head = try file.read(at: position, length: RecordBatchHeader.size)
                let h = try RecordBatchHeader(parsing: head, at: 0)
                guard h.totalSize > 0, position + h.totalSize <= size else {
                    throw StorageError("segment \(file.path): batch at byte \(position) runs past the end")
                }
                try body(try RecordBatch(try file.read(at: position, length: h.totalSize)))
                at = h.totalSize
            }
            position += at
        }
    }

    func sync() throws { try file.sync() }

    func delete() throws { try FileSystem.remove(file.path) }
}
