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
            // Writers leave NaN out of float bounds, and in Spark's order NaN equals NaN and is above every
            // other value: bounds cannot rule out a NaN row for `>`, `>=`, `<>`, or a comparison with NaN.
            if Self.isFloating(value) || s.min.map(Self.isFloating) == true || s.max.map(Self.isFloating) == true {
                if case let .double(v) = value, v.isNaN { return true }
                if op == .greater || op == .greaterOrEqual || op == .notEqual { return true }
            }
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

    private static func isFloating(_ value: Scalar) -> Bool {
        if case .double = value { return true }
        return false
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
