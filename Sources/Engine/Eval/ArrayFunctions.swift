import Columnar

/// More array functions, evaluated value by value (arrays are short in practice): `concat` of
/// arrays, `array_join`, `array_max`, `array_min`, `flatten`, `slice`, `array_position`,
/// `array_remove`, `array_repeat`, `sequence`.
enum ArrayFunctions {
    /// The most elements `sequence` and `array_repeat` may build for one value.
    static let generatedElementsMax = 10_000_000

    static func call(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                     evaluator: ExprEvaluator) throws -> ColumnVector? {
        let n = batch.rowCount
        guard ["__concat_arrays", "array_join", "array_max", "array_min", "flatten", "slice", "array_position",
               "array_remove", "array_repeat", "sequence"].contains(name) else { return nil }
        let cols = try args.map { try evaluator.evaluate($0, batch) }
        var b = ColumnBuilder(type: resultType, capacity: n)
        for i in 0..<n {
            let v = cols.map { $0.scalar(at: i) }
            b.append(try row(name, v, resultType))
        }
        return b.finish()
    }

    static func elements(_ v: Scalar) -> [Scalar]? {
        if case let .array(xs) = v { return xs }
        return nil
    }

    static func int(_ v: Scalar) -> Int64? {
        if case let .int(x) = v { return x }
        return nil
    }

    /// Spark's order of two non-null values of one type (for array_max / array_min).
    static func less(_ a: Scalar, _ b: Scalar) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): return x < y
        case let (.double(x), .double(y)): return x.isNaN ? false : (y.isNaN ? true : x < y)
        case let (.decimal(x), .decimal(y)): return x < y
        case let (.string(x), .string(y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case let (.date(x), .date(y)): return x < y
        case let (.timestamp(x), .timestamp(y)): return x < y
        case let (.boolean(x), .boolean(y)): return !x && y
        default: return a.description < b.description
        }
    }

    static func row(_ name: String, _ v: [Scalar], _ resultType: DataType) throws -> Scalar {
        switch name {
        case "__concat_arrays":
            var out: [Scalar] = []
            for x in v {
                guard let xs = elements(x) else { return .null }
                out += xs
            }
            return .array(out)
        case "array_join":
            guard let xs = elements(v[0]), case let .string(sep) = v[1] else { return .null }
            var replacement: String? = nil
            if v.count > 2 {
                guard case let .string(r) = v[2] else { return .null }
                replacement = r
            }
            let parts = xs.compactMap { x -> String? in x.isNull ? replacement : x.description }
            return .string(parts.joined(separator: sep))
        case "array_max", "array_min":
            guard let xs = elements(v[0]) else { return .null }
            var best: Scalar = .null
            for x in xs where !x.isNull {
                if best.isNull || (name == "array_max" ? less(best, x) : less(x, best)) { best = x }
            }
            return best
        case "flatten":
            guard let xs = elements(v[0]) else { return .null }
            var out: [Scalar] = []
            for x in xs {
                guard let inner = elements(x) else { return .null }
                out += inner
            }
            return .array(out)
        case "slice":
            guard let xs = elements(v[0]), let start = int(v[1]), let length = int(v[2]) else { return .null }
            if start == 0 {
                throw EngineError.execution("[INVALID_PARAMETER_VALUE.START] The value of parameter `start` in `slice` is "
                                            + "invalid: Expects a positive or a negative value for `start`, but got 0.")
            }
            if length < 0 {
                throw EngineError.execution("[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter `length` in `slice` is "
                                            + "invalid: Expects `length` greater than or equal to 0, but got \(length).")
            }
            let from = start > 0 ? Int(start) - 1 : xs.count + Int(start)
            if from < 0 || from >= xs.count { return .array([]) }
            let to = length >= Int64(xs.count - from) ? xs.count : from + Int(length)
            return .array(Array(xs[from..<to]))
        case "array_position":
            guard let xs = elements(v[0]), !v[1].isNull else { return .null }
            return .int(Int64((xs.firstIndex(of: v[1]) ?? -1) + 1))
        case "array_remove":
            guard let xs = elements(v[0]) else { return .null }
            if v[1].isNull { return .null }
            return .array(xs.filter { $0 != v[1] })
        case "array_repeat":
            guard let count = int(v[1]) else { return .null }
            guard count <= generatedElementsMax else {
                throw EngineError.limitExceeded("array_repeat of \(count) elements (at most \(generatedElementsMax))")
            }
            return .array([Scalar](repeating: v[0], count: Int(max(0, count))))
        case "sequence":
            guard let start = int(v[0]), let stop = int(v[1]) else { return .null }
            let step = v.count > 2 ? (int(v[2]) ?? 0) : (start <= stop ? 1 : -1)
            guard step != 0, (stop >= start) == (step > 0) || start == stop else {
                throw EngineError.execution("[ILLEGAL_SEQUENCE_BOUNDS] sequence boundaries \(start) to \(stop) by step \(step) "
                                            + "go the wrong way.")
            }
            let (span, overflow) = stop.subtractingReportingOverflow(start)
            let (count, tooMany) = overflow ? (Int64.max, true) : (span / step).addingReportingOverflow(1)
            guard !tooMany else {
                throw EngineError.limitExceeded("sequence from \(start) to \(stop) (at most \(generatedElementsMax) elements)")
            }
            guard count <= generatedElementsMax else {
                throw EngineError.limitExceeded("sequence of \(count) elements (at most \(generatedElementsMax))")
            }
            return .array((0..<count).map { .int(start + $0 * step) })
        default:
            return .null
        }
    }
}
