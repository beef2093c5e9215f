import NIOCore
import TributaryCore

/// What the log cleaner sees of a record when it decides whether to keep it.
public struct RecordSummary {
    /// The record's offset (base offset + offset delta).
    public var offset: Int64
    /// The record's key bytes, nil for a null key. Valid only during the call.
    public var key: UnsafeRawBufferPointer?
    /// True for a tombstone (null value).
    public var isTombstone: Bool
    /// The record's timestamp delta from the batch's base timestamp.
    public var timestampDelta: Int64
}

extension RecordBatch {
    /// Calls `body` with a summary of each record, in order, without slicing keys and values into
    /// buffers (the cleaner reads every record of a segment).
    public func forEachRecordSummary(
        decompress: RecordsDecompressor? = RecordsCompression.standardDecompressor,
        _ body: (RecordSummary) throws -> Void
    ) throws {
        let section = try plainRecordsSection(decompress)
        try Self.walk(section, count: Int(header.recordCount), baseOffset: header.baseOffset) { summary, _ in
            try body(summary)
        }
    }

    /// The batch with only the records `keep` accepts; `self` unchanged (same bytes) when it accepts
    /// all. When it accepts none: nil, or with `keepEmpty` a batch of no records (Kafka keeps one for
    /// a producer's last batch, so that its sequence survives cleaning).
    ///
    /// Kept records are copied byte for byte, so each keeps its offset and timestamp deltas: the
    /// batch's base offset, last offset delta, base timestamp and producer fields stay as they were
    /// (as Kafka's cleaner leaves them, so offsets and producer state survive); the record count,
    /// length, CRC and, under CreateTime, the max timestamp (of the records left) change. A
    /// compressed batch is compressed again with the same codec.
    public func retaining(
        keepEmpty: Bool = false,
        decompress: RecordsDecompressor? = RecordsCompression.standardDecompressor,
        compress: RecordsCompressor? = RecordsCompression.standardCompressor,
        _ keep: (RecordSummary) throws -> Bool
    ) throws -> RecordBatch? {
        let section = try plainRecordsSection(decompress)
        var kept = ByteBuffer()
        var keptCount: Int32 = 0
        var droppedAny = false
        var maxDelta = Int64.min
        try section.withUnsafeReadableBytes { raw in
            try Self.walk(section, count: Int(header.recordCount), baseOffset: header.baseOffset) { summary, span in
                if try keep(summary) {
                    kept.writeBytes(UnsafeRawBufferPointer(rebasing: raw[span]))
                    keptCount += 1
                    maxDelta = max(maxDelta, summary.timestampDelta)
                } else {
                    droppedAny = true
                }
            }
        }
        if !droppedAny { return self }
        if keptCount == 0 && !keepEmpty { return nil }
        var h = header
        if h.timestampType == .createTime {
            h.maxTimestamp = keptCount == 0 ? h.baseTimestamp : h.baseTimestamp &+ maxDelta
        }
        var body = kept
        let codec = keptCount == 0 ? 0 : header.compressionCodec
        h.compressionCodec = codec
        if codec != 0 {
            guard let compress else {
                throw ProtocolError(.invalid, "record batch is compressed (codec \(codec)); no compressor given")
            }
            body = try compress(codec, kept)
        }
        h.recordCount = keptCount
        h.batchLength = Int32(RecordBatchHeader.size - RecordBatchHeader.lengthPrefixSize + body.readableBytes)
        h.crc = 0
        var out = ByteBuffer()
        out.reserveCapacity(RecordBatchHeader.size + body.readableBytes)
        h.write(into: &out)
        out.writeImmutableBuffer(body)
        let crc = out.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...]))
        }
        out.setInteger(crc, at: out.readerIndex + RecordBatchHeader.crcOffset)
        return try RecordBatch(out)
    }

    private func plainRecordsSection(_ decompress: RecordsDecompressor?) throws -> ByteBuffer {
        let codec = header.compressionCodec
        guard codec != 0 else { return recordsSection }
        guard let decompress else {
            throw ProtocolError(.invalid, "record batch is compressed (codec \(codec)); no decompressor given")
        }
        return try decompress(codec, recordsSection)
    }

    /// Walks `count` records of an uncompressed records section, giving each one's summary and its
    /// byte span (length prefix included) within the section's readable bytes.
    private static func walk(_ section: ByteBuffer, count: Int, baseOffset: Int64,
                             _ body: (RecordSummary, Range<Int>) throws -> Void) throws {
        guard count >= 0 else { throw ProtocolError(.invalid, "negative record count \(count)") }
        try section.withUnsafeReadableBytes { raw in
            var cursor = RawRecordCursor(raw)
            for read in 0..<count {
                guard cursor.position < raw.count else {
                    throw ProtocolError(.invalid, "record batch says \(count) records but holds \(read)")
                }
                let start = cursor.position
                let length = Int(try cursor.zigZagVarint())
                guard length >= 0, length <= raw.count - cursor.position else {
                    throw ProtocolError(.invalid, "record of \(length) bytes at byte \(start) of the batch")
                }
                let end = cursor.position + length
                cursor.limit = end
                _ = try cursor.int8()  // attributes
                let timestampDelta = try cursor.zigZagVarlong()
                let offsetDelta = try cursor.zigZagVarint()
                let key = try cursor.lengthPrefixed().map {
                    UnsafeRawBufferPointer(rebasing: raw[$0.start..<($0.start + $0.length)])
                }
                let value = try cursor.lengthPrefixed()
                cursor.limit = raw.count
                cursor.position = end
                try body(RecordSummary(offset: baseOffset &+ Int64(offsetDelta), key: key, isTombstone: value == nil,
                                       timestampDelta: timestampDelta), start..<end)
            }
            guard cursor.position == raw.count else {
                throw ProtocolError(.invalid, "record batch has \(raw.count - cursor.position) bytes after its \(count) records")
            }
        }
    }
}
