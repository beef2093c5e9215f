/// PLAIN dictionary pages of fixed-width numbers (INT32, INT64, FLOAT, DOUBLE) decompressed straight
/// into their typed buffer, without the copy out of a scratch buffer that `PlainDecoder` makes.
///
/// A row group's dictionary of keys or prices holds about one value per row and is read whole even
/// by a scan that keeps a few of the rows, so that copy is a sizeable share of a selective scan.
enum FixedWidthDictionary {
    /// The `count` values of the dictionary page body `body` (`size` bytes once decompressed), or nil
    /// when the page is not of this kind (another type or codec, or not exactly `count` values) and
    /// the general path applies.
    static func decode(
        _ body: UnsafeRawBufferPointer, codec: ParquetCompression, physicalType: PhysicalType, width: Int,
        count: Int, size: Int
    ) throws -> DecodedValues? {
        guard codec == .snappy || codec == .uncompressed else { return nil }
        var values = DecodedValues(physicalType: physicalType, width: width)
        switch physicalType {
        case .int32:
            guard let array = try read(body, codec, count, size, as: Int32.self) else { return nil }
            values.int32s = array
        case .int64:
            guard let array = try read(body, codec, count, size, as: Int64.self) else { return nil }
            values.int64s = array
        case .float:
            guard let array = try read(body, codec, count, size, as: Float.self) else { return nil }
            values.floats = array
        case .double:
            guard let array = try read(body, codec, count, size, as: Double.self) else { return nil }
            values.doubles = array
        default:
            return nil
        }
        return values
    }

    /// `count` little-endian values of `T` (the platform is little-endian) decompressed from `body`.
    private static func read<T>(
        _ body: UnsafeRawBufferPointer, _ codec: ParquetCompression, _ count: Int, _ size: Int, as type: T.Type
    ) throws -> [T]? {
        guard count > 0, size <= ParquetLimits.pageBytesMax,
              count.multipliedReportingOverflow(by: MemoryLayout<T>.stride) == (size, false),
              let input = body.baseAddress
        else { return nil }
        return try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = UnsafeMutableRawBufferPointer(buffer)
            guard let output = out.baseAddress else { return }
            if codec == .uncompressed {
                guard body.count == size else {
                    throw ParquetError.corrupt("dictionary page holds \(body.count) bytes, its header says \(size)")
                }
                output.copyMemory(from: input, byteCount: size)
            } else {
                try SnappyPages.decompress(body, into: UnsafeMutableRawBufferPointer(start: output, count: size))
            }
            initialized = count
        }
    }
}
