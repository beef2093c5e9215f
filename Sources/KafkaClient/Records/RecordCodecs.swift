import KafkaProtocol
import NIOCore
import TributaryCore

/// The bridge from the record-batch codec's compressor hooks to the system compression libraries.
public enum RecordCodecs {
    /// Compresses a batch's records section with codec number `codec` (1 gzip, 2 snappy, 3 lz4, 4 zstd).
    public static func compress(_ codec: Int, _ plain: ByteBuffer) throws -> ByteBuffer {
        guard let c = CompressionCodec(rawValue: Int8(truncatingIfNeeded: codec)) else {
            throw CompressionError.unknownCodec(attribute: codec)
        }
        var out: [UInt8] = []
        out.reserveCapacity(plain.readableBytes / 2 + 64)
        try plain.withUnsafeReadableBytes { try c.compress($0, appendingTo: &out) }
        return ByteBuffer(bytes: out)
    }

    /// Decompresses a batch's records section, bounded by `ClientLimits.decompressedBatchBytesMax`.
    public static func decompress(_ codec: Int, _ compressed: ByteBuffer) throws -> ByteBuffer {
        guard let c = CompressionCodec(rawValue: Int8(truncatingIfNeeded: codec)) else {
            throw CompressionError.unknownCodec(attribute: codec)
        }
        var out: [UInt8] = []
        out.reserveCapacity(min(compressed.readableBytes * 4, ClientLimits.decompressedBatchBytesMax))
        try compressed.withUnsafeReadableBytes {
            try c.decompress($0, appendingTo: &out, maxOutputBytes: ClientLimits.decompressedBatchBytesMax)
        }
        return ByteBuffer(bytes: out)
    }
}

extension CompressionCodec {
    /// Parses a `compression.type` name (none, gzip, snappy, lz4, zstd).
    public init(name: String) throws {
        guard let c = CompressionCodec.allCases.first(where: { $0.description == name.lowercased() }) else {
            throw KafkaClientError.invalidArgument(
                "unknown compression '\(name)'; use one of none, gzip, snappy, lz4, zstd")
        }
        self = c
    }
}
