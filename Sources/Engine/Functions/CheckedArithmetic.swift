import Columnar

/// Spark's `try_add`, `try_subtract` and `try_multiply` over integers: null where the answer does
/// not fit the result type. The analyzer casts both sides to that type and sends every other
/// case (decimals, doubles, dates) to the plain operator, which already answers null where these
/// functions do.
enum CheckedArithmetic {
    static let all: [String: ScalarFunction] = [
        "try_add": function(.add), "try_subtract": function(.subtract), "try_multiply": function(.multiply),
    ]

    enum Operation { case add, subtract, multiply }

    private static func function(_ operation: Operation) -> ScalarFunction {
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
                // One operation for the whole column: the switch always takes the same way.
                let (value, overflow): (Int64, Bool)
                switch operation {
                case .add: (value, overflow) = a[row].addingReportingOverflow(b[row])
                case .subtract: (value, overflow) = a[row].subtractingReportingOverflow(b[row])
                case .multiply: (value, overflow) = a[row].multipliedReportingOverflow(by: b[row])
                }
                if c.anyNull(row) || overflow || !range.contains(value) { out.appendNull() } else { out.appendInt(value) }
            }
            return out.finish()
        }
    }
}
