import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// Why a produce to a partition was refused; nothing of the request was written.
public struct AppendError: Error, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public init(_ code: ErrorCode, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}

/// The result of an append: where the batches landed.
public struct AppendResult: Sendable {
    /// The offset of the first record (for a retried duplicate, where it was first written).
    public var firstOffset: Int64
    /// The offset of the last record written (== firstOffset - 1 + count).
    public var lastOffset: Int64
    /// The broker time stamped on the records when the topic uses LogAppendTime, else -1.
    public var logAppendTimeMs: Int64
    public var logStartOffset: Int64
    /// True when the request was a retry of batches already in the log (nothing was written).
    public var duplicate: Bool
}

/// A partition's log: a folder of segments named by base offset, appended to at the end,
/// read by offset or time, trimmed at the front by retention and DeleteRecords.
///
/// Thread-safe: every method takes the log's lock; `flush` syncs outside it so appends go on
/// while a sync is in flight (that is what makes group commit work).
public final class PartitionLog: @unchecked Sendable {
    public let directory: String
    let lock = NIOLock()
    var segments: [Segment] = []
    var config: LogConfig
    private var producers = ProducerStateTable()
    var _logStartOffset: Int64 = 0
    /// Everything below this offset is known durable.
    private var _flushedOffset: Int64 = 0
    /// Segments rolled but not yet synced.
    var unsyncedSealed: [Segment] = []
    /// Set when the partition's files are removed; requests that still hold the log get errors.
    var deleted = false

    private static let logStartFile = "log-start-offset"

    /// Opens the log in `directory`, creating it if needed. The last segment is validated batch
    /// by batch (CRC included) and cut at the first torn or corrupt batch, so a crash mid-write
    /// never leaves a bad batch to serve.
    public init(directory: String, config: LogConfig, nowMs: Int64) throws {
        self.directory = directory
        self.config = config
        try FileSystem.createDirectory(directory)
        let files = try FileSystem.listDirectory(directory)
        // A cleaning interrupted before its swap leaves a `.cleaned` copy; the original is whole.
        for name in files where name.hasSuffix(Self.cleanedSuffix) { try FileSystem.remove(directory + "/" + name) }
        let logFiles = files.filter { $0.hasSuffix(".log") }
        let bases = logFiles.compactMap { Int64($0.dropLast(4)) }.sorted()
        for (i, base) in bases.enumerated() {
            let isLast = i == bases.count - 1
            let segment = try Segment(
                path: directory + "/" + Segment.fileName(base), baseOffset: base,
                indexIntervalBytes: config.indexIntervalBytes, validate: isLast, nowMs: nowMs
            ) { [self] header in
                self.rememberProducer(header)
            }
            // An empty sealed segment (cleaned of every record) stays: dropping the first one would
            // move the log start, which compaction never does.
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try Segment(directory: directory, baseOffset: 0, indexIntervalBytes: config.indexIntervalBytes, nowMs: nowMs))
        }
        _logStartOffset = segments[0].baseOffset
        if let text = try? FileSystem.readText(directory + "/" + Self.logStartFile),
           let saved = Int64(text.filter { !$0.isWhitespace }) {
            _logStartOffset = min(max(_logStartOffset, saved), segments.last!.nextOffset)
        }
        _flushedOffset = segments.last!.nextOffset
    }

    private func rememberProducer(_ h: RecordBatchHeader) {
        guard h.producerId >= 0, !h.isControl else { return }
        producers.record(producerId: h.producerId, epoch: h.producerEpoch, firstSequence: h.baseSequence,
                         lastSequence: ProducerStateTable.lastSequence(first: h.baseSequence, lastOffsetDelta: h.lastOffsetDelta),
                         firstOffset: h.baseOffset)
    }

    private var active: Segment { segments[segments.count - 1] }

    public var logStartOffset: Int64 { lock.withLock { _logStartOffset } }
    /// Whether the partition was deleted (its topic is gone) while someone still held it.
    public var isDeleted: Bool { lock.withLock { deleted } }
    public var logEndOffset: Int64 { lock.withLock { active.nextOffset } }
    public var flushedOffset: Int64 { lock.withLock { _flushedOffset } }
    public var sizeBytes: Int { lock.withLock { segments.reduce(0) { $0 + $1.size } } }
    public var segmentCount: Int { lock.withLock { segments.count } }

    public func updateConfig(_ newConfig: LogConfig) { lock.withLock { config = newConfig } }

    // MARK: Append

    /// Validates the batches in `records` and appends them with offsets assigned from the end of
    /// the log. Either every batch is written or none is.
    public func append(_ records: ByteBuffer, nowMs: Int64) throws -> AppendResult {
        var bytes = records
        let config = lock.withLock { self.config }
        // Validate everything before taking the lock or writing anything.
        var headers: [RecordBatchHeader] = []
        var at = bytes.readerIndex
        let end = bytes.writerIndex
        guard at < end else { throw AppendError(.invalidRecord, "the request carries no record batch") }
        while at < end {
            if let magic = bytes.getInteger(at: at + RecordBatchHeader.magicOffset, as: Int8.self), magic != 2 {
                throw AppendError(.unsupportedForMessageFormat, "record batch magic \(magic): only RecordBatch v2 (magic 2) is accepted")
            }
            let batch: RecordBatch
            do {
                batch = try RecordBatch(bytes.getSlice(at: at, length: end - at)!)
            } catch {
                throw AppendError(.corruptMessage, "record batch at byte \(at - bytes.readerIndex): \(error)")
            }
            let h = batch.header
            if h.totalSize > config.maxMessageBytes {
                throw AppendError(.messageTooLarge, "record batch of \(h.totalSize) bytes exceeds max.message.bytes \(config.maxMessageBytes)")
            }
            if h.recordCount <= 0 || h.recordCount != h.lastOffsetDelta + 1 {
                throw AppendError(.invalidRecord, "record count \(h.recordCount) disagrees with last offset delta \(h.lastOffsetDelta)")
            }
            if !batch.isCRCValid {
                throw AppendError(.corruptMessage, "record batch CRC does not match its contents")
            }
            if config.compacts && !h.isControl {
                try requireKeys(batch)
            }
            headers.append(h)
            at += h.totalSize
        }

        return try lock.withLock {
            guard !deleted else { throw AppendError(.unknownTopicOrPartition, "the partition was deleted") }
            // Idempotence: a retried batch is acknowledged where it was first written.
            for h in headers where h.producerId >= 0 && !h.isControl {
                let last = ProducerStateTable.lastSequence(first: h.baseSequence, lastOffsetDelta: h.lastOffsetDelta)
                switch producers.check(producerId: h.producerId, epoch: h.producerEpoch, firstSequence: h.baseSequence, lastSequence: last) {
                case .append: break
                case .duplicate(let first):
                    guard headers.count == 1 else { throw AppendError(.duplicateSequenceNumber, "duplicate batch in a multi-batch request") }
                    return AppendResult(firstOffset: first, lastOffset: first + Int64(h.lastOffsetDelta), logAppendTimeMs: -1,
                                        logStartOffset: _logStartOffset, duplicate: true)
                case .reject(let code):
                    throw AppendError(code, "producer \(h.producerId) epoch \(h.producerEpoch) sequence \(h.baseSequence) refused")
                }
            }

            let total = headers.reduce(0) { $0 + $1.totalSize }
            try rollIfNeeded(incomingBytes: total, nowMs: nowMs)
            let firstOffset = active.nextOffset
            var next = firstOffset
            var position = bytes.readerIndex
            let appendTime = config.usesLogAppendTime ? nowMs : -1
            for i in headers.indices {
                BatchStamping.stamp(&bytes, at: position, header: &headers[i], baseOffset: next, leaderEpoch: 0,
                                    logAppendTimeMs: appendTime >= 0 ? appendTime : nil)
                next += Int64(headers[i].lastOffsetDelta) + 1
                position += headers[i].totalSize
            }
            do {
                try active.append(bytes, headers: headers)
            } catch {
                throw AppendError(.kafkaStorageError, "\(error)")
            }
            for h in headers { rememberProducer(h) }
            return AppendResult(firstOffset: firstOffset, lastOffset: next - 1, logAppendTimeMs: appendTime,
                                logStartOffset: _logStartOffset, duplicate: false)
        }
    }

    private func rollIfNeeded(incomingBytes: Int, nowMs: Int64) throws {
        let a = active
        guard a.size > 0 else { return }
        let full = a.size + incomingBytes > config.segmentBytes
        let old = nowMs - a.createdMs >= config.segmentMs
        guard full || old else { return }
        unsyncedSealed.append(a)
        segments.append(try Segment(directory: directory, baseOffset: a.nextOffset,
                                    indexIntervalBytes: config.indexIntervalBytes, nowMs: nowMs))
    }

    // MARK: Flush

    /// Makes everything appended so far durable. Concurrent appends are not blocked; callers
    /// waiting for an offset are satisfied once `flushedOffset` passes it.
    @discardableResult
    public func flush() throws -> Int64 {
        let (toSync, target) = lock.withLock { () -> ([Segment], Int64) in
            let list = unsyncedSealed + [active]
            unsyncedSealed.removeAll()
            return (list, active.nextOffset)
        }
        for segment in toSync { try segment.sync() }
        return lock.withLock {
            _flushedOffset = max(_flushedOffset, target)
            return _flushedOffset
        }
    }

    // MARK: Read

    public enum ReadResult {
        /// Whole batches starting with the one holding the requested offset (empty at the end).
        case records(ByteBuffer)
        case offsetOutOfRange
    }

    /// Reads from `offset` up to `maxBytes` (at least one whole batch when there is one).
    public func read(from offset: Int64, maxBytes: Int) throws -> ReadResult {
        try lock.withLock {
            if offset < _logStartOffset || offset > active.nextOffset { return .offsetOutOfRange }
            if offset == active.nextOffset { return .records(ByteBuffer()) }
            var i = segmentIndex(containing: offset)
            while i < segments.count {
                if let (position, _) = try segments[i].position(of: offset) {
                    return .records(try segments[i].read(from: position, maxBytes: maxBytes))
                }
                i += 1
            }
            return .records(ByteBuffer())
        }
    }

    private func segmentIndex(containing offset: Int64) -> Int {
        var lo = 0, hi = segments.count - 1, found = 0
        while lo <= hi {
            let mid = (lo + hi) / 2
            if segments[mid].baseOffset <= offset { found = mid; lo = mid + 1 } else { hi = mid - 1 }
        }
        return found
    }

    /// The first offset whose batch has a timestamp at or after `timestamp`, with that batch's
    /// largest timestamp; nil when no record is that new. (The broker refines it within a batch.)
    public func batch(atOrAfterTimestamp timestamp: Int64) throws -> (batch: ByteBuffer, baseOffset: Int64)? {
        try lock.withLock {
            for segment in segments where segment.maxTimestamp >= timestamp {
                if let (position, header) = try segment.position(ofTimestamp: timestamp) {
                    let bytes = try segment.file.read(at: position, length: header.totalSize)
                    return (bytes, max(header.baseOffset, _logStartOffset))
                }
            }
            return nil
        }
    }

    /// The offset and timestamp of the record with the largest timestamp (ListOffsets -3).
    public func maxTimestampOffset() -> (offset: Int64, timestamp: Int64) {
        lock.withLock {
            var best: (Int64, Int64) = (-1, -1)
            for s in segments where s.maxTimestamp > best.1 { best = (s.offsetOfMaxTimestamp, s.maxTimestamp) }
            return best
        }
    }

    // MARK: Trimming

    /// Moves the log start to `offset` (DeleteRecords), deleting segments wholly below it.
    /// Returns the new log start offset.
    public func deleteRecords(before offset: Int64) throws -> Int64 {
        try lock.withLock {
            let target = offset == -1 ? active.nextOffset : offset
            guard target <= active.nextOffset else {
                throw AppendError(.offsetOutOfRange, "offset \(offset) is past the log end \(active.nextOffset)")
            }
            if target > _logStartOffset {
                _logStartOffset = target
                try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, contents: String(target))
                try dropSegments { next in next.baseOffset <= target }
            }
            return _logStartOffset
        }
    }

    /// Applies retention.ms and retention.bytes to sealed segments; returns how many were deleted.
    @discardableResult
    public func enforceRetention(nowMs: Int64) throws -> Int {
        try lock.withLock {
            guard config.cleanupPolicy.contains("delete") else { return 0 }
            var deleted = 0
            if config.retentionMs >= 0 {
                deleted += try dropSegments { _ in true } where: { s in
                    s.maxTimestamp >= 0 ? nowMs - s.maxTimestamp > self.config.retentionMs : nowMs - s.createdMs > self.config.retentionMs
                }
            }
            if config.retentionBytes >= 0 {
                var total = Int64(segments.reduce(0) { $0 + $1.size })
                deleted += try dropSegments { _ in true } where: { s in
                    guard total - Int64(s.size) >= self.config.retentionBytes else { return false }
                    total -= Int64(s.size)
                    return true
                }
            }
            return deleted
        }
    }

    /// Deletes leading sealed segments while `shouldDrop` holds (the active one always stays).
    /// `nextAllows` sees the segment that would become first.
    @discardableResult
    private func dropSegments(_ nextAllows: (Segment) -> Bool, where shouldDrop: (Segment) -> Bool = { _ in true }) throws -> Int {
        var dropped = 0
        while segments.count > 1, nextAllows(segments[1]), shouldDrop(segments[0]) {
            let s = segments.removeFirst()
            unsyncedSealed.removeAll { $0 === s }
            try s.delete()
            dropped += 1
        }
        if segments[0].baseOffset > _logStartOffset {
            _logStartOffset = segments[0].baseOffset
            try FileSystem.writeAtomically(directory + "/" + Self.logStartFile, contents: String(_logStartOffset))
        }
        return dropped
    }

    /// Removes the partition's files (topic deletion). The open segments stay readable until the
    /// last holder lets go, so a request in flight (a parked fetch) ends cleanly; appends refuse.
    public func deleteAll() throws {
        try lock.withLock {
            deleted = true
            unsyncedSealed.removeAll()
            try FileSystem.removeTree(directory)
        }
    }
}
