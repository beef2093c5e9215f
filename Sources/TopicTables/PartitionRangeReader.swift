import Columnar
import Engine
import KafkaClient
import KafkaProtocol
import NIOCore

/// Reads one partition range `[from, until)` with Fetch requests to the partition's leader and
/// decodes the record batches straight into column buffers.
///
/// Runs on an engine worker thread: requests go out on the connection's event loop and the
/// worker waits for each answer, so no task or actor hop is made per record or per batch.
struct PartitionRangeReader {
    let range: PartitionRange
    let connection: BrokerConnection
    /// Source column indices wanted, in output order.
    let columns: [Int]
    let schema: Schema
    let batchRows: Int
    let failOnDataLoss: Bool
    /// Whether each record batch's CRC32C is checked (`kafka.check.crcs`).
    var checkCRCs = false
    /// Bytes asked for per partition per Fetch (`kafka.max.partition.fetch.bytes`).
    var partitionFetchBytes: Int32 = KafkaSourceOptions.partitionFetchBytesDefault
    /// The Fetch at `range.from`, when it was sent before the task started.
    var firstFetch: EventLoopFuture<ByteBuffer>?

    /// The batch is cut before its byte buffers pass this, so Arrow's 32-bit offsets never overflow.
    static let batchBytesMax = 256 << 20
    /// The most bytes one Fetch asks for when a single batch is larger than the usual request.
    static let fetchBytesMax: Int32 = 256 << 20

    /// Reads the range; every batch, once cut, goes through `transform` (nil drops it).
    func read(_ transform: (Columnar.RecordBatch) throws -> Columnar.RecordBatch?) throws -> [Columnar.RecordBatch] {
        var out: [Columnar.RecordBatch] = []
        let tp = range.tp
        var columnsBuffer = RecordColumns(columns: columns, topic: tp.topic, partition: tp.partition,
                                          capacity: Int(min(Int64(batchRows), range.count)))
        var position = range.from
        var fetchBytes = partitionFetchBytes
        let version = try connection.version(for: .fetch)
        // One Fetch is always on the wire ahead of the decoding: the next one is sent as soon as the
        // batch headers of an answer say where it ends, before its records are decoded.
        var pending: (offset: Int64, reply: EventLoopFuture<ByteBuffer>)? = firstFetch.map { (range.from, $0) }
        while position < range.until {
            let inFlight = try pending.flatMap { $0.offset == position ? $0.reply : nil }
                ?? send(at: position, bytes: fetchBytes, version: version)
            pending = nil
            let data = try receive(inFlight, at: position, version: version)
            if data.errorCode == ErrorCode.offsetOutOfRange.rawValue {
                // The log start moved past our position after planning (retention, DeleteRecords).
                if failOnDataLoss || data.logStartOffset <= position {
                    throw EngineError.execution("Cannot fetch offset \(position) of \(tp.topic)-\(tp.partition): it is "
                        + "out of range (log start \(data.logStartOffset)). Some data may have been lost; set the "
                        + "source option 'failOnDataLoss' to 'false' to continue without it.")
                }
                position = data.logStartOffset
                continue
            }
            try Self.check(data.errorCode, tp)
            let records = data.records ?? ByteBuffer()
            let ahead = Self.endOfCompleteBatches(records)
            if ahead > position && ahead < range.until {
                pending = (ahead, try send(at: ahead, bytes: fetchBytes, version: version))
            }
            let next = try decode(records, from: position, into: &columnsBuffer, &out, transform)
            if next <= position {
                // Only part of a batch came back (it is larger than we asked for): ask for more.
                if records.readableBytes > 0 && fetchBytes < Self.fetchBytesMax {
                    fetchBytes = min(Self.fetchBytesMax, fetchBytes * 4)
                    continue
                }
                // Nothing past our position: the rest of the range holds no records (a compacted or
                // transactional gap), or the log was truncated since planning.
                break
            }
            position = next
        }
        // A fetch sent ahead that is no longer wanted is left to complete; its answer is dropped.
        if columnsBuffer.count > 0, let last = try transform(columnsBuffer.finish(schema)) { out.append(last) }
        return out
    }

    /// Sends a Fetch for this range's partition at `offset`.
    func send(at offset: Int64, bytes: Int32, version: Int16) throws -> EventLoopFuture<ByteBuffer> {
        var request = FetchRequest()
        request.replicaId = -1
        request.maxWaitMs = 500
        request.minBytes = 1
        request.maxBytes = bytes
        request.isolationLevel = 0
        request.sessionId = 0
        request.sessionEpoch = -1
        var p = FetchRequest.FetchPartition()
        p.partition = range.tp.partition
        p.fetchOffset = offset
        p.partitionMaxBytes = bytes
        var t = FetchRequest.FetchTopic()
        t.topic = range.tp.topic
        t.partitions = [p]
        request.topics = [t]
        let frame = try KafkaFrame.encodeRequest(request, version: version, correlationId: 0, clientId: "tributary-sql")
        return connection.sendFrame(frame, api: .fetch, timeoutMs: 30_000)
    }

    /// Waits for a Fetch answer and returns its data for this partition.
    private func receive(_ reply: EventLoopFuture<ByteBuffer>, at offset: Int64, version: Int16) throws
        -> FetchResponse.PartitionData {
        let tp = range.tp
        let frame: ByteBuffer
        do {
            frame = try reply.wait()
        } catch {
            throw EngineError.execution("fetching \(tp.topic)-\(tp.partition) at offset \(offset): \(error)")
        }
        let response = try connection.decode(FetchResponse.self, version: version, from: frame)
        try Self.check(response.errorCode, tp)
        guard let data = response.responses.first?.partitions.first(where: { $0.partitionIndex == tp.partition }) else {
            throw EngineError.execution("the broker's Fetch answer has no data for \(tp.topic)-\(tp.partition)")
        }
        return data
    }

    /// The offset after the last complete batch in `records`, read from the batch headers only
    /// (0 when there is none).
    static func endOfCompleteBatches(_ records: ByteBuffer) -> Int64 {
        var index = records.readerIndex
        let end = records.writerIndex
        var next: Int64 = 0
        while end - index >= RecordBatchHeader.size {
            guard let base = records.getInteger(at: index, as: Int64.self),
                  let length = records.getInteger(at: index + 8, as: Int32.self),
                  length >= RecordBatchHeader.batchLengthMin,
                  let lastDelta = records.getInteger(at: index + 23, as: Int32.self) else { break }
            let total = Int(length) + RecordBatchHeader.lengthPrefixSize
            if total > end - index { break }
            next = base &+ Int64(lastDelta) &+ 1
            index += total
        }
        return next
    }

    /// Decodes the batches of one Fetch answer; returns the offset after the last batch read.
    private func decode(_ records: ByteBuffer, from position: Int64, into buffer: inout RecordColumns,
                        _ out: inout [Columnar.RecordBatch],
                        _ transform: (Columnar.RecordBatch) throws -> Columnar.RecordBatch?) throws -> Int64 {
        var next = position
        let until = range.until
        let tp = range.tp
        do {
            try RecordBatches.forEach(in: records, trailing: .ignorePartial) { batch in
                let h = batch.header
                next = max(next, h.lastOffset + 1)
                if h.lastOffset < position || h.baseOffset >= until || h.isControl { return }
                if checkCRCs { try batch.validateCRC() }
                var section = batch.recordsSection
                if h.compressionCodec != 0 { section = try RecordCodecs.decompress(h.compressionCodec, section) }
                let logAppend = h.timestampType == .logAppendTime
                let tsType: Int32 = logAppend ? 1 : 0
                let count = Int(h.recordCount)
                guard count >= 0 else { throw ProtocolError(.invalid, "negative record count") }
                try section.withUnsafeReadableBytes { raw in
                    var cursor = RecordCursor(raw)
                    for _ in 0..<count {
                        let r = try cursor.nextRecord()
                        let offset = h.baseOffset &+ r.offsetDelta
                        if offset < position || offset >= until { continue }
                        let ts = logAppend ? h.maxTimestamp : h.baseTimestamp &+ r.timestampDelta
                        buffer.append(raw, key: r.key, value: r.value, offset: offset, timestampMs: ts, timestampType: tsType)
                        try buffer.appendHeaders(raw, start: r.headersStart, end: r.end)
                        if buffer.count >= batchRows || buffer.byteCount >= Self.batchBytesMax {
                            // Handed on at once, while the batch's bytes are still in the cache.
                            let made: Columnar.RecordBatch?
                            do { made = try transform(buffer.finish(schema)) } catch { throw AboveScan(error: error) }
                            if let made { out.append(made) }
                        }
                    }
                    guard cursor.position == raw.count else {
                        throw ProtocolError(.invalid, "record batch has bytes after its \(count) records")
                    }
                }
            }
        } catch let e as AboveScan {
            throw e.error
        } catch let e as EngineError {
            throw e
        } catch {
            throw EngineError.execution("corrupt records in \(tp.topic)-\(tp.partition) near offset \(position): \(error)")
        }
        return next
    }

    /// An error of the work run on a batch above the scan, told apart from corrupt records.
    private struct AboveScan: Error {
        let error: Error
    }

    /// A Fetch error code as an engine error naming the partition.
    static func check(_ code: Int16, _ tp: TopicPartition) throws {
        if code == 0 { return }
        let name = ErrorCode(rawValue: code)?.name ?? "error code \(code)"
        throw EngineError.execution("fetching \(tp.topic)-\(tp.partition) failed: \(name)")
    }
}
