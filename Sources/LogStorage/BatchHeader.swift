import NIOCore

/// The fields of a RecordBatch v2 header the log reads, at their fixed positions.
///
/// Layout (big-endian): baseOffset 0:8, batchLength 8:4, partitionLeaderEpoch 12:4, magic 16:1,
/// crc 17:4, attributes 21:2, lastOffsetDelta 23:4, baseTimestamp 27:8, maxTimestamp 35:8,
/// producerId 43:8, producerEpoch 51:2, baseSequence 53:4, recordCount 57:4; records follow at 61.
struct BatchHeader {
    static let size = 61
    /// Bytes before and including batchLength: the rest of the batch is `batchLength` long.
    static let lengthPrefixBytes = 12

    var baseOffset: Int64
    var batchLength: Int32
    var magic: Int8
    var crc: UInt32
    var attributes: Int16
    var lastOffsetDelta: Int32
    var baseTimestamp: Int64
    var maxTimestamp: Int64
    var producerId: Int64
    var producerEpoch: Int16
    var baseSequence: Int32
    var recordCount: Int32

    /// The whole batch's size in bytes.
    var totalBytes: Int { Int(batchLength) + Self.lengthPrefixBytes }
    var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    var isTransactional: Bool { attributes & 0x10 != 0 }
    var isControl: Bool { attributes & 0x20 != 0 }
    var usesLogAppendTime: Bool { attributes & 0x08 != 0 }

    /// Reads the header at `index` of `buffer` without moving it; nil if fewer than 61 bytes remain.
    init?(_ buffer: ByteBuffer, at index: Int) {
        guard index + Self.size <= buffer.writerIndex,
              let baseOffset = buffer.getInteger(at: index, as: Int64.self),
              let batchLength = buffer.getInteger(at: index + 8, as: Int32.self),
              let magic = buffer.getInteger(at: index + 16, as: Int8.self),
              let crc = buffer.getInteger(at: index + 17, as: UInt32.self),
              let attributes = buffer.getInteger(at: index + 21, as: Int16.self),
              let lastOffsetDelta = buffer.getInteger(at: index + 23, as: Int32.self),
              let baseTimestamp = buffer.getInteger(at: index + 27, as: Int64.self),
              let maxTimestamp = buffer.getInteger(at: index + 35, as: Int64.self),
              let producerId = buffer.getInteger(at: index + 43, as: Int64.self),
              let producerEpoch = buffer.getInteger(at: index + 51, as: Int16.self),
              let baseSequence = buffer.getInteger(at: index + 53, as: Int32.self),
              let recordCount = buffer.getInteger(at: index + 57, as: Int32.self)
        else { return nil }
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordCount = recordCount
    }

    /// Checks what must hold of any batch we store or serve, except the CRC.
    func validateShape() -> String? {
        if magic != 2 { return "record batch magic \(magic) is not 2" }
        if batchLength < Int32(Self.size - Self.lengthPrefixBytes) { return "record batch length \(batchLength) is too small" }
        if recordCount < 0 || lastOffsetDelta < 0 { return "record batch counts are negative" }
        return nil
    }
}
