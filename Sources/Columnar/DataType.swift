/// The logical type of a column, named as Spark names its SQL types.
///
/// The physical layout follows Arrow: `date` is days since 1970-01-01 in an `Int32`, `timestamp`
/// is microseconds since the epoch (UTC) in an `Int64`, `decimal` is an unscaled `Int128` with the
/// scale kept in the type. Nested types follow Arrow too: an `array` is Int32 offsets into one child
/// column of elements, a `struct` is one child column per field, a `map` is an array of
/// `struct<key, value>` entries.
public indirect enum DataType: Hashable, Sendable, CustomStringConvertible {
    /// The type of the untyped `NULL` literal (Spark's `void`).
    case null
    /// `boolean`.
    case boolean
    /// `tinyint` (8-bit signed).
    case int8
    /// `smallint` (16-bit signed).
    case int16
    /// `int` (32-bit signed).
    case int32
    /// `bigint` (64-bit signed).
    case int64
    /// `float` (IEEE 754 single).
    case float32
    /// `double` (IEEE 754 double).
    case float64
    /// `decimal(precision, scale)` with precision 1...38 and scale 0...precision.
    case decimal(precision: Int, scale: Int)
    /// `string`: UTF-8 bytes.
    case string
    /// `binary`: raw bytes.
    case binary
    /// `date`: days since the Unix epoch.
    case date
    /// `timestamp`: microseconds since the Unix epoch, shown in the session time zone.
    case timestamp
    /// `array<element>`: a variable-length list of values of one type.
    case array(element: DataType, containsNull: Bool)
    /// `struct<name:type, …>`: named fields.
    case `struct`([StructField])
    /// `map<key, value>`: entries with non-null keys.
    case map(key: DataType, value: DataType, valueContainsNull: Bool)

    /// The largest decimal precision (Spark and Arrow's decimal128).
    public static let decimalPrecisionMax = 38

    /// Spark's SQL name for the type, e.g. `bigint` or `decimal(15,2)`.
    public var description: String {
        switch self {
        case .null: return "void"
        case .boolean: return "boolean"
        case .int8: return "tinyint"
        case .int16: return "smallint"
        case .int32: return "int"
        case .int64: return "bigint"
        case .float32: return "float"
        case .float64: return "double"
        case let .decimal(p, s): return "decimal(\(p),\(s))"
        case .string: return "string"
        case .binary: return "binary"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case let .array(e, _): return "array<\(e)>"
        case let .struct(fields):
            return "struct<" + fields.map { "\($0.name):\($0.type)" }.joined(separator: ",") + ">"
        case let .map(k, v, _): return "map<\(k),\(v)>"
        }
    }

    /// The type as Spark writes it in SQL text (`CAST(x AS …)` names, error messages):
    /// `INT`, `ARRAY<STRING>`, `MAP<STRING, INT>`, `STRUCT<a: INT, b: STRING>`.
    public var sqlName: String {
        switch self {
        case let .array(e, _): return "ARRAY<\(e.sqlName)>"
        case let .map(k, v, _): return "MAP<\(k.sqlName), \(v.sqlName)>"
        case let .struct(fields): return "STRUCT<" + fields.map { "\($0.name): \($0.type.sqlName)" }.joined(separator: ", ") + ">"
        default: return description.uppercased()
        }
    }

    /// True for array, struct and map.
    public var isNested: Bool {
        switch self {
        case .array, .struct, .map: return true
        default: return false
        }
    }

    /// The element type of an array, nil otherwise.
    public var elementType: DataType? {
        if case let .array(e, _) = self { return e }
        return nil
    }

    /// The fields of a struct, nil otherwise.
    public var structFields: [StructField]? {
        if case let .struct(f) = self { return f }
        return nil
    }

    /// The entry type a map stores in its list child: `struct<key, value>`.
    public static func mapEntry(key: DataType, value: DataType, valueContainsNull: Bool) -> DataType {
        .struct([StructField("key", key, nullable: false), StructField("value", value, nullable: valueContainsNull)])
    }

    /// True when the type is, or holds, a map (Spark cannot group, sort or compare maps).
    public var containsMap: Bool {
        switch self {
        case .map: return true
        case let .array(e, _): return e.containsMap
        case let .struct(fields): return fields.contains { $0.type.containsMap }
        default: return false
        }
    }

    /// True for the integer, floating point and decimal types.
    public var isNumeric: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .float32, .float64, .decimal: return true
        default: return false
        }
    }

    /// True for tinyint, smallint, int and bigint.
    public var isInteger: Bool {
        switch self {
        case .int8, .int16, .int32, .int64: return true
        default: return false
        }
    }

    /// True for float and double.
    public var isFloating: Bool { self == .float32 || self == .float64 }

    /// True for decimal types of any precision.
    public var isDecimal: Bool {
        if case .decimal = self { return true }
        return false
    }

    /// The decimal type that holds every value of an integer type exactly (Spark's
    /// `DecimalType.forType`): int → decimal(10,0), bigint → decimal(20,0). Nil for other types.
    public var asDecimal: DataType? {
        switch self {
        case .int8: return .decimal(precision: 3, scale: 0)
        case .int16: return .decimal(precision: 5, scale: 0)
        case .int32: return .decimal(precision: 10, scale: 0)
        case .int64: return .decimal(precision: 20, scale: 0)
        case .decimal: return self
        default: return nil
        }
    }

    /// Parses a Spark type name such as `int`, `BIGINT`, `decimal(15, 2)`, `varchar(25)`.
    /// Returns nil for names Spark does not know.
    public init?(sparkName raw: String) {
        let name = raw.lowercased().filter { $0 != " " }
        switch name {
        case "void", "null": self = .null
        case "boolean", "bool": self = .boolean
        case "tinyint", "byte": self = .int8
        case "smallint", "short": self = .int16
        case "int", "integer": self = .int32
        case "bigint", "long": self = .int64
        case "float", "real": self = .float32
        case "double": self = .float64
        case "string", "text": self = .string
        case "binary": self = .binary
        case "date": self = .date
        case "timestamp", "timestamp_ltz", "timestamp_ntz": self = .timestamp
        case "decimal", "dec", "numeric": self = .decimal(precision: 10, scale: 0)
        default:
            if name.hasPrefix("varchar(") || name.hasPrefix("char(") {
                // Spark reads char/varchar columns as strings.
                self = .string
                return
            }
            for prefix in ["decimal(", "dec(", "numeric("] where name.hasPrefix(prefix) && name.hasSuffix(")") {
                let inner = name.dropFirst(prefix.count).dropLast()
                let parts = inner.split(separator: ",", omittingEmptySubsequences: false)
                guard let p = Int(parts[0]), p >= 1, p <= DataType.decimalPrecisionMax else { return nil }
                let s = parts.count > 1 ? Int(parts[1]) : 0
                guard parts.count <= 2, let scale = s, scale >= 0, scale <= p else { return nil }
                self = .decimal(precision: p, scale: scale)
                return
            }
            return nil
        }
    }
}
