import Columnar

/// The per-group state of one aggregate function.
///
/// Calls are per batch (`update`) or per partial table (`merge`); the loops inside work on
/// typed arrays.
protocol Accumulator: AnyObject {
    /// Makes room for `groups` groups.
    func resize(_ groups: Int)
    /// Folds a batch into the states of the groups `groups[i]`.
    func update(_ groups: [Int32], _ args: [ColumnVector]) throws
    /// Folds another accumulator's states in; its group `g` is this one's group `mapping[g]`.
    func merge(_ other: any Accumulator, mapping: [Int32])
    /// The final values, one per group.
    func finish(_ groups: Int) -> ColumnVector
}

/// A new empty accumulator for an aggregate call.
func makeAccumulator(_ name: String, distinct: Bool, argTypes: [DataType], resultType: DataType) throws -> any Accumulator {
    if distinct {
        if name == "collect_list" || name == "collect_set" { return CollectAccumulator(elementType: argTypes[0], distinct: true) }
        if name == "count" {
            if argTypes.count == 1 && CountDistinctIntAccumulator.handles(argTypes[0]) { return CountDistinctIntAccumulator() }
            return CountDistinctAccumulator()
        }
        guard argTypes.count == 1 else { throw EngineError.unsupported("\(name)(DISTINCT …) over several arguments") }
        // Check the inner function exists before collecting values for it.
        _ = try makeAccumulator(name, distinct: false, argTypes: argTypes, resultType: resultType)
        return DistinctAccumulator(name: name, argType: argTypes[0], resultType: resultType)
    }
    switch name {
    case "count": return CountAccumulator()
    case "sum": return SumAccumulator(input: argTypes[0], result: resultType, average: false)
    case "avg", "mean": return SumAccumulator(input: argTypes[0], result: resultType, average: true)
    case "min", "max": return MinMaxAccumulator(type: argTypes[0], max: name == "max")
    case "first", "first_value", "any_value": return FirstLastAccumulator(type: argTypes[0], last: false)
    case "last", "last_value": return FirstLastAccumulator(type: argTypes[0], last: true)
    case "stddev", "stddev_samp", "std", "stddev_pop", "variance", "var_samp", "var_pop":
        return VarianceAccumulator(function: name)
    case "bool_and", "every": return BoolAccumulator(and: true)
    case "bool_or", "some": return BoolAccumulator(and: false)
    case "collect_list": return CollectAccumulator(elementType: argTypes[0], distinct: false)
    case "collect_set": return CollectAccumulator(elementType: argTypes[0], distinct: true)
    case "corr", "covar_pop", "covar_samp": return CovarianceAccumulator(function: name)
    case "skewness", "kurtosis": return MomentsAccumulator(kurtosis: name == "kurtosis")
    case "percentile", "percentile_approx":
        return PercentileAccumulator(approximate: name == "percentile_approx", inputType: argTypes[0], resultType: resultType)
    case "max_by", "min_by": return ExtremeByAccumulator(max: name == "max_by", valueType: argTypes[0])
    case "mode": return ModeAccumulator(valueType: argTypes[0])
    case "bit_and": return BitwiseAccumulator(.and, type: argTypes[0])
    case "bit_or": return BitwiseAccumulator(.or, type: argTypes[0])
    case "bit_xor": return BitwiseAccumulator(.xor, type: argTypes[0])
    default: throw EngineError.unsupported("aggregate function `\(name)` is not implemented yet")
    }
}

/// `count(x)`: rows where every argument is non-null.
final class CountAccumulator: Accumulator {
    var counts: [Int64] = []
    func resize(_ groups: Int) { if counts.count < groups { counts += [Int64](repeating: 0, count: groups - counts.count) } }
    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        var valid: Bitmap? = nil
        for a in args {
            if case .null = a.storage { valid = Bitmap(count: groups.count, value: false) } else { valid = Validity.and(valid, a.validity) }
        }
        var local = counts
        counts = []
        local.withUnsafeMutableBufferPointer { c in
            if let v = valid {
                for i in 0..<groups.count where v[i] { c[Int(groups[i])] += 1 }
            } else {
                for g in groups { c[Int(g)] += 1 }
            }
        }
        counts = local
    }
    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? CountAccumulator else { return }
        for (g, c) in o.counts.enumerated() { counts[Int(mapping[g])] += c }
    }
    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        return ColumnVector(type: .int64, count: groups, storage: .int64(Array(counts.prefix(groups))), validity: nil)
    }
}

/// `sum(x)` and `avg(x)` over integers, floating point or decimals.
final class SumAccumulator: Accumulator {
    enum Kind { case integer, floating, decimal }
    let kind: Kind
    let input: DataType
    let result: DataType
    let average: Bool
    var ints: [Int64] = []
    var doubles: [Double] = []
    var decimals: [Int128] = []
    var overflow: [Bool] = []
    var counts: [Int64] = []

    init(input: DataType, result: DataType, average: Bool) {
        self.input = input
        self.result = result
        self.average = average
        kind = input.isDecimal ? .decimal : (input.isInteger ? .integer : .floating)
    }

    func resize(_ groups: Int) {
        let extra = groups - counts.count
        guard extra > 0 else { return }
        counts += [Int64](repeating: 0, count: extra)
        switch kind {
        case .integer: ints += [Int64](repeating: 0, count: extra)
        case .floating: doubles += [Double](repeating: 0, count: extra)
        case .decimal:
            decimals += [Int128](repeating: 0, count: extra)
            overflow += [Bool](repeating: false, count: extra)
        }
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        let a = args[0]
        if case .null = a.storage { return }
        let valid = a.validity
        let n = groups.count
        // Work on local arrays (moved out of the object, so still uniquely referenced) to keep
        // exclusivity and uniqueness checks out of the row loop.
        var c = counts
        counts = []
        defer { counts = c }
        try groups.withUnsafeBufferPointer { gs in
            try c.withUnsafeMutableBufferPointer { cs in
                func fold<T>(_ values: [T], into acc: inout [Int64], _ widen: (T) -> Int64) {
                    values.withUnsafeBufferPointer { v in
                        acc.withUnsafeMutableBufferPointer { s in
                            if let valid {
                                for i in 0..<n where valid[i] {
                                    let g = Int(gs[i])
                                    s[g] &+= widen(v[i])
                                    cs[g] &+= 1
                                }
                            } else {
                                for i in 0..<n {
                                    let g = Int(gs[i])
                                    s[g] &+= widen(v[i])
                                    cs[g] &+= 1
                                }
                            }
                        }
                    }
                }
                switch (kind, a.storage) {
                case let (.integer, .int64(v)): var acc = ints; ints = []; fold(v, into: &acc) { $0 }; ints = acc
                case let (.integer, .int32(v)): var acc = ints; ints = []; fold(v, into: &acc) { Int64($0) }; ints = acc
                case let (.integer, .int16(v)): var acc = ints; ints = []; fold(v, into: &acc) { Int64($0) }; ints = acc
                case let (.integer, .int8(v)): var acc = ints; ints = []; fold(v, into: &acc) { Int64($0) }; ints = acc
                case (.floating, .float64), (.floating, .float32):
                    let v64: [Double]
                    if case let .float64(v) = a.storage { v64 = v } else if case let .float32(v) = a.storage { v64 = v.map { Double($0) } } else { v64 = [] }
                    var acc = doubles
                    doubles = []
                    v64.withUnsafeBufferPointer { v in
                        acc.withUnsafeMutableBufferPointer { s in
                            if let valid {
                                for i in 0..<n where valid[i] {
                                    let g = Int(gs[i])
                                    s[g] += v[i]
                                    cs[g] &+= 1
                                }
                            } else {
                                for i in 0..<n {
                                    let g = Int(gs[i])
                                    s[g] += v[i]
                                    cs[g] &+= 1
                                }
                            }
                        }
                    }
                    doubles = acc
                case let (.decimal, .decimal(v)):
                    var acc = decimals
                    decimals = []
                    var over = overflow
                    overflow = []
                    v.withUnsafeBufferPointer { vs in
                        acc.withUnsafeMutableBufferPointer { d in
                            over.withUnsafeMutableBufferPointer { ov in
                                // Overflow of the 128-bit sum is remembered per group (the group's
                                // result is then null), so the loops need no early exit.
                                if let valid {
                                    for i in 0..<n where valid[i] {
                                        let g = Int(gs[i])
                                        let (sum, o) = d[g].addingReportingOverflow(vs[i])
                                        d[g] = sum
                                        ov[g] = ov[g] || o
                                        cs[g] &+= 1
                                    }
                                } else {
                                    for i in 0..<n {
                                        let g = Int(gs[i])
                                        let (sum, o) = d[g].addingReportingOverflow(vs[i])
                                        d[g] = sum
                                        ov[g] = ov[g] || o
                                        cs[g] &+= 1
                                    }
                                }
                            }
                        }
                    }
                    decimals = acc
                    overflow = over
                default:
                    throw EngineError.execution("sum/avg over a column of type \(a.type)")
                }
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? SumAccumulator else { return }
        let n = o.counts.count
        // One switch per merge, then plain loops (partial tables can hold millions of groups).
        for g in 0..<n { counts[Int(mapping[g])] += o.counts[g] }
        switch kind {
        case .integer:
            var acc = ints
            ints = []
            acc.withUnsafeMutableBufferPointer { a in
                for g in 0..<n { a[Int(mapping[g])] &+= o.ints[g] }
            }
            ints = acc
        case .floating:
            var acc = doubles
            doubles = []
            acc.withUnsafeMutableBufferPointer { a in
                for g in 0..<n { a[Int(mapping[g])] += o.doubles[g] }
            }
            doubles = acc
        case .decimal:
            var acc = decimals
            decimals = []
            var over = overflow
            overflow = []
            acc.withUnsafeMutableBufferPointer { a in
                over.withUnsafeMutableBufferPointer { ov in
                    for g in 0..<n {
                        let t = Int(mapping[g])
                        let (s, carry) = a[t].addingReportingOverflow(o.decimals[g])
                        a[t] = s
                        if carry || o.overflow[g] { ov[t] = true }
                    }
                }
            }
            decimals = acc
            overflow = over
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var valid = Bitmap(count: groups, value: true)
        for g in 0..<groups where counts[g] == 0 { valid[g] = false }
        switch kind {
        case .integer:
            if average {
                let out = (0..<groups).map { counts[$0] == 0 ? 0 : Double(ints[$0]) / Double(counts[$0]) }
                return ColumnVector(type: .float64, count: groups, storage: .float64(out), validity: valid)
            }
            return ColumnVector(type: .int64, count: groups, storage: .int64(Array(ints.prefix(groups))), validity: valid)
        case .floating:
            let out = (0..<groups).map { g in average ? (counts[g] == 0 ? 0 : doubles[g] / Double(counts[g])) : doubles[g] }
            return ColumnVector(type: .float64, count: groups, storage: .float64(out), validity: valid)
        case .decimal:
            guard case let .decimal(_, inScale) = input, case let .decimal(rp, rs) = result else {
                return ColumnVector.nulls(result, count: groups)
            }
            let limit = DecimalParsing.maxUnscaled(precision: rp)
            var out = [Int128](repeating: 0, count: groups)
            for g in 0..<groups where counts[g] > 0 {
                if overflow[g] { valid[g] = false; continue }
                var v = decimals[g]
                if average {
                    // Spark divides the sum (decimal(p+10, s)) by the count as decimal(20,0)
                    // under the division rules, then casts to the result type: two roundings.
                    guard case let .decimal(sp, _) = FunctionRegistry.sumType(input),
                          case let .decimal(_, ds) = DecimalRules.resultType(.divide, sp, inScale, 20, 0) else { continue }
                    let shift = ds - inScale
                    guard shift <= 38 else { valid[g] = false; continue }
                    let (num, o) = v.multipliedReportingOverflow(by: DecimalParsing.pow10[shift])
                    if o { valid[g] = false; continue }
                    let den = Int128(counts[g])
                    var q = num / den
                    let r = num % den
                    if r != 0 && r.magnitude * 2 >= den.magnitude { q += num < 0 ? -1 : 1 }
                    guard let rounded = DecimalParsing.rescale(q, from: ds, to: rs) else { valid[g] = false; continue }
                    v = rounded
                } else if inScale != rs {
                    v = DecimalParsing.rescale(v, from: inScale, to: rs) ?? 0
                }
                if v > limit || v < -limit { valid[g] = false; continue }
                out[g] = v
            }
            return ColumnVector(type: result, count: groups, storage: .decimal(out), validity: valid)
        }
    }
}

/// `min(x)` / `max(x)` over any orderable type, kept as encoded keys per group.
final class MinMaxAccumulator: Accumulator {
    let type: DataType
    let isMax: Bool
    var best: [[UInt8]?] = []

    init(type: DataType, max: Bool) {
        self.type = type
        isMax = max
    }

    func resize(_ groups: Int) { if best.count < groups { best += [[UInt8]?](repeating: nil, count: groups - best.count) } }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        let a = args[0]
        let keys = KeyEncoder.encode([a], count: a.count)
        keys.bytes.withUnsafeBufferPointer { b in
            for i in 0..<groups.count where !a.isNull(i) {
                let s = keys.offsets[i], e = keys.offsets[i + 1]
                offer(Int(groups[i]), UnsafeBufferPointer(rebasing: b[s..<e]))
            }
        }
    }

    private func offer(_ g: Int, _ key: UnsafeBufferPointer<UInt8>) {
        if let cur = best[g] {
            let c = cur.withUnsafeBufferPointer { CompareKernel.compareBytes(key, 0, key.count, $0, 0, $0.count) }
            if isMax ? c <= 0 : c >= 0 { return }
        }
        best[g] = Array(key)
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? MinMaxAccumulator else { return }
        for (g, v) in o.best.enumerated() {
            guard let v else { continue }
            v.withUnsafeBufferPointer { offer(Int(mapping[g]), $0) }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        // Null groups are encoded with the null marker so decoding yields null.
        var offsets = [0]
        var bytes: [UInt8] = []
        let nullKey = KeyEncoder.encode([ColumnVector.nulls(type, count: 1)], count: 1)
        for g in 0..<groups {
            bytes.append(contentsOf: best[g] ?? nullKey.bytes)
            offsets.append(bytes.count)
        }
        return KeyEncoder.decode(EncodedKeys(offsets: offsets, bytes: bytes, anyNull: nil), types: [type])[0]
    }
}

/// `first(x)` / `last(x)` in input order (null values included, as Spark's default).
final class FirstLastAccumulator: Accumulator {
    let type: DataType
    let last: Bool
    var values: [[UInt8]?] = []

    init(type: DataType, last: Bool) {
        self.type = type
        self.last = last
    }

    func resize(_ groups: Int) { if values.count < groups { values += [[UInt8]?](repeating: nil, count: groups - values.count) } }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        let keys = KeyEncoder.encode([args[0]], count: args[0].count)
        for i in 0..<groups.count {
            let g = Int(groups[i])
            if !last && values[g] != nil { continue }
            values[g] = Array(keys.bytes[keys.offsets[i]..<keys.offsets[i + 1]])
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? FirstLastAccumulator else { return }
        for (g, v) in o.values.enumerated() where v != nil {
            let t = Int(mapping[g])
            if last || values[t] == nil { values[t] = v }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var offsets = [0]
        var bytes: [UInt8] = []
        let nullKey = KeyEncoder.encode([ColumnVector.nulls(type, count: 1)], count: 1)
        for g in 0..<groups {
            bytes.append(contentsOf: values[g] ?? nullKey.bytes)
            offsets.append(bytes.count)
        }
        return KeyEncoder.decode(EncodedKeys(offsets: offsets, bytes: bytes, anyNull: nil), types: [type])[0]
    }
}

/// Variance and standard deviation (Welford's method, merged with Chan's formula).
final class VarianceAccumulator: Accumulator {
    let function: String
    var n: [Double] = []
    var mean: [Double] = []
    var m2: [Double] = []

    init(function: String) { self.function = function }

    func resize(_ groups: Int) {
        let extra = groups - n.count
        guard extra > 0 else { return }
        n += [Double](repeating: 0, count: extra)
        mean += [Double](repeating: 0, count: extra)
        m2 += [Double](repeating: 0, count: extra)
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        let a = args[0]
        guard case let .float64(v) = CastKernel.cast(a, to: .float64).storage else { return }
        for i in 0..<groups.count where !a.isNull(i) {
            let g = Int(groups[i])
            n[g] += 1
            let d = v[i] - mean[g]
            mean[g] += d / n[g]
            m2[g] += d * (v[i] - mean[g])
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? VarianceAccumulator else { return }
        for g in 0..<o.n.count where o.n[g] > 0 {
            let t = Int(mapping[g])
            let total = n[t] + o.n[g]
            let d = o.mean[g] - mean[t]
            m2[t] += o.m2[g] + d * d * n[t] * o.n[g] / total
            mean[t] += d * o.n[g] / total
            n[t] = total
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        let population = function.hasSuffix("_pop")
        let root = function.hasPrefix("std")
        var valid = Bitmap(count: groups, value: true)
        var out = [Double](repeating: 0, count: groups)
        for g in 0..<groups {
            let denom = population ? n[g] : n[g] - 1
            // Spark returns null for an empty group and for the sample variance of one value.
            if n[g] == 0 || denom <= 0 { valid[g] = false; continue }
            let v = m2[g] / denom
            out[g] = root ? v.squareRoot() : v
        }
        return ColumnVector(type: .float64, count: groups, storage: .float64(out), validity: valid)
    }
}

/// `bool_and` / `bool_or`.
final class BoolAccumulator: Accumulator {
    let isAnd: Bool
    var state: [Int8] = []  // -1 unset, 0 false, 1 true
    init(and: Bool) { isAnd = and }
    func resize(_ groups: Int) { if state.count < groups { state += [Int8](repeating: -1, count: groups - state.count) } }
    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        guard case let .boolean(bits) = args[0].storage else { return }
        for i in 0..<groups.count where !args[0].isNull(i) { combine(Int(groups[i]), bits[i] ? 1 : 0) }
    }
    private func combine(_ g: Int, _ v: Int8) {
        if state[g] < 0 { state[g] = v } else { state[g] = isAnd ? min(state[g], v) : max(state[g], v) }
    }
    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? BoolAccumulator else { return }
        for (g, v) in o.state.enumerated() where v >= 0 { combine(Int(mapping[g]), v) }
    }
    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var b = ColumnBuilder(type: .boolean, capacity: groups)
        for g in 0..<groups { if state[g] < 0 { b.appendNull() } else { b.appendBool(state[g] == 1) } }
        return b.finish()
    }
}

/// `count(DISTINCT x, …)`: a set of (group, value) keys per accumulator.
final class CountDistinctAccumulator: Accumulator {
    var seen = KeyTable()
    var counts: [Int64] = []

    func resize(_ groups: Int) { if counts.count < groups { counts += [Int64](repeating: 0, count: groups - counts.count) } }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        let n = groups.count
        let keys = KeyEncoder.encode(args, count: n)
        var buffer: [UInt8] = []
        keys.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                if let an = keys.anyNull, an[i] { continue }
                insert(groups[i], UnsafeBufferPointer(rebasing: b[keys.offsets[i]..<keys.offsets[i + 1]]), &buffer)
            }
        }
    }

    private func insert(_ g: Int32, _ key: UnsafeBufferPointer<UInt8>, _ buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: g.littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: key)
        let before = seen.count
        buffer.withUnsafeBufferPointer { p in
            _ = seen.findOrInsert(p, hash: KeyEncoder.hash(p.baseAddress!, p.count))
        }
        if seen.count > before { counts[Int(g)] += 1 }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? CountDistinctAccumulator else { return }
        var buffer: [UInt8] = []
        let keys = o.seen.keys
        keys.bytes.withUnsafeBufferPointer { b in
            for k in 0..<keys.count {
                let s = keys.offsets[k]
                var g: Int32 = 0
                withUnsafeMutableBytes(of: &g) { dst in
                    for j in 0..<4 { dst[j] = b[s + j] }
                }
                let key = UnsafeBufferPointer(rebasing: b[(s + 4)..<keys.offsets[k + 1]])
                insert(mapping[Int(Int32(littleEndian: g))], key, &buffer)
            }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        return ColumnVector(type: .int64, count: groups, storage: .int64(Array(counts.prefix(groups))), validity: nil)
    }
}
