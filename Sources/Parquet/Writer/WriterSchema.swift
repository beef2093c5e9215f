import Columnar

/// How one Columnar field is stored, chosen as Spark writes Parquet (non-legacy format): small
/// integers as annotated INT32, decimals by precision in INT32 / INT64 / FIXED_LEN_BYTE_ARRAY,
/// strings as UTF-8 BYTE_ARRAY, dates as INT32 DATE, timestamps as INT64 TIMESTAMP(MICROS, UTC).
struct WriterColumn {
    let field: Field
    let element: SchemaElement
    let physicalType: PhysicalType
    /// Byte width of FIXED_LEN_BYTE_ARRAY values.
    let width: Int

    init(field: Field) throws {
        self.field = field
        let repetition: Repetition = field.nullable ? .optional : .required
        var element = SchemaElement(name: field.name, repetition: repetition)
        var width = 0
        switch field.type {
        case .null:
            element.type = .int32
            element.logicalType = .null
        case .boolean: element.type = .boolean
        case .int8:
            element.type = .int32
            element.logicalType = .integer(bitWidth: 8, isSigned: true)
            element.convertedType = .int8
        case .int16:
            element.type = .int32
            element.logicalType = .integer(bitWidth: 16, isSigned: true)
            element.convertedType = .int16
        case .int32: element.type = .int32
        case .int64: element.type = .int64
        case .float32: element.type = .float
        case .float64: element.type = .double
        case let .decimal(precision, scale):
            if precision <= 9 {
                element.type = .int32
            } else if precision <= 18 {
                element.type = .int64
            } else {
                element.type = .fixedLenByteArray
                width = Self.decimalBytes(precision: precision)
                element.typeLength = Int32(width)
            }
            element.logicalType = .decimal(scale: Int32(scale), precision: Int32(precision))
            element.convertedType = .decimal
            element.precision = Int32(precision)
            element.scale = Int32(scale)
        case .string:
            element.type = .byteArray
            element.logicalType = .string
            element.convertedType = .utf8
        case .binary: element.type = .byteArray
        case .date:
            element.type = .int32
            element.logicalType = .date
            element.convertedType = .date
        case .timestamp:
            element.type = .int64
            element.logicalType = .timestamp(isAdjustedToUTC: true, unit: .micros)
            element.convertedType = .timestampMicros
        case .array, .struct, .map:
            throw ParquetError(.invalidArgument, "nested column \(field.name) (\(field.type)) is laid out by WriterFieldLayout, not as one leaf")
        }
        guard let physical = element.type else {
            throw ParquetError(.unsupported, "no Parquet type for \(field.type)")
        }
        self.element = element
        self.physicalType = physical
        self.width = width
    }

    /// The fewest bytes whose two's complement holds every unscaled value of `precision` digits
    /// (Spark's `minBytesForPrecision`).
    static func decimalBytes(precision: Int) -> Int {
        var bytes = 1
        var limit: Double = 1
        for _ in 0..<precision { limit *= 10 }
        while pow2(8 * bytes - 1) < limit { bytes += 1 }
        return bytes
    }

    private static func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }

    /// Appends the non-null values of `vector` (of this column's type) to `values` in their physical
    /// form, and one definition level per row to `levels` when the column is optional.
    func append(_ vector: ColumnVector, values: inout DecodedValues, levels: inout [UInt8]) throws {
        guard vector.type == field.type else {
            throw ParquetError(.invalidArgument, "column \(field.name) is \(vector.type), the schema says \(field.type)")
        }
        let count = vector.count
        let validity = vector.validity
        if !field.nullable && vector.nullCount > 0 {
            throw ParquetError(.invalidArgument, "column \(field.name) is declared not null but holds nulls")
        }
        if field.nullable {
            levels.reserveCapacity(levels.count + count)
            if case .null = vector.storage {
                levels.append(contentsOf: repeatElement(0, count: count))
            } else if let validity {
                for row in 0..<count { levels.append(validity[row] ? 1 : 0) }
            } else {
                levels.append(contentsOf: repeatElement(1, count: count))
            }
        }
        @inline(__always) func present(_ row: Int) -> Bool { validity.map { $0[row] } ?? true }
        switch vector.storage {
        case .null: break
        case let .boolean(bits):
            for row in 0..<count where present(row) { values.bools.append(bits[row] ? 1 : 0) }
        case let .int8(v): for row in 0..<count where present(row) { values.int32s.append(Int32(v[row])) }
        case let .int16(v): for row in 0..<count where present(row) { values.int32s.append(Int32(v[row])) }
        case let .int32(v):
            if validity == nil { values.int32s.append(contentsOf: v) } else {
                for row in 0..<count where present(row) { values.int32s.append(v[row]) }
            }
        case let .int64(v):
            if validity == nil { values.int64s.append(contentsOf: v) } else {
                for row in 0..<count where present(row) { values.int64s.append(v[row]) }
            }
        case let .float32(v): for row in 0..<count where present(row) { values.floats.append(v[row]) }
        case let .float64(v):
            if validity == nil { values.doubles.append(contentsOf: v) } else {
                for row in 0..<count where present(row) { values.doubles.append(v[row]) }
            }
        case let .decimal(v):
            switch physicalType {
            case .int32: for row in 0..<count where present(row) { values.int32s.append(Int32(truncatingIfNeeded: v[row])) }
            case .int64: for row in 0..<count where present(row) { values.int64s.append(Int64(truncatingIfNeeded: v[row])) }
            default:
                for row in 0..<count where present(row) {
                    let value = v[row]
                    for k in stride(from: width - 1, through: 0, by: -1) {
                        values.bytes.append(UInt8(truncatingIfNeeded: value >> Int128(8 * k)))
                    }
                }
            }
        case let .bytes(offsets, data):
            for row in 0..<count where present(row) {
                values.bytes.append(contentsOf: data[Int(offsets[row])..<Int(offsets[row + 1])])
                try values.closeByteArrayValue()
            }
        case .list, .struct:
            throw ParquetError(.invalidArgument, "nested column \(field.name) is shredded by NestedShredder, not appended as one leaf")
        }
    }
}
