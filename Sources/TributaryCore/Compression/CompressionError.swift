/// Why compressing or decompressing failed. Every decoder in this folder throws one of these for bad
/// input instead of trapping, and leaves the caller's output buffer as it was before the call.
public enum CompressionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The decompressed data would be larger than the bound the caller allowed.
    case outputTooLarge(codec: String, limitBytes: Int)
    /// The input is not valid data of this codec (bad header, checksum, truncated stream, ...).
    case corrupt(codec: String, detail: String)
    /// The decompressed size differs from the size the container declared.
    case sizeMismatch(codec: String, expectedBytes: Int, actualBytes: Int)
    /// The C library failed for a reason that is not the input's fault (for example out of memory).
    case libraryFailure(codec: String, detail: String)
    /// The Kafka attribute bits name a codec that does not exist.
    case unknownCodec(attribute: Int)

    public var description: String {
        switch self {
        case let .outputTooLarge(codec, limit):
            return "\(codec): decompressed data exceeds the limit of \(limit) bytes (corrupt or hostile input)"
        case let .corrupt(codec, detail):
            return "\(codec): corrupt input: \(detail)"
        case let .sizeMismatch(codec, expected, actual):
            return "\(codec): decompressed to \(actual) bytes but \(expected) were declared"
        case let .libraryFailure(codec, detail):
            return "\(codec): \(detail)"
        case let .unknownCodec(attribute):
            return "unknown compression codec \(attribute) (Kafka knows 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)"
        }
    }
}
