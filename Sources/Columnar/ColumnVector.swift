/// The physical buffers of a column, one case per Arrow layout.
///
/// `date` columns use `.int32` (days), `timestamp` columns `.int64` (microseconds), `string` and
/// `binary` columns `.bytes` (Arrow's offsets + data layout: value `i` is
/// `data[offsets[i]..<offsets[i+1]]`, `offsets.count == count + 1`).
/// Nested columns hold child vectors: an `array` or `map` column is `.list` (value `i` is
/// `values[offsets[i]..<offsets[i+1]]`; a map's values are its `struct<key, value>` entries), a
/// `struct` column is `.struct` with one child of `count` values per field.
/// Kernels switch on the case once per vector and then loop over a typed buffer.
public indirect enum ColumnStorage: Sendable {
    /// A column of the `void` type: every value is null, no buffers.
    case null
    /// Bit-packed booleans.
    case boolean(Bitmap)
    /// `tinyint` values.
    case int8([Int8])
    /// `smallint` values.
    case int16([Int16])
    /// `int` and `date` values.
    case int32([Int32])
    /// `bigint` and `timestamp` values.
    case int64([Int64])
    /// `float` values.
    case float32([Float])
    /// `double` values.
    case float64([Double])
    /// Unscaled decimal values; the scale lives in the column's `DataType`.
    case decimal([Int128])
    /// Variable-length values (`string`, `binary`) as offsets into one byte buffer.
    case bytes(offsets: [Int32], data: [UInt8])
    /// Arrays and maps: `offsets.count == count + 1` into one child vector of elements (entries).
    case list(offsets: [Int32], values: ColumnVector)
    /// Structs: one child vector per field, each of the parent's length.
    case `struct`([ColumnVector])
}

/// One column of a batch: a type, values in Arrow layout, and a validity bitmap.
///
/// Slots whose validity bit is clear are null; their value slots hold an unspecified (but
/// initialised) value, so kernels may compute over them and mask the result afterwards.
public struct ColumnVector: Sendable {
    /// The logical type.
    public let type: DataType
    /// The number of values.
    public let count: Int
    /// The value buffers.
    public var storage: ColumnStorage
    /// Validity, one bit per value (set = present); nil when no value is null.
    public var validity: Bitmap?

    /// Wraps buffers; the caller guarantees that they match `type` and `count`.
    public init(type: DataType, count: Int, storage: ColumnStorage, validity: Bitmap?) {
        self.type = type
        self.count = count
        self.storage = storage
        // A validity bitmap with no cleared bits carries no information; drop it so that
        // kernels can take their no-null fast path.
        if let v = validity, v.allSet { self.validity = nil } else { self.validity = validity }
    }

    /// True when value `index` is null.
    @inlinable public func isNull(_ index: Int) -> Bool {
        if case .null = storage { return true }
        guard let v = validity else { return false }
        return !v[index]
    }

    /// The number of null values.
    public var nullCount: Int {
        if case .null = storage { return count }
        guard let v = validity else { return 0 }
        return count - v.popcount
    }

    /// A column of `count` nulls of `type`.
    public static func nulls(_ type: DataType, count: Int) -> ColumnVector {
        let storage: ColumnStorage
        switch type {
        case .null: storage = .null
        case .boolean: storage = .boolean(Bitmap(count: count, value: false))
        case .int8: storage = .int8([Int8](repeating: 0, count: count))
        case .int16: storage = .int16([Int16](repeating: 0, count: count))
        case .int32, .date: storage = .int32([Int32](repeating: 0, count: count))
        case .int64, .timestamp: storage = .int64([Int64](repeating: 0, count: count))
        case .float32: storage = .float32([Float](repeating: 0, count: count))
        case .float64: storage = .float64([Double](repeating: 0, count: count))
        case .decimal: storage = .decimal([Int128](repeating: 0, count: count))
        case .string, .binary: storage = .bytes(offsets: [Int32](repeating: 0, count: count + 1), data: [])
        case let .array(e, _):
            storage = .list(offsets: [Int32](repeating: 0, count: count + 1), values: nulls(e, count: 0))
        case let .map(k, v, vn):
            storage = .list(offsets: [Int32](repeating: 0, count: count + 1),
                            values: nulls(DataType.mapEntry(key: k, value: v, valueContainsNull: vn), count: 0))
        case let .struct(fields): storage = .struct(fields.map { nulls($0.type, count: count) })
        }
        return ColumnVector(type: type, count: count, storage: storage, validity: Bitmap(count: count, value: false))
    }

    /// The value at `index` as a scalar (slow path: for results, tests and constant folding).
    public func scalar(at index: Int) -> Scalar {
        if isNull(index) { return .null }
        switch storage {
        case .null: return .null
        case let .boolean(bits): return .boolean(bits[index])
        case let .int8(v): return .int(Int64(v[index]))
        case let .int16(v): return .int(Int64(v[index]))
        case let .int32(v): return type == .date ? .date(v[index]) : .int(Int64(v[index]))
        case let .int64(v): return type == .timestamp ? .timestamp(v[index]) : .int(v[index])
        case let .float32(v): return .double(Double(v[index]))
        case let .float64(v): return .double(v[index])
        case let .decimal(v):
            guard case let .decimal(_, scale) = type else { return .null }
            return .decimal(DecimalValue(unscaled: v[index], scale: scale))
        case let .bytes(offsets, data):
            let bytes = Array(data[Int(offsets[index])..<Int(offsets[index + 1])])
            return type == .binary ? .binary(bytes) : .string(String(decoding: bytes, as: UTF8.self))
        case let .list(offsets, values):
            let range = Int(offsets[index])..<Int(offsets[index + 1])
            if case .map = type, case let .struct(kv) = values.storage, kv.count == 2 {
                return .map(keys: range.map { kv[0].scalar(at: $0) }, values: range.map { kv[1].scalar(at: $0) })
            }
            return .array(range.map { values.scalar(at: $0) })
        case let .struct(children):
            return .struct(children.map { $0.scalar(at: index) })
        }
    }

    /// The child vector of a struct column's field `i` (nil when not a struct or out of range).
    public func field(_ i: Int) -> ColumnVector? {
        guard case let .struct(children) = storage, i >= 0, i < children.count else { return nil }
        return children[i]
    }

    /// A column repeating one scalar `count` times (the scalar must fit `type`).
    public static func constant(_ value: Scalar, type: DataType, count: Int) -> ColumnVector {
        if value.isNull { return nulls(type, count: count) }
        var b = ColumnBuilder(type: type, capacity: 1)
        b.append(value)
        let one = b.finish()
        if count == 1 { return one }
        // Fixed-width values are repeated straight into their buffer; others through one gather.
        let storage: ColumnStorage
        switch one.storage {
        case let .int8(v): storage = .int8([Int8](repeating: v[0], count: count))
        case let .int16(v): storage = .int16([Int16](repeating: v[0], count: count))
        case let .int32(v): storage = .int32([Int32](repeating: v[0], count: count))
        case let .int64(v): storage = .int64([Int64](repeating: v[0], count: count))
        case let .float32(v): storage = .float32([Float](repeating: v[0], count: count))
        case let .float64(v): storage = .float64([Double](repeating: v[0], count: count))
        case let .decimal(v): storage = .decimal([Int128](repeating: v[0], count: count))
        case let .boolean(bits): storage = .boolean(Bitmap(count: count, value: bits[0]))
        default: return one.take([Int32](repeating: 0, count: count))
        }
        return ColumnVector(type: type, count: count, storage: storage, validity: nil)
    }
}
