import KafkaProtocol
import NIOCore
import TributaryCore

/// Rewrites what the broker stamps on a batch as it is appended, in place in the request's
/// buffer (no copy): the base offset and leader epoch (not covered by the CRC), and for
/// LogAppendTime topics the timestamp type and max timestamp (covered: the CRC is recomputed).
enum BatchStamping {
    static let attributesOffset = 21
    static let maxTimestampOffset = 35

    static func stamp(_ buffer: inout ByteBuffer, at index: Int, header: inout RecordBatchHeader,
                      baseOffset: Int64, leaderEpoch: Int32, logAppendTimeMs: Int64?) {
        buffer.setInteger(baseOffset, at: index)
        buffer.setInteger(leaderEpoch, at: index + RecordBatchHeader.partitionLeaderEpochOffset)
        header.baseOffset = baseOffset
        header.partitionLeaderEpoch = leaderEpoch
        guard let now = logAppendTimeMs else { return }
        header.timestampType = .logAppendTime
        header.maxTimestamp = now
        buffer.setInteger(header.attributes, at: index + attributesOffset)
        buffer.setInteger(now, at: index + maxTimestampOffset)
        let crc = buffer.withUnsafeReadableBytes { raw -> UInt32 in
            let start = index - buffer.readerIndex + RecordBatchHeader.crcCoveredFrom
            let end = index - buffer.readerIndex + header.totalSize
            return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[start..<end]))
        }
        buffer.setInteger(crc, at: index + RecordBatchHeader.crcOffset)
        header.crc = crc
    }
}
