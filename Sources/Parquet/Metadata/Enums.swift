/// Parquet's physical storage types (`Type` in parquet.thrift).
public enum PhysicalType: Int32, Sendable, CustomStringConvertible {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    /// Legacy 12-byte timestamps (nanoseconds of day, then Julian day).
    case int96 = 3
    case float = 4
    case double = 5
    case byteArray = 6
    case fixedLenByteArray = 7

    public var description: String {
        switch self {
        case .boolean: return "BOOLEAN"
        case .int32: return "INT32"
        case .int64: return "INT64"
        case .int96: return "INT96"
        case .float: return "FLOAT"
        case .double: return "DOUBLE"
        case .byteArray: return "BYTE_ARRAY"
        case .fixedLenByteArray: return "FIXED_LEN_BYTE_ARRAY"
        }
    }
}

/// The deprecated type annotations (`ConvertedType`), still written next to logical types.
public enum ConvertedType: Int32, Sendable {
    case utf8 = 0, map = 1, mapKeyValue = 2, list = 3, enumeration = 4, decimal = 5, date = 6
    case timeMillis = 7, timeMicros = 8, timestampMillis = 9, timestampMicros = 10
    case uint8 = 11, uint16 = 12, uint32 = 13, uint64 = 14
    case int8 = 15, int16 = 16, int32 = 17, int64 = 18
    case json = 19, bson = 20, interval = 21
}

/// How often a schema node occurs in its parent.
public enum Repetition: Int32, Sendable {
    case required = 0
    case optional = 1
    case repeated = 2
}

/// Value and level encodings.
public enum Encoding: Int32, Sendable, CustomStringConvertible {
    case plain = 0
    case plainDictionary = 2
    case rle = 3
    case bitPacked = 4
    case deltaBinaryPacked = 5
    case deltaLengthByteArray = 6
    case deltaByteArray = 7
    case rleDictionary = 8
    case byteStreamSplit = 9

    public var description: String {
        switch self {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        }
    }
}

/// Page compression codecs (`CompressionCodec` in parquet.thrift).
public enum ParquetCompression: Int32, Sendable, CustomStringConvertible {
    case uncompressed = 0
    case snappy = 1
    case gzip = 2
    case lzo = 3
    case brotli = 4
    /// Deprecated Hadoop-framed LZ4.
    case lz4 = 5
    case zstd = 6
    case lz4Raw = 7

    public var description: String {
        switch self {
        case .uncompressed: return "UNCOMPRESSED"
        case .snappy: return "SNAPPY"
        case .gzip: return "GZIP"
        case .lzo: return "LZO"
        case .brotli: return "BROTLI"
        case .lz4: return "LZ4"
        case .zstd: return "ZSTD"
        case .lz4Raw: return "LZ4_RAW"
        }
    }
}

/// Page kinds.
public enum PageType: Int32, Sendable {
    case dataPage = 0
    case indexPage = 1
    case dictionaryPage = 2
    case dataPageV2 = 3
}

/// Ordering of the page bounds in a column index.
public enum BoundaryOrder: Int32, Sendable {
    case unordered = 0
    case ascending = 1
    case descending = 2
}

extension ThriftCompactReader {
    /// Reads an i32 enum value, throwing with `what` when the value is not a known case.
    mutating func readEnum<E: RawRepresentable>(_: E.Type, _ what: String) throws -> E where E.RawValue == Int32 {
        let raw = try readI32()
        guard let value = E(rawValue: raw) else { throw ParquetError.corrupt("unknown \(what) \(raw)") }
        return value
    }
}
