/// Builds a `ColumnVector` one value at a time.
///
/// Used where values arrive one by one (parsers, scalar expansion, results of row-wise
/// fallbacks). Only the buffer of the column's physical layout is used.
public struct ColumnBuilder {
    /// The type of the column being built.
    public let type: DataType
    /// The number of values appended so far.
    public private(set) var count = 0
    /// Created at the first null only: columns without nulls never pay for a bitmap.
    private var validity: Bitmap?
    private var bools: Bitmap
    private var i8: [Int8] = []
    private var i16: [Int16] = []
    private var i32: [Int32] = []
    private var i64: [Int64] = []
    private var f32: [Float] = []
    private var f64: [Double] = []
    private var dec: [Int128] = []
    private var offsets: [Int32] = [0]
    private var data: [UInt8] = []
    private let decimalScale: Int
    /// Builders of the child vectors: the element (or map entry) builder of a list, one builder
    /// per field of a struct.
    public var children: [ColumnBuilder] = []

    /// A builder for `type`, reserving room for `capacity` values.
    public init(type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case let .array(e, _): children = [ColumnBuilder(type: e, capacity: capacity)]
        case let .map(k, v, vn):
            children = [ColumnBuilder(type: DataType.mapEntry(key: k, value: v, valueContainsNull: vn), capacity: capacity)]
        case let .struct(fields): children = fields.map { ColumnBuilder(type: $0.type, capacity: capacity) }
        default: break
        }
        bools = Bitmap(reservingCapacity: type == .boolean ? capacity : 0)
        if case let .decimal(_, s) = type { decimalScale = s } else { decimalScale = 0 }
        switch type {
        case .int8: i8.reserveCapacity(capacity)
        case .int16: i16.reserveCapacity(capacity)
        case .int32, .date: i32.reserveCapacity(capacity)
        case .int64, .timestamp: i64.reserveCapacity(capacity)
        case .float32: f32.reserveCapacity(capacity)
        case .float64: f64.reserveCapacity(capacity)
        case .decimal: dec.reserveCapacity(capacity)
        case .string, .binary, .array, .map: offsets.reserveCapacity(capacity + 1)
        case .null, .boolean, .struct: break
        }
    }

    /// Appends a null.
    public mutating func appendNull() {
        if validity == nil { validity = Bitmap(count: count, value: true) }
        validity!.append(false)
        appendZero()
    }

    /// Records a present value in the validity bitmap, if one exists yet.
    @inline(__always) private mutating func markValid() {
        if validity != nil { validity!.append(true) }
    }

    private mutating func appendZero() {
        switch type {
        case .null: break
        case .boolean: bools.append(false)
        case .int8: i8.append(0)
        case .int16: i16.append(0)
        case .int32, .date: i32.append(0)
        case .int64, .timestamp: i64.append(0)
        case .float32: f32.append(0)
        case .float64: f64.append(0)
        case .decimal: dec.append(0)
        case .string, .binary: offsets.append(Int32(truncatingIfNeeded: data.count))
        case .array, .map: offsets.append(Int32(truncatingIfNeeded: children[0].count))
        case .struct:
            // A null struct still has a slot in every field's child.
            for i in children.indices { children[i].appendNull() }
        }
        count += 1
    }

    /// Appends one array (or map) value whose elements (entries) `body` appends to the child
    /// builder it is given.
    public mutating func appendList(_ body: (inout ColumnBuilder) throws -> Void) rethrows {
        try body(&children[0])
        markValid()
        offsets.append(Int32(truncatingIfNeeded: children[0].count))
        count += 1
    }

    /// Appends one present struct value whose fields `body` appends, one value to each field builder.
    public mutating func appendStruct(_ body: (inout [ColumnBuilder]) throws -> Void) rethrows {
        try body(&children)
        markValid()
        count += 1
    }

    /// Appends a boolean (column type boolean).
    public mutating func appendBool(_ v: Bool) {
        markValid()
        bools.append(v)
        count += 1
    }
    /// Appends an integer, converted to the column's integer width (wrapping like a Java cast).
    public mutating func appendInt(_ v: Int64) {
        markValid()
        switch type {
        case .int8: i8.append(Int8(truncatingIfNeeded: v))
        case .int16: i16.append(Int16(truncatingIfNeeded: v))
        case .int32, .date: i32.append(Int32(truncatingIfNeeded: v))
        case .int64, .timestamp: i64.append(v)
        case .float32: f32.append(Float(v))
        case .float64: f64.append(Double(v))
        case .decimal: dec.append(Int128(v) * DecimalParsing.pow10[decimalScale])
        case .boolean: bools.append(v != 0)
        default:
            appendBytesRaw(Array(String(v).utf8))
            return
        }
        count += 1
    }
    /// Appends a double (column type float or double).
    public mutating func appendDouble(_ v: Double) {
        markValid()
        if type == .float32 { f32.append(Float(v)) } else { f64.append(v) }
        count += 1
    }
    /// Appends an unscaled decimal already at the column's scale.
    public mutating func appendDecimal(_ v: Int128) {
        markValid()
        dec.append(v)
        count += 1
    }
    /// Appends bytes (column type string or binary).
    public mutating func appendBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        markValid()
        appendBytesRaw(bytes)
    }
    private mutating func appendBytesRaw<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        data.append(contentsOf: bytes)
        offsets.append(Int32(truncatingIfNeeded: data.count))
        count += 1
    }
    /// Appends a string (column type string).
    public mutating func appendString(_ s: String) { appendBytes(s.utf8) }

    /// Appends a scalar, converting between numeric kinds where the column type asks for it.
    /// A scalar that does not fit the column's type is appended as null.
    public mutating func append(_ value: Scalar) {
        switch (value, type) {
        case (.null, _): appendNull()
        case let (.boolean(b), .boolean): appendBool(b)
        case let (.int(v), _) where type.isInteger || type.isFloating: appendInt(v)
        case let (.int(v), .decimal): appendInt(v)
        case let (.double(v), .float32), let (.double(v), .float64): appendDouble(v)
        case let (.decimal(d), .decimal(_, s)):
            if let r = DecimalParsing.rescale(d.unscaled, from: d.scale, to: s) { appendDecimal(r) } else { appendNull() }
        case let (.decimal(d), .float64), let (.decimal(d), .float32): appendDouble(d.doubleValue)
        case let (.string(s), .string): appendString(s)
        case let (.binary(b), .binary): appendBytes(b)
        case let (.string(s), .binary): appendBytes(s.utf8)
        case let (.date(d), .date): appendInt(Int64(d))
        case let (.timestamp(t), .timestamp): appendInt(t)
        case let (.array(xs), .array):
            appendList { child in for x in xs { child.append(x) } }
        case let (.map(ks, vs), .map):
            appendList { entries in
                for (k, v) in zip(ks, vs) { entries.append(.struct([k, v])) }
            }
        case let (.struct(xs), .struct(fields)) where xs.count == fields.count:
            appendStruct { kids in for (i, x) in xs.enumerated() { kids[i].append(x) } }
        default: appendNull()
        }
    }

    /// Finishes the column; the builder should not be used afterwards.
    public mutating func finish() -> ColumnVector {
        let storage: ColumnStorage
        switch type {
        case .null: storage = .null
        case .boolean: storage = .boolean(bools)
        case .int8: storage = .int8(i8)
        case .int16: storage = .int16(i16)
        case .int32, .date: storage = .int32(i32)
        case .int64, .timestamp: storage = .int64(i64)
        case .float32: storage = .float32(f32)
        case .float64: storage = .float64(f64)
        case .decimal: storage = .decimal(dec)
        case .string, .binary: storage = .bytes(offsets: offsets, data: data)
        case .array, .map: storage = .list(offsets: offsets, values: children[0].finish())
        case .struct: storage = .struct(children.indices.map { children[$0].finish() })
        }
        return ColumnVector(type: type, count: count, storage: storage, validity: validity)
    }
}
