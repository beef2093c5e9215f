import NIOCore
import TributaryCore

/// Turns a batch's compressed records section into plain record bytes. `codec` is the attributes'
/// compression number (1 gzip, 2 snappy, 3 lz4, 4 zstd). `RecordsCompression.standardDecompressor` is
/// the usual one; callers may pass another (a different output bound, or a test double).
public typealias RecordsDecompressor = (_ codec: Int, _ compressed: ByteBuffer) throws -> ByteBuffer

/// A view of one RecordBatch v2: its bytes (a slice, not a copy) and its parsed header.
public struct RecordBatch: Sendable {
    /// Exactly the batch's bytes, header included (`header.totalSize` readable bytes).
    public private(set) var bytes: ByteBuffer
    public private(set) var header: RecordBatchHeader

    /// Views the batch at the start of `buffer`'s readable bytes; the buffer must hold all of it.
    /// Bytes after the batch are not part of the view.
    public init(_ buffer: ByteBuffer) throws {
        let header = try RecordBatchHeader(parsing: buffer, at: buffer.readerIndex)
        guard header.totalSize <= buffer.readableBytes,
              let slice = buffer.getSlice(at: buffer.readerIndex, length: header.totalSize)
        else {
            throw ProtocolError(
                .truncated, "record batch of \(header.totalSize) bytes, only \(buffer.readableBytes) present")
        }
        self.bytes = slice
        self.header = header
    }

    /// The CRC32C of the bytes the stored `crc` covers (attributes to the end).
    public func computeCRC() -> UInt32 {
        bytes.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...]))
        }
    }

    /// Whether the stored CRC matches the bytes.
    public var isCRCValid: Bool { computeCRC() == header.crc }

    /// Throws `.invalid` when the stored CRC does not match the bytes (Kafka answers CORRUPT_MESSAGE).
    public func validateCRC() throws {
        let computed = computeCRC()
        guard computed == header.crc else {
            throw ProtocolError(
                .invalid,
                "record batch at offset \(header.baseOffset): stored CRC \(hex(header.crc)), computed \(hex(computed))")
        }
    }

    /// Rewrites the base offset in place. The CRC does not cover it, so it stays valid.
    public mutating func setBaseOffset(_ offset: Int64) {
        bytes.setInteger(offset, at: bytes.readerIndex)
        header.baseOffset = offset
    }

    /// Rewrites the partition leader epoch in place. The CRC does not cover it, so it stays valid.
    public mutating func setPartitionLeaderEpoch(_ epoch: Int32) {
        bytes.setInteger(epoch, at: bytes.readerIndex + RecordBatchHeader.partitionLeaderEpochOffset)
        header.partitionLeaderEpoch = epoch
    }

    /// The records section as stored (compressed when the batch is).
    public var recordsSection: ByteBuffer {
        let start = bytes.readerIndex + RecordBatchHeader.size
        return bytes.getSlice(at: start, length: bytes.readableBytes - RecordBatchHeader.size) ?? ByteBuffer()
    }

    /// Calls `body` with each record, in order. Compressed batches are decompressed by `decompress`
    /// (pass nil to refuse them). The record count must match the header and the records must fill the
    /// section exactly.
    public func forEachRecord(
        decompress: RecordsDecompressor? = RecordsCompression.standardDecompressor, _ body: (Record) throws -> Void
    ) throws {
        var section = recordsSection
        let codec = header.compressionCodec
        if codec != 0 {
            guard let decompress else {
                throw ProtocolError(.invalid, "record batch is compressed (codec \(codec)); no decompressor given")
            }
            section = try decompress(codec, section)
        }
        let count = Int(header.recordCount)
        guard count >= 0 else { throw ProtocolError(.invalid, "negative record count \(count)") }
        let records = section
        try records.withUnsafeReadableBytes { raw in
            var cursor = RawRecordCursor(raw)
            var read = 0
            while read < count {
                guard cursor.position < raw.count else {
                    throw ProtocolError(.invalid, "record batch says \(count) records but holds \(read)")
                }
                try body(try Record.parse(&cursor, source: records))
                read += 1
            }
            guard cursor.position == raw.count else {
                throw ProtocolError(
                    .invalid, "record batch has \(raw.count - cursor.position) bytes after its \(count) records")
            }
        }
    }

    /// All records, decoded (see `forEachRecord`).
    public func records(
        decompress: RecordsDecompressor? = RecordsCompression.standardDecompressor
    ) throws -> [Record] {
        var out: [Record] = []
        try forEachRecord(decompress: decompress) { out.append($0) }
        return out
    }
}

@inline(__always)
func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16, uppercase: true) }
