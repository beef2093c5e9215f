import NIOCore
import TributaryCore

/// Turns a plain records section into the compressed form for `codec` (1 gzip, 2 snappy, 3 lz4,
/// 4 zstd). `RecordsCompression.standardCompressor` is the usual one.
public typealias RecordsCompressor = (_ codec: Int, _ plain: ByteBuffer) throws -> ByteBuffer

/// Builds one RecordBatch v2: append records, then `build()` lays out the header and the CRC.
///
/// Records are encoded as they are appended, so building a batch of N records costs one pass.
public struct RecordBatchBuilder: Sendable {
    /// The header being built; `baseOffset`, producer fields, epoch and attributes may be set freely.
    /// Lengths, counts, deltas, timestamps and the CRC are filled in by `append` and `build`.
    public var header = RecordBatchHeader()
    private var section = ByteBuffer()
    private var count: Int32 = 0

    /// A builder for a batch at `baseOffset` (0 for what a producer sends; the broker rewrites it).
    public init(
        baseOffset: Int64 = 0, producerId: Int64 = -1, producerEpoch: Int16 = -1, baseSequence: Int32 = -1,
        partitionLeaderEpoch: Int32 = -1, isTransactional: Bool = false, timestampType: TimestampType = .createTime
    ) {
        header.baseOffset = baseOffset
        header.producerId = producerId
        header.producerEpoch = producerEpoch
        header.baseSequence = baseSequence
        header.partitionLeaderEpoch = partitionLeaderEpoch
        header.isTransactional = isTransactional
        header.timestampType = timestampType
    }

    /// The number of records appended so far.
    public var recordCount: Int { Int(count) }

    /// Appends a record with the next offset. The first record's timestamp becomes the batch's base.
    public mutating func append(key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = [], timestamp: Int64) {
        if count == 0 {
            header.baseTimestamp = timestamp
            header.maxTimestamp = timestamp
        }
        header.maxTimestamp = Swift.max(header.maxTimestamp, timestamp)
        let record = Record(
            offsetDelta: count, timestampDelta: timestamp &- header.baseTimestamp, key: key, value: value,
            headers: headers)
        record.write(into: &section)
        header.lastOffsetDelta = count
        count += 1
    }

    /// The finished batch. `compression` is the codec number for the attributes (0 = none), applied
    /// by `compress` (pass nil to allow only uncompressed batches).
    public func build(
        compression: Int = 0, compress: RecordsCompressor? = RecordsCompression.standardCompressor
    ) throws -> ByteBuffer {
        var h = header
        h.recordCount = count
        h.compressionCodec = compression
        var body = section
        if compression != 0 {
            guard let compress else {
                throw ProtocolError(.invalid, "compression codec \(compression) requested without a compressor")
            }
            body = try compress(compression, section)
        }
        let total = RecordBatchHeader.size + body.readableBytes
        guard total - RecordBatchHeader.lengthPrefixSize <= Int(Int32.max) else {
            throw ProtocolError(.invalid, "record batch of \(total) bytes is too large")
        }
        h.batchLength = Int32(total - RecordBatchHeader.lengthPrefixSize)
        h.crc = 0
        var out = ByteBuffer()
        out.reserveCapacity(total)
        h.write(into: &out)
        out.writeImmutableBuffer(body)
        let crc = out.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatchHeader.crcCoveredFrom...]))
        }
        out.setInteger(crc, at: out.readerIndex + RecordBatchHeader.crcOffset)
        return out
    }
}
