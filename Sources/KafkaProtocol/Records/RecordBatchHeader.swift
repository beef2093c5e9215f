import NIOCore

/// How a batch's timestamps were set (attributes bit 3).
public enum TimestampType: Int8, Sendable {
    /// Set by the producer.
    case createTime = 0
    /// Set by the broker when it appended the batch.
    case logAppendTime = 1
}

/// The fixed 61-byte header of a RecordBatch v2 (magic 2), field by field.
///
/// Layout (big-endian): baseOffset int64 @0, batchLength int32 @8 (bytes after this field),
/// partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17 (CRC32C of bytes 21..end),
/// attributes int16 @21, lastOffsetDelta int32 @23, baseTimestamp int64 @27, maxTimestamp int64 @35,
/// producerId int64 @43, producerEpoch int16 @51, baseSequence int32 @53, recordCount int32 @57.
public struct RecordBatchHeader: Sendable, Equatable {
    /// Bytes in the header; records start here.
    public static let size = 61
    /// Bytes before (and including) the length field, which `batchLength` does not count.
    public static let lengthPrefixSize = 12
    /// The smallest possible `batchLength` (a header with no records).
    public static let batchLengthMin = Int32(size - lengthPrefixSize)

    /// Byte position of `partitionLeaderEpoch` in a batch (the broker rewrites it in place).
    public static let partitionLeaderEpochOffset = 12
    /// Byte position of `magic`.
    public static let magicOffset = 16
    /// Byte position of `crc`.
    public static let crcOffset = 17
    /// The CRC covers everything from the attributes to the end of the batch.
    public static let crcCoveredFrom = 21

    public var baseOffset: Int64 = 0
    public var batchLength: Int32 = batchLengthMin
    public var partitionLeaderEpoch: Int32 = -1
    public var magic: Int8 = 2
    public var crc: UInt32 = 0
    public var attributes: Int16 = 0
    public var lastOffsetDelta: Int32 = 0
    public var baseTimestamp: Int64 = -1
    public var maxTimestamp: Int64 = -1
    public var producerId: Int64 = -1
    public var producerEpoch: Int16 = -1
    public var baseSequence: Int32 = -1
    public var recordCount: Int32 = 0

    public init() {}

    /// Reads the header of the batch starting at `index` of `buffer` (absolute index), checking that
    /// all 61 bytes are there, that the magic is 2 and that the length is at least a header's.
    /// Whether the whole batch is present is the caller's check (see `totalSize`).
    public init(parsing buffer: ByteBuffer, at index: Int) throws {
        guard index >= buffer.readerIndex, buffer.writerIndex - index >= Self.size else {
            throw ProtocolError.truncated("record batch header")
        }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            // In bounds: the 61 bytes were checked above.
            buffer.getInteger(at: index + offset, as: T.self) ?? 0
        }
        magic = get(Self.magicOffset, Int8.self)
        guard magic == 2 else {
            throw ProtocolError(.invalid, "record batch magic \(magic); only magic 2 (RecordBatch v2) is supported")
        }
        baseOffset = get(0, Int64.self)
        batchLength = get(8, Int32.self)
        guard batchLength >= Self.batchLengthMin else {
            throw ProtocolError(.invalid, "record batch length \(batchLength) is shorter than its header")
        }
        partitionLeaderEpoch = get(12, Int32.self)
        crc = get(17, UInt32.self)
        attributes = get(21, Int16.self)
        lastOffsetDelta = get(23, Int32.self)
        baseTimestamp = get(27, Int64.self)
        maxTimestamp = get(35, Int64.self)
        producerId = get(43, Int64.self)
        producerEpoch = get(51, Int16.self)
        baseSequence = get(53, Int32.self)
        recordCount = get(57, Int32.self)
    }

    /// Appends the 61 header bytes.
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(baseOffset)
        buffer.writeInteger(batchLength)
        buffer.writeInteger(partitionLeaderEpoch)
        buffer.writeInteger(magic)
        buffer.writeInteger(crc)
        buffer.writeInteger(attributes)
        buffer.writeInteger(lastOffsetDelta)
        buffer.writeInteger(baseTimestamp)
        buffer.writeInteger(maxTimestamp)
        buffer.writeInteger(producerId)
        buffer.writeInteger(producerEpoch)
        buffer.writeInteger(baseSequence)
        buffer.writeInteger(recordCount)
    }

    /// The whole batch's size in bytes, header included.
    public var totalSize: Int { Int(batchLength) + Self.lengthPrefixSize }

    /// The offset of the batch's last record.
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }

    /// The compression codec number (attributes bits 0–2): 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd.
    public var compressionCodec: Int {
        get { Int(attributes & 0x07) }
        set { attributes = (attributes & ~0x07) | Int16(newValue & 0x07) }
    }

    /// Attributes bit 3.
    public var timestampType: TimestampType {
        get { attributes & 0x08 != 0 ? .logAppendTime : .createTime }
        set { setBit(0x08, newValue == .logAppendTime) }
    }

    /// Attributes bit 4: the batch belongs to a transaction.
    public var isTransactional: Bool {
        get { attributes & 0x10 != 0 }
        set { setBit(0x10, newValue) }
    }

    /// Attributes bit 5: the batch holds a control record (a transaction marker), not user data.
    public var isControl: Bool {
        get { attributes & 0x20 != 0 }
        set { setBit(0x20, newValue) }
    }

    /// Attributes bit 6: `baseTimestamp` holds the delete horizon of a compacted batch.
    public var hasDeleteHorizon: Bool {
        get { attributes & 0x40 != 0 }
        set { setBit(0x40, newValue) }
    }

    private mutating func setBit(_ bit: Int16, _ on: Bool) {
        attributes = on ? attributes | bit : attributes & ~bit
    }
}
