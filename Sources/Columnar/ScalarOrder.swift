/// The order of two scalars of compatible kinds (statistics pruning, `max_by`, `mode`): numbers
/// across their kinds, strings and binaries byte by byte as Parquet orders them.
public enum ScalarOrder {
    /// -1, 0 or 1; nil when the two cannot be compared (different kinds, or a NaN).
    public static func compare(_ a: Scalar, _ b: Scalar) -> Int? {
        switch (a, b) {
        case let (.int(x), .int(y)): return sign(x, y)
        case let (.double(x), .double(y)): return x.isNaN || y.isNaN ? nil : sign(x, y)
        case let (.int(x), .double(y)): return y.isNaN ? nil : sign(Double(x), y)
        case let (.double(x), .int(y)): return x.isNaN ? nil : sign(x, Double(y))
        case let (.decimal(x), .decimal(y)): return x < y ? -1 : (y < x ? 1 : 0)
        case let (.decimal(x), .int(y)): return compare(.decimal(x), .decimal(DecimalValue(unscaled: Int128(y), scale: 0)))
        case let (.int(x), .decimal(y)): return compare(.decimal(DecimalValue(unscaled: Int128(x), scale: 0)), .decimal(y))
        case let (.decimal(x), .double(y)): return y.isNaN ? nil : sign(x.doubleValue, y)
        case let (.double(x), .decimal(y)): return x.isNaN ? nil : sign(x, y.doubleValue)
        case let (.string(x), .string(y)): return bytes(Array(x.utf8), Array(y.utf8))
        case let (.binary(x), .binary(y)): return bytes(x, y)
        case let (.date(x), .date(y)): return sign(x, y)
        case let (.timestamp(x), .timestamp(y)): return sign(x, y)
        case let (.boolean(x), .boolean(y)): return sign(x ? 1 : 0, y ? 1 : 0)
        default: return nil
        }
    }

    private static func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }

    /// Unsigned byte-wise order, as Parquet orders UTF-8 and binary statistics.
    private static func bytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
        x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
    }
}
