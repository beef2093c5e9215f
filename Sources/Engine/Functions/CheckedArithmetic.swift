import Columnar

/// Spark's `try_add`, `try_subtract` and `try_multiply` over integers: null where the answer does
/// not fit the result type. The analyzer casts both sides to that type and sends every other
/// case (decimals, doubles, dates) to the plain operator, which already answers null where these
/// functions do.
enum CheckedArithmetic {
    static let all: [String: ScalarFunction] = [
        "try_add": function { $0.addingReportingOverflow($1) },
        "try_subtract": function { $0.subtractingReportingOverflow($1) },
        "try_multiply": function { $0.multipliedReportingOverflow(by: $1) },
    ]

    private static func function(_ op: @escaping @Sendable (Int64, Int64) -> (partialValue: Int64, overflow: Bool)) -> ScalarFunction {
        ScalarFunction(2...2, [nil, nil], returning: { $0.first ?? .int64 }) { c in
            let a = c.ints(0), b = c.ints(1)
            let range: ClosedRange<Int64>
            switch c.resultType {
            case .int8: range = Int64(Int8.min)...Int64(Int8.max)
            case .int16: range = Int64(Int16.min)...Int64(Int16.max)
            case .int32: range = Int64(Int32.min)...Int64(Int32.max)
            default: range = Int64.min...Int64.max
            }
            var out = ColumnBuilder(type: c.resultType, capacity: c.rowCount)
            for row in 0..<c.rowCount {
                let (value, overflow) = op(a[row], b[row])
                if c.anyNull(row) || overflow || !range.contains(value) { out.appendNull() } else { out.appendInt(value) }
            }
            return out.finish()
        }
    }
}
