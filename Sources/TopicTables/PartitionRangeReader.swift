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
    /// Bytes asked for per partition per Fetch.
    var partitionFetchBytes: Int32 = 8 << 20

    /// The batch is cut before its byte buffers pass this, so Arrow's 32-bit offsets never overflow.
    static let batchBytesMax = 256 << 20
    /// The most bytes one Fetch asks for when a single batch is larger than the usual request.
    static let fetchBytesMax: Int32 = 256 << 20

    func read() throws -> [Columnar.RecordBatch] {
        var out: [Columnar.RecordBatch] = []
        let tp = range.tp
        var columnsBuffer = RecordColumns(columns: columns, topic: tp.topic, partition: tp.partition,
                                          capacity: Int(min(Int64(batchRows), range.count)))
        var position = range.from
        var fetchBytes = partitionFetchBytes
        let version = try connection.version(for: .fetch)
        while position < range.until {
            var request = FetchRequest()
            request.replicaId = -1
            request.maxWaitMs = 500
            request.minBytes = 1
            request.maxBytes = fetchBytes
            request.isolationLevel = 0
            request.sessionId = 0
            request.sessionEpoch = -1
            var p = FetchRequest.FetchPartition()
            p.partition = tp.partition
            p.fetchOffset = position
            p.partitionMaxBytes = fetchBytes
            var t = FetchRequest.FetchTopic()
            t.topic = tp.topic
            t.partitions = [p]
            request.topics = [t]
            let frame = try KafkaFrame.encodeRequest(request, version: version, correlationId: 0, clientId: "tributary-sql")
            let reply: ByteBuffer
            do {
                reply = try connection.sendFrame(frame, api: .fetch, timeoutMs: 30_000).wait()
            } catch {
                throw EngineError.execution("fetching \(tp.topic)-\(tp.partition) at offset \(position): \(error)")
            }
            let response = try connection.decode(FetchResponse.self, version: version, from: reply)
            try Self.check(response.errorCode, tp)
            guard let data = response.responses.first?.partitions.first(where: { $0.partitionIndex == tp.partition }) else {
                throw EngineError.execution("the broker's Fetch answer has no data for \(tp.topic)-\(tp.partition)")
            }
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
            let next = try decode(data.records ?? ByteBuffer(), from: position, into: &columnsBuffer, &out)
            if next <= position {
                // Only part of a batch came back (it is larger than we asked for): ask for more.
                if (data.records?.readableBytes ?? 0) > 0 && fetchBytes < Self.fetchBytesMax {
                    fetchBytes = min(Self.fetchBytesMax, fetchBytes * 4)
                    continue
                }
                // Nothing past our position: the rest of the range holds no records (a compacted or
                // transactional gap), or the log was truncated since planning.
                break
            }
            position = next
        }
        if columnsBuffer.count > 0 { out.append(columnsBuffer.finish(schema)) }
        return out
    }

    /// Decodes the batches of one Fetch answer; returns the offset after the last batch read.
    private func decode(_ records: ByteBuffer, from position: Int64, into buffer: inout RecordColumns,
                        _ out: inout [Columnar.RecordBatch]) throws -> Int64 {
        var next = position
        let until = range.until
        let tp = range.tp
        do {
            try RecordBatches.forEach(in: records, trailing: .ignorePartial) { batch in
                let h = batch.header
                next = max(next, h.lastOffset + 1)
                if h.lastOffset < position || h.baseOffset >= until || h.isControl { return }
                try batch.validateCRC()
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
                        if buffer.count >= batchRows || buffer.byteCount >= Self.batchBytesMax {
                            out.append(buffer.finish(schema))
                        }
                    }
                    guard cursor.position == raw.count else {
                        throw ProtocolError(.invalid, "record batch has bytes after its \(count) records")
                    }
                }
            }
        } catch let e as EngineError {
            throw e
        } catch {
            throw EngineError.execution("corrupt records in \(tp.topic)-\(tp.partition) near offset \(position): \(error)")
        }
        return next
    }

    /// A Fetch error code as an engine error naming the partition.
    static func check(_ code: Int16, _ tp: TopicPartition) throws {
        if code == 0 { return }
        let name = ErrorCode(rawValue: code)?.name ?? "error code \(code)"
        throw EngineError.execution("fetching \(tp.topic)-\(tp.partition) failed: \(name)")
    }
}
