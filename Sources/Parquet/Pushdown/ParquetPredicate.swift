import Columnar

/// A filter on top-level columns that the reader can test against statistics to skip row groups and
/// pages. Evaluation is conservative: "might match" whenever statistics are missing or incomparable.
public indirect enum ParquetPredicate: Sendable {
    /// Comparison operators.
    public enum Comparison: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    }

    /// `column <op> value`; null never matches (SQL three-valued logic).
    case compare(column: String, Comparison, Scalar)
    /// `column IN (values)`.
    case isIn(column: String, [Scalar])
    /// `column IS NULL`.
    case isNull(column: String)
    /// `column IS NOT NULL`.
    case isNotNull(column: String)
    /// All of the predicates.
    case and([ParquetPredicate])
    /// Any of the predicates.
    case or([ParquetPredicate])
}

/// What statistics say about one column over a range of rows (a row group or a page).
struct ColumnSummary {
    var min: Scalar?
    var max: Scalar?
    var nullCount: Int?
    var valueCount: Int
}

extension ParquetPredicate {
    /// False only when no row summarised by `summary` can satisfy the predicate.
    func mightMatch(_ summary: (String) -> ColumnSummary?) -> Bool {
        switch self {
        case let .and(parts): return parts.allSatisfy { $0.mightMatch(summary) }
        case let .or(parts): return parts.contains { $0.mightMatch(summary) }
        case let .isNull(column):
            guard let s = summary(column), let nulls = s.nullCount else { return true }
            return nulls > 0
        case let .isNotNull(column):
            guard let s = summary(column), let nulls = s.nullCount else { return true }
            return nulls < s.valueCount
        case let .isIn(column, values):
            return values.contains { ParquetPredicate.compare(column: column, .equal, $0).mightMatch(summary) }
        case let .compare(column, op, value):
            guard let s = summary(column) else { return true }
            if let nulls = s.nullCount, nulls == s.valueCount { return false }  // only nulls: no comparison holds
            if value.isNull { return false }
            guard let low = s.min, let high = s.max,
                  let lowOrder = ScalarOrder.compare(low, value), let highOrder = ScalarOrder.compare(high, value)
            else { return true }
            switch op {
            case .equal: return lowOrder <= 0 && highOrder >= 0
            case .notEqual: return !(lowOrder == 0 && highOrder == 0)
            case .less: return lowOrder < 0
            case .lessOrEqual: return lowOrder <= 0
            case .greater: return highOrder > 0
            case .greaterOrEqual: return highOrder >= 0
            }
        }
    }

    /// The top-level column names the predicate mentions.
    var columns: Set<String> {
        switch self {
        case let .and(parts), let .or(parts): return parts.reduce(into: Set()) { $0.formUnion($1.columns) }
        case let .compare(column, _, _), let .isIn(column, _), let .isNull(column), let .isNotNull(column):
            return [column.lowercased()]
        }
    }
}

/// Ordering of scalars of compatible kinds, for statistics pruning.
enum ScalarOrder {
    /// -1, 0 or 1; nil when the two cannot be compared (then nothing is pruned).
    static func compare(_ a: Scalar, _ b: Scalar) -> Int? {
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
