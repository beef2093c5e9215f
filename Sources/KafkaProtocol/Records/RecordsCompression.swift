import NIOCore
import TributaryCore

/// The standard compression hooks for record batches, backed by TributaryCore's codecs (gzip, snappy,
/// lz4, zstd as Kafka clients frame them). Codec failures surface as `ProtocolError` (`.invalid`), so
/// callers handle every bad-batch case one way.
public enum RecordsCompression {
    /// Decompresses with TributaryCore's codecs, refusing output larger than `maxOutputBytes`
    /// (a decompression bomb costs at most that much memory).
    public static func decompressor(maxOutputBytes: Int = Limits.requestFrameBytesMax) -> RecordsDecompressor {
        { codecNumber, compressed in
            let codec = try codec(codecNumber)
            var out: [UInt8] = []
            do {
                try compressed.withUnsafeReadableBytes { raw in
                    try codec.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes)
                }
            } catch let error as CompressionError {
                throw ProtocolError(.invalid, "record batch records: \(error)")
            }
            return ByteBuffer(bytes: out)
        }
    }

    /// The decompressor with the default bound; what `RecordBatch.forEachRecord` uses unless told otherwise.
    public static let standardDecompressor: RecordsDecompressor = decompressor()

    /// Compresses with TributaryCore's codecs; what `RecordBatchBuilder.build` uses unless told otherwise.
    public static let standardCompressor: RecordsCompressor = { codecNumber, plain in
        let codec = try codec(codecNumber)
        var out: [UInt8] = []
        do {
            try plain.withUnsafeReadableBytes { raw in try codec.compress(raw, appendingTo: &out) }
        } catch let error as CompressionError {
            throw ProtocolError(.invalid, "compressing records: \(error)")
        }
        return ByteBuffer(bytes: out)
    }

    private static func codec(_ number: Int) throws -> CompressionCodec {
        guard (0...7).contains(number), let codec = CompressionCodec(rawValue: Int8(number)) else {
            throw ProtocolError(.invalid, "unknown compression codec \(number) in record batch attributes")
        }
        return codec
    }
}
