import Columnar

/// Spark's implicit type conversions (non-ANSI mode).
public enum TypeCoercion {
    /// The wider of two numeric types, as Spark widens operands of arithmetic and comparisons.
    public static func numericWider(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        guard a.isNumeric, b.isNumeric else { return nil }
        if a == .float64 || b == .float64 { return .float64 }
        if a == .float32 || b == .float32 { return a.isDecimal || b.isDecimal ? .float64 : .float32 }
        if case let .decimal(p1, s1) = a.asDecimal!, case let .decimal(p2, s2) = b.asDecimal! {
            if a.isDecimal || b.isDecimal { return DecimalRules.wider(p1, s1, p2, s2) }
        }
        let rank: [DataType: Int] = [.int8: 1, .int16: 2, .int32: 3, .int64: 4]
        return (rank[a] ?? 0) >= (rank[b] ?? 0) ? a : b
    }

    /// The common type of CASE branches, COALESCE arguments, IN lists and UNION columns.
    public static func wider(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if let n = numericWider(a, b) { return n }
        if (a == .date && b == .timestamp) || (a == .timestamp && b == .date) { return .timestamp }
        if a.isNested || b.isNested { return widerNested(a, b) }
        if a == .string || b == .string { return .string }
        return nil
    }

    /// The common type of two nested types of the same shape: element, value and field types
    /// widened one by one (field names from the first).
    static func widerNested(_ a: DataType, _ b: DataType) -> DataType? {
        switch (a, b) {
        case let (.array(x, _), .array(y, _)):
            return wider(x, y).map { .array(element: $0, containsNull: true) }
        case let (.map(k1, v1, _), .map(k2, v2, _)):
            guard let k = wider(k1, k2), let v = wider(v1, v2) else { return nil }
            return .map(key: k, value: v, valueContainsNull: true)
        case let (.struct(f1), .struct(f2)) where f1.count == f2.count:
            var out: [StructField] = []
            for (x, y) in zip(f1, f2) {
                guard let t = wider(x.type, y.type) else { return nil }
                out.append(StructField(x.name, t, nullable: x.nullable || y.nullable))
            }
            return .struct(out)
        default:
            return nil
        }
    }

    /// The type both sides of a comparison are cast to.
    public static func comparison(_ a: DataType, _ b: DataType) -> DataType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if let n = numericWider(a, b) { return n }
        if a.isNested || b.isNested { return a.containsMap || b.containsMap ? nil : widerNested(a, b) }
        switch (a, b) {
        case (.string, .date), (.date, .string): return .date
        case (.string, .timestamp), (.timestamp, .string), (.date, .timestamp), (.timestamp, .date): return .timestamp
        case (.string, .boolean), (.boolean, .string): return .boolean
        case (.string, let n) where n.isNumeric: return n.isDecimal ? .float64 : n
        case (let n, .string) where n.isNumeric: return n.isDecimal ? .float64 : n
        default: return nil
        }
    }

    /// The common type of a list (nil if some pair has none).
    public static func wider(_ types: [DataType]) -> DataType? {
        var out: DataType = .null
        for t in types {
            guard let w = wider(out, t) else { return nil }
            out = w
        }
        return out
    }

    /// `e` cast to `t` unless it already has that type.
    public static func cast(_ e: Expr, to t: DataType) -> Expr {
        if e.dataType == t { return e }
        if case let .literal(.null, _) = e { return .literal(.null, t) }
        return .cast(e, t)
    }

    /// The decimal type of an integer operand next to a decimal: an integer literal gets the
    /// precision of its digits (Spark's `DecimalType.fromLiteral`), other integers the
    /// precision of their type.
    public static func decimalOperandType(_ e: Expr) -> DataType? {
        if case let .literal(.int(v), t) = e, t.isInteger {
            return .decimal(precision: max(1, DecimalParsing.digitCount(Int128(v))), scale: 0)
        }
        return e.dataType.asDecimal
    }
}
