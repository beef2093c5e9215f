import Columnar

/// Spark's decimal precision and scale rules (DecimalPrecision, with
/// `spark.sql.decimalOperations.allowPrecisionLoss = true`, the default).
public enum DecimalRules {
    /// decimal(min(p, 38), min(s, 38)).
    public static func bounded(_ p: Int, _ s: Int) -> DataType {
        .decimal(precision: min(p, DataType.decimalPrecisionMax), scale: min(s, DataType.decimalPrecisionMax))
    }

    /// Fits a result type that needs more than 38 digits by giving up scale, keeping at least
    /// 6 fractional digits (Spark's `adjustPrecisionScale`).
    public static func adjust(_ p: Int, _ s: Int) -> DataType {
        if p <= DataType.decimalPrecisionMax { return .decimal(precision: p, scale: s) }
        let intDigits = p - s
        let minScale = min(s, 6)
        let scale = max(DataType.decimalPrecisionMax - intDigits, minScale)
        return .decimal(precision: DataType.decimalPrecisionMax, scale: scale)
    }

    /// The result type of `l op r` for decimal operands.
    public static func resultType(_ op: BinaryOperator, _ p1: Int, _ s1: Int, _ p2: Int, _ s2: Int) -> DataType {
        switch op {
        case .add, .subtract:
            let s = max(s1, s2)
            return adjust(max(p1 - s1, p2 - s2) + s + 1, s)
        case .multiply:
            return adjust(p1 + p2 + 1, s1 + s2)
        case .divide:
            let s = max(6, s1 + p2 + 1)
            return adjust(p1 - s1 + s2 + s, s)
        case .remainder:
            let s = max(s1, s2)
            return adjust(min(p1 - s1, p2 - s2) + s, s)
        case .integerDivide:
            return .int64
        default:
            return .boolean
        }
    }

    /// The narrowest decimal holding both (Spark's `widerDecimalType`).
    public static func wider(_ p1: Int, _ s1: Int, _ p2: Int, _ s2: Int) -> DataType {
        let s = max(s1, s2)
        let range = max(p1 - s1, p2 - s2)
        return bounded(range + s, s)
    }
}
