/// Kafka's record batch compression codecs, numbered as in the low three bits of the batch attributes.
public enum CompressionCodec: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// The codec named by a record batch's attributes (bits 0–2). Values 5–7 are not codecs.
    public init(batchAttributes: Int16) throws {
        let bits = Int(batchAttributes & 0x07)
        guard let codec = CompressionCodec(rawValue: Int8(bits)) else {
            throw CompressionError.unknownCodec(attribute: bits)
        }
        self = codec
    }

    /// The name Kafka configurations use (`compression.type`).
    public var description: String {
        switch self {
        case .none: return "none"
        case .gzip: return "gzip"
        case .snappy: return "snappy"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        }
    }

    /// Compresses `input` the way Kafka clients do for this codec, appending to `output`: gzip member,
    /// xerial-framed snappy, one LZ4 frame, one zstd frame; `.none` copies.
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        switch self {
        case .none: output.append(contentsOf: input)
        case .gzip: try Deflate.compress(input, appendingTo: &output, framing: .gzip)
        case .snappy: try SnappyXerial.compress(input, appendingTo: &output)
        case .lz4: try LZ4.compressFrame(input, appendingTo: &output)
        case .zstd: try Zstd.compress(input, appendingTo: &output)
        }
    }

    /// Decompresses a Kafka batch's records section, accepting what any known producer writes
    /// (concatenated gzip members; xerial-framed or raw snappy; LZ4 frames; zstd frames with or without
    /// a content size), and appends at most `maxOutputBytes` bytes to `output` or throws.
    public func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], maxOutputBytes: Int
    ) throws {
        switch self {
        case .none:
            guard input.count <= maxOutputBytes else {
                throw CompressionError.outputTooLarge(codec: "none", limitBytes: maxOutputBytes)
            }
            output.append(contentsOf: input)
        case .gzip: try Deflate.decompress(input, appendingTo: &output, maxOutputBytes: maxOutputBytes)
        case .snappy: try SnappyXerial.decompress(input, appendingTo: &output, maxOutputBytes: maxOutputBytes)
        case .lz4: try LZ4.decompressFrame(input, appendingTo: &output, maxOutputBytes: maxOutputBytes)
        case .zstd: try Zstd.decompress(input, appendingTo: &output, maxOutputBytes: maxOutputBytes)
        }
    }
}
