import Columnar

/// Spark's array functions that add, drop or combine elements, evaluated value by value:
/// `array_append`, `array_prepend`, `array_insert`, `array_compact`, `array_union`,
/// `array_intersect`, `array_except`, `arrays_overlap`, `array_size`, `map_from_arrays`.
///
/// The set functions keep each distinct element once, in order of first appearance, as Spark's do.
enum ArraySetFunctions {
    static let names: Set<String> = ["array_append", "array_prepend", "array_insert", "array_compact", "array_union",
                                     "array_intersect", "array_except", "arrays_overlap", "array_size", "map_from_arrays"]

    static func call(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                     evaluator: ExprEvaluator) throws -> ColumnVector? {
        guard names.contains(name) else { return nil }
        let columns = try args.map { try evaluator.evaluate($0, batch) }
        var out = ColumnBuilder(type: resultType, capacity: batch.rowCount)
        for row in 0..<batch.rowCount {
            out.append(try value(name, columns.map { $0.scalar(at: row) }))
        }
        return out.finish()
    }

    static func value(_ name: String, _ v: [Scalar]) throws -> Scalar {
        switch name {
        case "array_append", "array_prepend":
            // A null element is added; a null array gives null.
            guard case let .array(xs) = v[0] else { return .null }
            return .array(name == "array_append" ? xs + [v[1]] : [v[1]] + xs)
        case "array_insert":
            return try insert(v)
        case "array_compact":
            guard case let .array(xs) = v[0] else { return .null }
            return .array(xs.filter { !$0.isNull })
        case "array_size":
            guard case let .array(xs) = v[0] else { return .null }
            return .int(Int64(xs.count))
        case "array_union", "array_intersect", "array_except":
            guard case let .array(a) = v[0], case let .array(b) = v[1] else { return .null }
            var seen = Set<Scalar>()
            switch name {
            case "array_union": return .array((a + b).filter { seen.insert(setKey($0)).inserted })
            case "array_intersect":
                let other = Set(b.map(setKey))
                return .array(a.filter { other.contains(setKey($0)) && seen.insert(setKey($0)).inserted })
            default:
                let other = Set(b.map(setKey))
                return .array(a.filter { !other.contains(setKey($0)) && seen.insert(setKey($0)).inserted })
            }
        case "arrays_overlap":
            // True on a shared non-null element; otherwise null when both are non-empty and either
            // holds a null (the null might have matched), else false.
            guard case let .array(a) = v[0], case let .array(b) = v[1] else { return .null }
            let other = Set(b.filter { !$0.isNull }.map(setKey))
            if a.contains(where: { !$0.isNull && other.contains(setKey($0)) }) { return .boolean(true) }
            if !a.isEmpty && !b.isEmpty && (a.contains(where: \.isNull) || b.contains(where: \.isNull)) { return .null }
            return .boolean(false)
        case "map_from_arrays":
            return try mapFromArrays(v)
        default:
            return .null
        }
    }

    /// The value as these functions compare it: Spark takes NaN as equal to itself and -0.0 as
    /// 0.0. (NaN becomes a string no double position can hold otherwise: element types are fixed.)
    static func setKey(_ v: Scalar) -> Scalar {
        switch v {
        case let .double(d): return d.isNaN ? .string("\u{0}NaN") : (d == 0 ? .double(0) : v)
        case let .array(xs): return .array(xs.map(setKey))
        case let .struct(xs): return .struct(xs.map(setKey))
        case let .map(keys, values): return .map(keys: keys.map(setKey), values: values.map(setKey))
        default: return v
        }
    }

    /// `array_insert(a, pos, x)`: `x` at 1-based `pos` (from the end when negative, -1 being after the
    /// last element); positions past the end pad with nulls, as in Spark.
    private static func insert(_ v: [Scalar]) throws -> Scalar {
        guard case let .array(xs) = v[0], case let .int(pos) = v[1] else { return .null }
        guard pos != 0 else {
            throw EngineError.execution("[INVALID_INDEX_OF_ZERO] array_insert: the index 0 is invalid; indices start at 1 or -1")
        }
        let reach = pos.magnitude
        guard reach <= UInt64(ArrayFunctions.generatedElementsMax) else {
            throw EngineError.limitExceeded("array_insert at position \(pos) (at most \(ArrayFunctions.generatedElementsMax) elements)")
        }
        var out = xs
        if pos > 0 {
            let at = Int(pos) - 1
            if at > out.count { out += [Scalar](repeating: .null, count: at - out.count) }
            out.insert(v[2], at: at)
        } else {
            // -1 appends; -k inserts before the last k - 1 elements, padding at the front when short.
            let fromEnd = Int(reach) - 1
            if fromEnd > out.count {
                out = [v[2]] + [Scalar](repeating: .null, count: fromEnd - out.count) + out
            } else {
                out.insert(v[2], at: out.count - fromEnd)
            }
        }
        return .array(out)
    }

    /// `map_from_arrays(keys, values)`: pairs the elements; an error for arrays of different
    /// lengths, a null key or a repeated key (Spark's default map key policy).
    private static func mapFromArrays(_ v: [Scalar]) throws -> Scalar {
        guard case let .array(keys) = v[0], case let .array(values) = v[1] else { return .null }
        guard keys.count == values.count else {
            throw EngineError.execution("map_from_arrays: the key array has \(keys.count) elements and the value array \(values.count)")
        }
        var seen = Set<Scalar>()
        for k in keys {
            if k.isNull { throw EngineError.execution("[NULL_MAP_KEY] Cannot use null as map key.") }
            guard seen.insert(setKey(k)).inserted else {
                throw EngineError.execution("[DUPLICATED_MAP_KEY] Duplicate map key \(k) was found.")
            }
        }
        return .map(keys: keys, values: values)
    }
}
