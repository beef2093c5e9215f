import NIOCore
import TributaryCore

/// The CRC32C of a RecordBatch v2 covers everything from the attributes to the end of the batch.
enum RecordBatchCRC {
    static let crcPosition = 17
    static let coveredFrom = 21

    static func isValid(_ batch: ByteBuffer) -> Bool {
        guard let stored = batch.getInteger(at: batch.readerIndex + crcPosition, as: UInt32.self),
              batch.readableBytes >= coveredFrom else { return false }
        return compute(batch) == stored
    }

    static func compute(_ batch: ByteBuffer) -> UInt32 {
        batch.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[coveredFrom...]))
        }
    }
}
