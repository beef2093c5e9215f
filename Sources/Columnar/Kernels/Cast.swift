/// Vectorised casts with Spark's non-ANSI semantics: text that does not parse, and numbers
/// that do not fit a decimal, become null.
public enum CastKernel {
    /// `CAST(c AS type)`.
    public static func cast(_ c: ColumnVector, to type: DataType) -> ColumnVector {
        if c.type == type { return c }
        let n = c.count
        if case .null = c.storage { return ColumnVector.nulls(type, count: n) }
        if type == .string { return toText(c) }
        if c.type.isNested || type.isNested { return castNested(c, to: type) }
        if case let .bytes(offsets, data) = c.storage, c.type == .string || c.type == .binary {
            return fromText(offsets, data, n, c.validity, type)
        }
        var validity = c.validity
        switch type {
        case .int8, .int16, .int32, .int64:
            guard let ints = integers(c, &validity) else { break }
            let storage: ColumnStorage
            switch type {
            case .int8: storage = .int8(ints.map { Int8(truncatingIfNeeded: $0) })
            case .int16: storage = .int16(ints.map { Int16(truncatingIfNeeded: $0) })
            case .int32: storage = .int32(ints.map { Int32(truncatingIfNeeded: $0) })
            default: storage = .int64(ints)
            }
            return ColumnVector(type: type, count: n, storage: storage, validity: validity)
        case .float64, .float32:
            guard let ds = doubles(c) else { break }
            let storage: ColumnStorage = type == .float64 ? .float64(ds) : .float32(ds.map { Float($0) })
            return ColumnVector(type: type, count: n, storage: storage, validity: validity)
        case let .decimal(p, s):
            guard let ds = decimals(c, p, s, &validity) else { break }
            return ColumnVector(type: type, count: n, storage: .decimal(ds), validity: validity)
        case .date:
            if case let .int64(ts) = c.storage, c.type == .timestamp {
                let days = ts.map { v -> Int32 in
                    let d = v >= 0 ? v / DateTimeUtil.microsPerDay : (v - DateTimeUtil.microsPerDay + 1) / DateTimeUtil.microsPerDay
                    return Int32(truncatingIfNeeded: d)
                }
                return ColumnVector(type: .date, count: n, storage: .int32(days), validity: validity)
            }
        case .timestamp:
            if case let .int32(days) = c.storage, c.type == .date {
                return ColumnVector(type: .timestamp, count: n,
                                    storage: .int64(days.map { Int64($0) * DateTimeUtil.microsPerDay }), validity: validity)
            }
            if let ints = integers(c, &validity), c.type.isInteger {
                // Spark reads numbers cast to timestamp as seconds since the epoch.
                return ColumnVector(type: .timestamp, count: n, storage: .int64(ints.map { $0 &* 1_000_000 }), validity: validity)
            }
        case .boolean:
            if let ds = doubles(c) {
                let bits = makeBitmap(count: n) { ds[$0] != 0 }
                return ColumnVector(type: .boolean, count: n, storage: .boolean(bits), validity: validity)
            }
        default: break
        }
        return ColumnVector.nulls(type, count: n)
    }

    /// Casts between nested types of the same shape, child by child (array → array, map → map,
    /// struct → struct by position); any other cast involving a nested type gives nulls (the
    /// analyzer rejects those before execution).
    static func castNested(_ c: ColumnVector, to type: DataType) -> ColumnVector {
        let n = c.count
        switch (c.storage, type) {
        case let (.list(offsets, values), .array(e, _)) where c.type.elementType != nil:
            return ColumnVector(type: type, count: n, storage: .list(offsets: offsets, values: cast(values, to: e)),
                                validity: c.validity)
        case let (.list(offsets, values), .map(k, v, vn)):
            if case .map = c.type {
                let entry = DataType.mapEntry(key: k, value: v, valueContainsNull: vn)
                return ColumnVector(type: type, count: n, storage: .list(offsets: offsets, values: cast(values, to: entry)),
                                    validity: c.validity)
            }
        case let (.struct(children), .struct(fields)) where children.count == fields.count:
            let cast = zip(children, fields).map { CastKernel.cast($0, to: $1.type) }
            return ColumnVector(type: type, count: n, storage: .struct(cast), validity: c.validity)
        default: break
        }
        return ColumnVector.nulls(type, count: n)
    }

    /// True when Spark allows casting `from` to `to` where a nested type is involved.
    public static func canCastNested(_ from: DataType, _ to: DataType) -> Bool {
        switch (from, to) {
        case (.null, _): return true
        case (_, .string): return true
        case let (.array(a, _), .array(b, _)): return a == b || !a.isNested && !b.isNested || canCastNested(a, b)
        case let (.map(k1, v1, _), .map(k2, v2, _)):
            return (k1 == k2 || canCastNested(k1, k2) || !k1.isNested && !k2.isNested)
                && (v1 == v2 || canCastNested(v1, v2) || !v1.isNested && !v2.isNested)
        case let (.struct(f1), .struct(f2)):
            return f1.count == f2.count && zip(f1, f2).allSatisfy { a, b in
                a.type == b.type || canCastNested(a.type, b.type) || !a.type.isNested && !b.type.isNested
            }
        default: return false
        }
    }

    /// Integer values of a numeric or boolean column (fractions truncated toward zero).
    static func integers(_ c: ColumnVector, _ validity: inout Bitmap?) -> [Int64]? {
        switch c.storage {
        case let .int8(v): return v.map { Int64($0) }
        case let .int16(v): return v.map { Int64($0) }
        case let .int32(v): return v.map { Int64($0) }
        case let .int64(v): return v
        case let .float32(v): return v.map { d in d.isNaN ? 0 : Int64(max(min(Double(d), 9.2e18), -9.2e18)) }
        case let .float64(v): return v.map { d in d.isNaN ? 0 : Int64(max(min(d, 9.2e18), -9.2e18)) }
        case let .decimal(v):
            guard case let .decimal(_, s) = c.type else { return nil }
            let p = DecimalParsing.pow10[s]
            return v.map { Int64(truncatingIfNeeded: $0 / p) }
        case let .boolean(bits): return (0..<c.count).map { bits[$0] ? 1 : 0 }
        default: return nil
        }
    }

    /// Double values of a numeric or boolean column.
    static func doubles(_ c: ColumnVector) -> [Double]? {
        switch c.storage {
        case let .int8(v): return v.map { Double($0) }
        case let .int16(v): return v.map { Double($0) }
        case let .int32(v): return v.map { Double($0) }
        case let .int64(v): return v.map { Double($0) }
        case let .float32(v): return v.map { Double($0) }
        case let .float64(v): return v
        case let .decimal(v):
            guard case let .decimal(_, s) = c.type else { return nil }
            if s == 0 { return v.map { Double($0) } }
            // Dividing by an exact power of ten keeps the result correctly rounded for values
            // below 2^53, which covers decimals as they occur in practice.
            let p = DecimalParsing.pow10Double(s)
            return v.map { Double($0) / p }
        case let .boolean(bits): return (0..<c.count).map { bits[$0] ? 1 : 0 }
        default: return nil
        }
    }

    static func decimals(_ c: ColumnVector, _ p: Int, _ s: Int, _ validity: inout Bitmap?) -> [Int128]? {
        let n = c.count
        let limit = DecimalParsing.maxUnscaled(precision: p)
        var out = [Int128](repeating: 0, count: n)
        func fail(_ i: Int) { ArithmeticKernel.setNull(&validity, i, n) }
        switch c.storage {
        case .int8, .int16, .int32, .int64, .boolean:
            var ignored: Bitmap? = nil
            guard let ints = integers(c, &ignored) else { return nil }
            let scale = DecimalParsing.pow10[s]
            for i in 0..<n {
                let (v, o) = Int128(ints[i]).multipliedReportingOverflow(by: scale)
                if o || v > limit || v < -limit { fail(i) } else { out[i] = v }
            }
        case let .decimal(v):
            guard case let .decimal(_, from) = c.type else { return nil }
            for i in 0..<n {
                if let r = DecimalParsing.rescale(v[i], from: from, to: s), r <= limit, r >= -limit { out[i] = r } else { fail(i) }
            }
        case .float32, .float64:
            guard let ds = doubles(c) else { return nil }
            for i in 0..<n {
                let d = ds[i]
                guard d.isFinite else { fail(i); continue }
                // Java's BigDecimal.valueOf(double) goes through the shortest decimal text.
                let text = Array("\(d)".utf8)
                let r = text.withUnsafeBufferPointer { TextParsing.parseDecimal($0, precision: p, scale: s) }
                if let r { out[i] = r } else { fail(i) }
            }
        default:
            return nil
        }
        return out
    }

    static func fromText(_ offsets: [Int32], _ data: [UInt8], _ n: Int, _ validity: Bitmap?, _ type: DataType) -> ColumnVector {
        var valid = validity ?? Bitmap(count: n, value: true)
        func each<T>(_ zero: T, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> [T] {
            var out = [T](repeating: zero, count: n)
            data.withUnsafeBufferPointer { d in
                for i in 0..<n where valid[i] {
                    let s = Int(offsets[i]), e = Int(offsets[i + 1])
                    let slice = UnsafeBufferPointer(rebasing: d[s..<e])
                    if let v = parse(slice) { out[i] = v } else { valid[i] = false }
                }
            }
            return out
        }
        let storage: ColumnStorage
        switch type {
        case .boolean:
            let vals = each(false, TextParsing.parseBool)
            storage = .boolean(Bitmap(vals))
        case .int8, .int16, .int32, .int64:
            let vals = each(Int64(0)) { b in
                TextParsing.parseInt64(b) ?? DecimalParsing.parse(b).flatMap { d in
                    Int64(exactly: d.unscaled / DecimalParsing.pow10[d.scale])
                }
            }
            switch type {
            case .int8: storage = .int8(vals.map { Int8(truncatingIfNeeded: $0) })
            case .int16: storage = .int16(vals.map { Int16(truncatingIfNeeded: $0) })
            case .int32: storage = .int32(vals.map { Int32(truncatingIfNeeded: $0) })
            default: storage = .int64(vals)
            }
        case .float32: storage = .float32(each(Double(0), TextParsing.parseDouble).map { Float($0) })
        case .float64: storage = .float64(each(Double(0), TextParsing.parseDouble))
        case let .decimal(p, s): storage = .decimal(each(Int128(0)) { TextParsing.parseDecimal($0, precision: p, scale: s) })
        case .date: storage = .int32(each(Int32(0), DateTimeUtil.parseDate))
        case .timestamp: storage = .int64(each(Int64(0), DateTimeUtil.parseTimestamp))
        case .binary, .string: storage = .bytes(offsets: offsets, data: data)
        case .null: return ColumnVector.nulls(.null, count: n)
        case .array, .struct, .map: return ColumnVector.nulls(type, count: n)
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: valid)
    }

    /// Formats every value as Spark prints it.
    static func toText(_ c: ColumnVector) -> ColumnVector {
        if case let .bytes(offsets, data) = c.storage {
            return ColumnVector(type: .string, count: c.count, storage: .bytes(offsets: offsets, data: data), validity: c.validity)
        }
        var b = ColumnBuilder(type: .string, capacity: c.count)
        for i in 0..<c.count {
            if c.isNull(i) { b.appendNull() } else { b.appendString(c.scalar(at: i).text(as: c.type)) }
        }
        return b.finish()
    }
}
