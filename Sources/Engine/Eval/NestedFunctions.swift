import Columnar
import Foundation

/// Scalar functions that build, read or transform arrays, structs and maps.
///
/// Builders and accessors work on whole child vectors (one gather per call); functions that
/// must look inside each value (sort_array, array_distinct, array_contains, map lookups)
/// compare elements by their key encoding, so every element type is handled by one code path.
enum NestedFunctions {
    static func call(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                     evaluator: ExprEvaluator) throws -> ColumnVector? {
        let n = batch.rowCount
        func arg(_ i: Int) throws -> ColumnVector { try evaluator.evaluate(args[i], batch) }
        switch name {
        case "array":
            guard case let .array(e, _) = resultType else { return nil }
            return makeArray(try args.indices.map { CastKernel.cast(try arg($0), to: e) }, elementType: e, count: n, type: resultType)
        case "struct":
            guard case let .struct(fields) = resultType else { return nil }
            let cols = try args.indices.map { CastKernel.cast(try arg($0), to: fields[$0].type) }
            return ColumnVector(type: resultType, count: n, storage: .struct(cols), validity: nil)
        case "named_struct":
            guard case let .struct(fields) = resultType else { return nil }
            let cols = try fields.indices.map { CastKernel.cast(try arg(2 * $0 + 1), to: fields[$0].type) }
            return ColumnVector(type: resultType, count: n, storage: .struct(cols), validity: nil)
        case "map":
            guard case let .map(k, v, vn) = resultType else { return nil }
            let keys = try stride(from: 0, to: args.count, by: 2).map { CastKernel.cast(try arg($0), to: k) }
            let values = try stride(from: 1, to: args.count, by: 2).map { CastKernel.cast(try arg($0), to: v) }
            return try makeMap(keys, values, key: k, value: v, valueContainsNull: vn, count: n, type: resultType)
        case "__getfield":
            guard case let .literal(.string(f), _) = args[1] else { return nil }
            return getField(try arg(0), f)
        case "__subscript":
            return try subscriptValue(try arg(0), try arg(1), oneBased: false, resultType: resultType)
        case "element_at":
            return try subscriptValue(try arg(0), try arg(1), oneBased: true, resultType: resultType)
        case "size", "cardinality":
            return size(try arg(0))
        case "array_contains":
            return arrayContains(try arg(0), try arg(1))
        case "split":
            let limit = args.count > 2 ? try FunctionEvaluator.constantInt(args[2], name) : -1
            return try split(try arg(0), try arg(1), limit: limit)
        case "sort_array":
            var ascending = true
            if args.count > 1 {
                guard case let .literal(.boolean(b), _) = args[1] else {
                    throw EngineError.unsupported("the order argument of `sort_array` must be a constant boolean")
                }
                ascending = b
            }
            return sortArray(try arg(0), ascending: ascending)
        case "array_sort":
            // Ascending with nulls last (sort_array puts them first).
            guard args.count == 1 else {
                throw EngineError.unsupported("array_sort with a comparator function; sort_array or array_sort(a) sort by the natural order")
            }
            return sortArray(try arg(0), ascending: true, nullsFirst: false)
        case "array_distinct":
            return arrayDistinct(try arg(0))
        case "concat_ws":
            return concatWS(try args.indices.map(arg), count: n)
        case "aggregate", "reduce":
            return try aggregate(args, resultType: resultType, batch: batch, evaluator: evaluator)
        case "transform", "filter", "exists", "forall":
            return try higherOrder(name, args, resultType: resultType, batch: batch, evaluator: evaluator)
        case "map_keys", "map_values":
            let m = try arg(0)
            guard case let .list(offsets, entries) = m.storage, let child = entries.field(name == "map_keys" ? 0 : 1) else {
                return ColumnVector.nulls(resultType, count: n)
            }
            return ColumnVector(type: resultType, count: n, storage: .list(offsets: offsets, values: child), validity: m.validity)
        default:
            return nil
        }
    }

    // MARK: Higher-order functions

    /// Evaluates the lambda once over all elements of the batch: the elements form one column,
    /// next to the outer columns repeated for each element of their row (and the index).
    static func higherOrder(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                            evaluator: ExprEvaluator) throws -> ColumnVector? {
        guard case let .call("__lambda", parts, _) = args[1], case let .attribute(element) = parts[1] else { return nil }
        let arr = try evaluator.evaluate(args[0], batch)
        let n = batch.rowCount
        guard case let .list(offsets, values) = arr.storage else { return ColumnVector.nulls(resultType, count: n) }
        var parentOf = [Int32](repeating: 0, count: values.count)
        var position = [Int32](repeating: 0, count: values.count)
        for i in 0..<n {
            for j in Int(offsets[i])..<Int(offsets[i + 1]) {
                parentOf[j] = Int32(i)
                position[j] = Int32(j) - offsets[i]
            }
        }
        var columns = batch.columns.map { $0.take(parentOf) }
        var ordinals = evaluator.ordinals
        ordinals[element.id] = columns.count
        columns.append(values)
        if parts.count > 2, case let .attribute(index) = parts[2] {
            ordinals[index.id] = columns.count
            columns.append(ColumnVector(type: .int32, count: values.count, storage: .int32(position), validity: nil))
        }
        let elementBatch = RecordBatch(schema: Schema(columns.indices.map { Field("_\($0)", columns[$0].type) }), columns: columns,
                                       rowCount: values.count)
        let result = try ExprEvaluator(ordinals: ordinals).evaluate(parts[0], elementBatch)
        switch name {
        case "transform":
            return ColumnVector(type: resultType, count: n, storage: .list(offsets: offsets, values: result), validity: arr.validity)
        case "filter":
            let keep = LogicKernel.trueMask(result)
            var newOffsets = [Int32](repeating: 0, count: n + 1)
            var kept: [Int32] = []
            for i in 0..<n {
                for j in Int(offsets[i])..<Int(offsets[i + 1]) where keep[j] { kept.append(Int32(j)) }
                newOffsets[i + 1] = Int32(truncatingIfNeeded: kept.count)
            }
            return ColumnVector(type: resultType, count: n, storage: .list(offsets: newOffsets, values: values.take(kept)),
                                validity: arr.validity)
        default:
            // exists: true if any is true, else null if any is null, else false; forall mirrors it.
            guard case let .boolean(bits) = result.storage else { return ColumnVector.nulls(.boolean, count: n) }
            var b = ColumnBuilder(type: .boolean, capacity: n)
            for i in 0..<n {
                if arr.isNull(i) { b.appendNull(); continue }
                var sawNull = false, decided = false
                for j in Int(offsets[i])..<Int(offsets[i + 1]) {
                    if result.isNull(j) { sawNull = true; continue }
                    if bits[j] == (name == "exists") { decided = true; break }
                }
                if decided { b.appendBool(name == "exists") } else if sawNull { b.appendNull() } else { b.appendBool(name != "exists") }
            }
            return b.finish()
        }
    }

    /// `aggregate(array, zero, merge[, finish])`: the merge lambda runs once per element position
    /// over all rows that have an element there, vectorised across rows.
    static func aggregate(_ args: [Expr], resultType: DataType, batch: RecordBatch, evaluator: ExprEvaluator) throws -> ColumnVector? {
        guard case let .call("__lambda", merge, _) = args[2], merge.count == 3, case let .attribute(accParam) = merge[1],
              case let .attribute(elementParam) = merge[2] else { return nil }
        let n = batch.rowCount
        let arr = try evaluator.evaluate(args[0], batch)
        guard case let .list(offsets, values) = arr.storage else { return ColumnVector.nulls(resultType, count: n) }
        var acc = CastKernel.cast(try evaluator.evaluate(args[1], batch), to: accParam.type)
        var maxLength: Int32 = 0
        for i in 0..<n where !arr.isNull(i) { maxLength = max(maxLength, offsets[i + 1] - offsets[i]) }
        var ordinals = evaluator.ordinals
        ordinals[accParam.id] = batch.columns.count
        ordinals[elementParam.id] = batch.columns.count + 1
        let mergeEvaluator = ExprEvaluator(ordinals: ordinals)
        for k in 0..<maxLength {
            var rows: [Int32] = []
            var elements: [Int32] = []
            for i in 0..<n where !arr.isNull(i) && offsets[i + 1] - offsets[i] > k {
                rows.append(Int32(i))
                elements.append(offsets[i] + k)
            }
            let columns = batch.columns.map { $0.take(rows) } + [acc.take(rows), values.take(elements)]
            let step = RecordBatch(schema: Schema(columns.indices.map { Field("_\($0)", columns[$0].type) }), columns: columns,
                                   rowCount: rows.count)
            let merged = CastKernel.cast(try mergeEvaluator.evaluate(merge[0], step), to: accParam.type)
            // Rows with an element at k take the merged value; the others keep theirs.
            var idx = (0..<n).map { Int32($0) }
            for (r, i) in rows.enumerated() { idx[Int(i)] = Int32(n + r) }
            acc = ColumnVector.concat([acc, merged], type: accParam.type).take(idx)
        }
        // A null array gives null.
        if arr.validity != nil {
            acc = acc.take((0..<n).map { arr.isNull($0) ? -1 : Int32($0) })
        }
        guard args.count == 4, case let .call("__lambda", finish, _) = args[3], case let .attribute(finishParam) = finish[1] else {
            return acc
        }
        ordinals = evaluator.ordinals
        ordinals[finishParam.id] = batch.columns.count
        let columns = batch.columns + [acc]
        let last = RecordBatch(schema: Schema(columns.indices.map { Field("_\($0)", columns[$0].type) }), columns: columns, rowCount: n)
        let out = try ExprEvaluator(ordinals: ordinals).evaluate(finish[0], last)
        return arr.validity == nil ? out : out.take((0..<n).map { arr.isNull($0) ? -1 : Int32($0) })
    }

    // MARK: Builders

    /// `array(c0, c1, …)`: row i is [c0[i], c1[i], …]; never null.
    static func makeArray(_ cols: [ColumnVector], elementType: DataType, count n: Int, type: DataType) -> ColumnVector {
        let k = cols.count
        let offsets = (0...n).map { Int32(truncatingIfNeeded: $0 * k) }
        guard k > 0 else {
            return ColumnVector(type: type, count: n, storage: .list(offsets: offsets, values: .nulls(elementType, count: 0)),
                                validity: nil)
        }
        // concat puts argument j's row i at j*n + i; gather them row by row.
        let all = ColumnVector.concat(cols, type: elementType)
        var idx = [Int32](repeating: 0, count: n * k)
        for i in 0..<n { for j in 0..<k { idx[i * k + j] = Int32(truncatingIfNeeded: j * n + i) } }
        return ColumnVector(type: type, count: n, storage: .list(offsets: offsets, values: all.take(idx)), validity: nil)
    }

    /// `map(k0, v0, k1, v1, …)`: null keys and duplicate keys are errors, as Spark's default
    /// (`spark.sql.mapKeyDedupPolicy=EXCEPTION`).
    static func makeMap(_ keys: [ColumnVector], _ values: [ColumnVector], key: DataType, value: DataType,
                        valueContainsNull: Bool, count n: Int, type: DataType) throws -> ColumnVector {
        let entryType = DataType.mapEntry(key: key, value: value, valueContainsNull: valueContainsNull)
        let ks = makeArray(keys, elementType: key, count: n, type: .array(element: key, containsNull: true))
        let vs = makeArray(values, elementType: value, count: n, type: .array(element: value, containsNull: true))
        guard case let .list(offsets, kc) = ks.storage, case let .list(_, vc) = vs.storage else {
            return ColumnVector.nulls(type, count: n)
        }
        if kc.nullCount > 0 { throw EngineError.execution("[NULL_MAP_KEY] Cannot use null as map key.") }
        if keys.count > 1 {
            let enc = KeyEncoder.encode([kc], count: kc.count)
            for i in 0..<n {
                var seen = Set<ArraySlice<UInt8>>()
                for j in Int(offsets[i])..<Int(offsets[i + 1]) {
                    let key = enc.bytes[enc.offsets[j]..<enc.offsets[j + 1]]
                    if !seen.insert(key).inserted {
                        throw EngineError.execution("[DUPLICATED_MAP_KEY] Duplicate map key \(kc.scalar(at: j)) was found, "
                                                    + "please check the input data.")
                    }
                }
            }
        }
        let entries = ColumnVector(type: entryType, count: kc.count, storage: .struct([kc, vc]), validity: nil)
        return ColumnVector(type: type, count: n, storage: .list(offsets: offsets, values: entries), validity: nil)
    }

    // MARK: Access

    /// `s.f`: the field's child, null where the struct is; over an array of structs, the array of
    /// the field's values.
    static func getField(_ c: ColumnVector, _ name: String) -> ColumnVector? {
        let lower = name.lowercased()
        switch (c.type, c.storage) {
        case let (.struct(fields), .struct(children)):
            guard let i = fields.firstIndex(where: { $0.name.lowercased() == lower }) else { return nil }
            let child = children[i]
            return ColumnVector(type: child.type, count: c.count, storage: child.storage,
                                validity: Validity.and(c.validity, child.validity))
        case let (.array, .list(offsets, values)):
            guard let inner = getField(values, name) else { return nil }
            return ColumnVector(type: .array(element: inner.type, containsNull: true), count: c.count,
                                storage: .list(offsets: offsets, values: inner), validity: c.validity)
        case (_, .null):
            return nil
        default:
            return nil
        }
    }

    /// `a[i]` (0-based) / `element_at(a, i)` (1-based, negative counts from the end) on arrays,
    /// `m[k]` / `element_at(m, k)` on maps. Out-of-range indexes and missing keys give null.
    static func subscriptValue(_ base: ColumnVector, _ key: ColumnVector, oneBased: Bool, resultType: DataType) throws -> ColumnVector {
        let n = base.count
        guard case let .list(offsets, values) = base.storage else { return ColumnVector.nulls(resultType, count: n) }
        var pick = [Int32](repeating: -1, count: n)
        if case .map = base.type {
            guard let keys = values.field(0), let vals = values.field(1) else { return ColumnVector.nulls(resultType, count: n) }
            let probe = CastKernel.cast(key, to: keys.type)
            let ke = KeyEncoder.encode([keys], count: keys.count), pe = KeyEncoder.encode([probe], count: n)
            for i in 0..<n where !base.isNull(i) && !probe.isNull(i) {
                let p = pe.bytes[pe.offsets[i]..<pe.offsets[i + 1]]
                for j in Int(offsets[i])..<Int(offsets[i + 1]) where ke.bytes[ke.offsets[j]..<ke.offsets[j + 1]] == p {
                    pick[i] = Int32(j)
                    break
                }
            }
            return vals.take(pick)
        }
        guard case let .int32(idx) = CastKernel.cast(key, to: .int32).storage else { return ColumnVector.nulls(resultType, count: n) }
        for i in 0..<n where !base.isNull(i) && !key.isNull(i) {
            let s = Int(offsets[i]), len = Int(offsets[i + 1]) - s
            var k = Int(idx[i])
            if oneBased {
                if k == 0 {
                    throw EngineError.execution("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be either "
                                                + "< 0 or > 0 (the first element has index 1).")
                }
                k = k > 0 ? k - 1 : len + k
            }
            if k >= 0 && k < len { pick[i] = Int32(s + k) }
        }
        return values.take(pick)
    }

    /// `size(a)` / `cardinality(a)`: element (entry) count; -1 for null, as Spark's default.
    static func size(_ c: ColumnVector) -> ColumnVector {
        let n = c.count
        var out = [Int32](repeating: -1, count: n)
        if case let .list(offsets, _) = c.storage {
            for i in 0..<n where !c.isNull(i) { out[i] = offsets[i + 1] - offsets[i] }
        }
        return ColumnVector(type: .int32, count: n, storage: .int32(out), validity: nil)
    }

    /// `array_contains(a, v)`: true when found; null when `a` or `v` is null, or when not found
    /// and the array holds a null.
    static func arrayContains(_ a: ColumnVector, _ v: ColumnVector) -> ColumnVector {
        let n = a.count
        var b = ColumnBuilder(type: .boolean, capacity: n)
        guard case let .list(offsets, values) = a.storage else { return ColumnVector.nulls(.boolean, count: n) }
        let probe = CastKernel.cast(v, to: values.type)
        let ve = KeyEncoder.encode([values], count: values.count), pe = KeyEncoder.encode([probe], count: n)
        for i in 0..<n {
            if a.isNull(i) || probe.isNull(i) {
                b.appendNull()
                continue
            }
            let p = pe.bytes[pe.offsets[i]..<pe.offsets[i + 1]]
            var found = false, sawNull = false
            for j in Int(offsets[i])..<Int(offsets[i + 1]) {
                if values.isNull(j) { sawNull = true; continue }
                if ve.bytes[ve.offsets[j]..<ve.offsets[j + 1]] == p { found = true; break }
            }
            if found { b.appendBool(true) } else if sawNull { b.appendNull() } else { b.appendBool(false) }
        }
        return b.finish()
    }

    // MARK: Transforms

    /// Rebuilds an array column keeping, for row i, the child elements `rows[i]` in that order.
    static func regroup(_ a: ColumnVector, _ values: ColumnVector, _ rows: [[Int32]]) -> ColumnVector {
        var offsets = [Int32](repeating: 0, count: a.count + 1)
        var idx: [Int32] = []
        for i in 0..<a.count {
            idx.append(contentsOf: rows[i])
            offsets[i + 1] = Int32(truncatingIfNeeded: idx.count)
        }
        return ColumnVector(type: a.type, count: a.count, storage: .list(offsets: offsets, values: values.take(idx)),
                            validity: a.validity)
    }

    /// `sort_array(a[, asc])`: nulls first when ascending, last when descending.
    static func sortArray(_ a: ColumnVector, ascending: Bool, nullsFirst: Bool? = nil) -> ColumnVector {
        guard case let .list(offsets, values) = a.storage else { return a }
        let enc = KeyEncoder.encode([values], count: values.count,
                                    orders: [KeyOrder(descending: !ascending, nullsFirst: nullsFirst ?? ascending)])
        let rows = (0..<a.count).map { i -> [Int32] in
            var r = Array(offsets[i]..<offsets[i + 1])
            r.sort { x, y in
                let c = enc.bytes.withUnsafeBufferPointer { b in
                    CompareKernel.compareBytes(b, enc.offsets[Int(x)], enc.offsets[Int(x) + 1], b, enc.offsets[Int(y)], enc.offsets[Int(y) + 1])
                }
                return c < 0 || (c == 0 && x < y)
            }
            return r
        }
        return regroup(a, values, rows)
    }

    /// `array_distinct(a)`: the first occurrence of each value (one null at most), in order.
    static func arrayDistinct(_ a: ColumnVector) -> ColumnVector {
        guard case let .list(offsets, values) = a.storage else { return a }
        let enc = KeyEncoder.encode([values], count: values.count)
        let rows = (0..<a.count).map { i -> [Int32] in
            var seen = Set<ArraySlice<UInt8>>()
            var r: [Int32] = []
            for j in Int(offsets[i])..<Int(offsets[i + 1]) where seen.insert(enc.bytes[enc.offsets[j]..<enc.offsets[j + 1]]).inserted {
                r.append(Int32(j))
            }
            return r
        }
        return regroup(a, values, rows)
    }

    /// `concat_ws(sep, …)`: strings and the elements of string arrays joined by `sep`, nulls
    /// skipped; null only when `sep` is.
    static func concatWS(_ cols: [ColumnVector], count n: Int) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: n)
        guard let sep = cols.first else { return ColumnVector.nulls(.string, count: n) }
        for i in 0..<n {
            guard case let .string(s) = sep.scalar(at: i) else {
                b.appendNull()
                continue
            }
            var parts: [String] = []
            for c in cols.dropFirst() {
                switch c.scalar(at: i) {
                case let .string(x): parts.append(x)
                case let .array(xs):
                    for x in xs { if case let .string(t) = x { parts.append(t) } }
                default: break
                }
            }
            b.appendString(parts.joined(separator: s))
        }
        return b.finish()
    }

    /// `split(str, regex[, limit])` with Java's `String.split(regex, limit)` rules as Spark uses
    /// them: limit > 0 gives at most `limit` parts (the last holds the rest); otherwise all parts,
    /// trailing empty strings kept; a zero-width match at the start yields no leading empty part.
    static func split(_ c: ColumnVector, _ pattern: ColumnVector, limit: Int) throws -> ColumnVector {
        let n = c.count
        var b = ColumnBuilder(type: .array(element: .string, containsNull: true), capacity: n)
        var cache: [String: NSRegularExpression] = [:]
        for i in 0..<n {
            guard case let .string(s) = c.scalar(at: i), case let .string(p) = pattern.scalar(at: i) else {
                b.appendNull()
                continue
            }
            let parts: [String]
            if p.isEmpty {
                // Spark splits around every character for an empty pattern.
                parts = s.isEmpty ? [""] : s.map { String($0) }
            } else if let literal = literalPattern(p) {
                parts = splitLiteral(s, literal, limit: limit)
            } else {
                let re: NSRegularExpression
                if let r = cache[p] {
                    re = r
                } else {
                    do { re = try NSRegularExpression(pattern: p) } catch {
                        throw EngineError.execution("[INVALID_PARAMETER_VALUE.PATTERN] The value of parameter `regex` in "
                                                    + "`split` is invalid: '\(p)'.")
                    }
                    cache[p] = re
                }
                parts = splitRegex(s, re, limit: limit)
            }
            b.appendList { child in for x in parts { child.appendString(x) } }
        }
        return b.finish()
    }

    /// The pattern's text when it has no regex metacharacters (a fast path for `,` or `\\|`).
    static func literalPattern(_ p: String) -> String? {
        let meta: Set<Character> = [".", "$", "|", "(", ")", "[", "]", "{", "}", "^", "?", "*", "+", "\\"]
        if p.isEmpty { return nil }
        if !p.contains(where: { meta.contains($0) }) { return p }
        // A single escaped metacharacter: `\\|`, `\\.`.
        if p.count == 2, p.first == "\\", let last = p.last, meta.contains(last) { return String(last) }
        return nil
    }

    static func splitLiteral(_ s: String, _ sep: String, limit: Int) -> [String] {
        var parts: [String] = []
        var rest = Substring(s)
        while let r = rest.range(of: sep) {
            if limit > 0 && parts.count == limit - 1 { break }
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return trimTrailing(parts, limit: limit, input: s)
    }

    static func splitRegex(_ s: String, _ re: NSRegularExpression, limit: Int) -> [String] {
        let ns = s as NSString
        var parts: [String] = []
        var start = 0
        for m in re.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            if limit > 0 && parts.count == limit - 1 { break }
            let r = m.range
            // A zero-width match at the very start, or at the end, does not split.
            if r.length == 0 && (r.location == 0 || r.location >= ns.length) { continue }
            parts.append(ns.substring(with: NSRange(location: start, length: r.location - start)))
            start = r.location + r.length
        }
        parts.append(ns.substring(from: start))
        return trimTrailing(parts, limit: limit, input: s)
    }

    /// Spark turns Java's limit 0 into -1, so trailing empty strings always stay; an empty input
    /// gives one empty string.
    static func trimTrailing(_ parts: [String], limit: Int, input: String) -> [String] {
        input.isEmpty ? [""] : parts
    }
}
