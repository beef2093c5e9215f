/// An exact decimal value: `unscaled × 10^-scale`.
public struct DecimalValue: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The unscaled integer.
    public var unscaled: Int128
    /// The number of digits after the point.
    public var scale: Int

    /// Creates a decimal from its unscaled integer and scale.
    public init(unscaled: Int128, scale: Int) {
        self.unscaled = unscaled
        self.scale = scale
    }

    /// Parses `-12.345`, `7`, `.5`, `1e3` into a decimal at the literal's own scale.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard let parsed = bytes.withUnsafeBufferPointer({ DecimalParsing.parse($0) }) else { return nil }
        self = parsed
    }

    /// The value with exactly `scale` fractional digits, as Spark prints decimals.
    public var description: String { DecimalParsing.format(unscaled, scale: scale) }

    /// The nearest double.
    public var doubleValue: Double { Double(unscaled) / DecimalParsing.pow10Double(scale) }

    /// Compares numerically, whatever the scales.
    public static func < (a: DecimalValue, b: DecimalValue) -> Bool {
        let s = max(a.scale, b.scale)
        guard let x = DecimalParsing.rescale(a.unscaled, from: a.scale, to: s),
              let y = DecimalParsing.rescale(b.unscaled, from: b.scale, to: s)
        else { return a.doubleValue < b.doubleValue }
        return x < y
    }
}

/// One value of any type: literals, rows returned by `collect()`, constant folding.
///
/// Integers of every width are `.int`; `float` and `double` are `.double`. Hot paths never use
/// scalars; they work on `ColumnVector` buffers.
public enum Scalar: Hashable, Sendable, CustomStringConvertible {
    /// SQL NULL.
    case null
    /// A boolean.
    case boolean(Bool)
    /// An integer of any width.
    case int(Int64)
    /// A floating point value.
    case double(Double)
    /// An exact decimal.
    case decimal(DecimalValue)
    /// A string.
    case string(String)
    /// Raw bytes.
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01T00:00:00Z.
    case timestamp(Int64)
    /// An array's elements.
    case array([Scalar])
    /// A struct's field values, in field order (names live in the type).
    case `struct`([Scalar])
    /// A map's entries as parallel key and value lists, in entry order.
    case map(keys: [Scalar], values: [Scalar])

    /// True for `.null`.
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The value as Spark's `show()` and `CAST(… AS STRING)` print it (timestamps in UTC):
    /// arrays `[1, 2]`, structs `{1, x}`, maps `{a -> 1}`, nulls inside them as `null`.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case let .boolean(b): return b ? "true" : "false"
        case let .int(v): return String(v)
        case let .double(v): return DoubleFormatting.spark(v)
        case let .decimal(d): return d.description
        case let .string(s): return s
        case let .binary(b): return "[" + b.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ") + "]"
        case let .date(d): return DateTimeUtil.formatDate(d)
        case let .timestamp(t): return DateTimeUtil.formatTimestamp(t)
        case let .array(xs): return "[" + xs.map(\.nestedText).joined(separator: ", ") + "]"
        case let .struct(xs): return "{" + xs.map(\.nestedText).joined(separator: ", ") + "}"
        case let .map(ks, vs): return "{" + zip(ks, vs).map { "\($0.nestedText) -> \($1.nestedText)" }.joined(separator: ", ") + "}"
        }
    }

    /// A value inside an array, struct or map: as `description`, but null is `null` as Spark writes it.
    var nestedText: String { isNull ? "null" : description }

    /// The value as Spark prints a value of `type`: as `description`, except that `float` values
    /// (held as doubles) print with a float's shortest digits, at any depth of nesting.
    public func text(as type: DataType) -> String {
        switch (self, type) {
        case let (.double(v), .float32): return DoubleFormatting.spark(Float(v))
        case let (.array(xs), .array(element, _)) where type.holdsFloat32:
            return "[" + xs.map { $0.nestedText(as: element) }.joined(separator: ", ") + "]"
        case let (.struct(xs), .struct(fields)) where type.holdsFloat32 && xs.count == fields.count:
            return "{" + zip(xs, fields).map { $0.nestedText(as: $1.type) }.joined(separator: ", ") + "}"
        case let (.map(ks, vs), .map(keyType, valueType, _)) where type.holdsFloat32:
            return "{" + zip(ks, vs).map { "\($0.nestedText(as: keyType)) -> \($1.nestedText(as: valueType))" }
                .joined(separator: ", ") + "}"
        default: return description
        }
    }

    private func nestedText(as type: DataType) -> String { isNull ? "null" : text(as: type) }
}

extension DataType {
    /// True when `float` values occur in the type, at any depth.
    var holdsFloat32: Bool {
        switch self {
        case .float32: return true
        case let .array(element, _): return element.holdsFloat32
        case let .struct(fields): return fields.contains { $0.type.holdsFloat32 }
        case let .map(key, value, _): return key.holdsFloat32 || value.holdsFloat32
        default: return false
        }
    }
}

