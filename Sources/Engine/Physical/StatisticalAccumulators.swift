import Columnar

/// `corr`, `covar_pop` and `covar_samp` over the rows where both arguments are non-null, kept as
/// running co-moments so partial states merge exactly (Spark's formulas; null where Spark's are).
final class CovarianceAccumulator: Accumulator {
    let function: String
    var n: [Double] = [], meanX: [Double] = [], meanY: [Double] = []
    var ck: [Double] = [], m2x: [Double] = [], m2y: [Double] = []

    init(function: String) { self.function = function }

    func resize(_ groups: Int) {
        let extra = groups - n.count
        guard extra > 0 else { return }
        let zeros = [Double](repeating: 0, count: extra)
        n += zeros; meanX += zeros; meanY += zeros; ck += zeros; m2x += zeros; m2y += zeros
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        guard case let .float64(x) = CastKernel.cast(args[0], to: .float64).storage,
              case let .float64(y) = CastKernel.cast(args[1], to: .float64).storage else { return }
        for i in 0..<groups.count where !args[0].isNull(i) && !args[1].isNull(i) {
            let g = Int(groups[i])
            n[g] += 1
            let dx = x[i] - meanX[g], dy = y[i] - meanY[g]
            meanX[g] += dx / n[g]
            meanY[g] += dy / n[g]
            ck[g] += dx * (y[i] - meanY[g])
            m2x[g] += dx * (x[i] - meanX[g])
            m2y[g] += dy * (y[i] - meanY[g])
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? CovarianceAccumulator else { return }
        for g in 0..<o.n.count where o.n[g] > 0 {
            let t = Int(mapping[g])
            let total = n[t] + o.n[g]
            let dx = o.meanX[g] - meanX[t], dy = o.meanY[g] - meanY[t]
            let w = n[t] * o.n[g] / total
            ck[t] += o.ck[g] + dx * dy * w
            m2x[t] += o.m2x[g] + dx * dx * w
            m2y[t] += o.m2y[g] + dy * dy * w
            meanX[t] += dx * o.n[g] / total
            meanY[t] += dy * o.n[g] / total
            n[t] = total
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: .float64, capacity: groups)
        for g in 0..<groups {
            switch function {
            case "corr":
                if n[g] <= 1 { out.appendNull() } else { out.appendDouble(ck[g] / (m2x[g] * m2y[g]).squareRoot()) }
            case "covar_samp":
                if n[g] <= 1 { out.appendNull() } else { out.appendDouble(ck[g] / (n[g] - 1)) }
            default:
                if n[g] == 0 { out.appendNull() } else { out.appendDouble(ck[g] / n[g]) }
            }
        }
        return out.finish()
    }
}

/// `skewness` and `kurtosis` (excess) from running central moments, merged with Pébay's formulas;
/// null for an empty group or one without spread, as in Spark.
final class MomentsAccumulator: Accumulator {
    let kurtosis: Bool
    var n: [Double] = [], mean: [Double] = [], m2: [Double] = [], m3: [Double] = [], m4: [Double] = []

    init(kurtosis: Bool) { self.kurtosis = kurtosis }

    func resize(_ groups: Int) {
        let extra = groups - n.count
        guard extra > 0 else { return }
        let zeros = [Double](repeating: 0, count: extra)
        n += zeros; mean += zeros; m2 += zeros; m3 += zeros; m4 += zeros
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        guard case let .float64(x) = CastKernel.cast(args[0], to: .float64).storage else { return }
        for i in 0..<groups.count where !args[0].isNull(i) {
            let g = Int(groups[i])
            // Spark's update, in its order of operations, so that answers agree to the last digit.
            n[g] += 1
            let delta = x[i] - mean[g], deltaN = delta / n[g]
            mean[g] += deltaN
            let newM2 = m2[g] + delta * (delta - deltaN)
            let delta2 = delta * delta, deltaN2 = deltaN * deltaN
            let newM3 = m3[g] - 3 * deltaN * newM2 + delta * (delta2 - deltaN2)
            m4[g] = m4[g] - 4 * deltaN * newM3 - 6 * deltaN2 * newM2 + delta * (delta * delta2 - deltaN * deltaN2)
            m3[g] = newM3
            m2[g] = newM2
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? MomentsAccumulator else { return }
        for g in 0..<o.n.count where o.n[g] > 0 {
            let t = Int(mapping[g])
            let na = n[t], nb = o.n[g], total = na + nb
            let d = o.mean[g] - mean[t], d2 = d * d, d3 = d2 * d, d4 = d2 * d2
            let newM4 = m4[t] + o.m4[g] + d4 * na * nb * (na * na - na * nb + nb * nb) / (total * total * total)
                + 6 * d2 * (na * na * o.m2[g] + nb * nb * m2[t]) / (total * total)
                + 4 * d * (na * o.m3[g] - nb * m3[t]) / total
            let newM3 = m3[t] + o.m3[g] + d3 * na * nb * (na - nb) / (total * total)
                + 3 * d * (na * o.m2[g] - nb * m2[t]) / total
            m2[t] += o.m2[g] + d2 * na * nb / total
            m3[t] = newM3
            m4[t] = newM4
            mean[t] += d * nb / total
            n[t] = total
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: .float64, capacity: groups)
        for g in 0..<groups {
            if n[g] == 0 || m2[g] == 0 { out.appendNull(); continue }
            if kurtosis {
                out.appendDouble(n[g] * m4[g] / (m2[g] * m2[g]) - 3)
            } else {
                out.appendDouble(n[g].squareRoot() * m3[g] / (m2[g] * m2[g] * m2[g]).squareRoot())
            }
        }
        return out.finish()
    }
}

/// `percentile` (exact, interpolated between neighbours), `percentile_approx` (a value of the
/// input: the smallest whose rank reaches p × n) and `median`, for one percentage or an array of
/// them. Values are kept per group and sorted at the end.
final class PercentileAccumulator: Accumulator {
    let approximate: Bool
    let inputType: DataType
    let resultType: DataType
    var values: [[Double]] = []
    /// The constant percentages, read from the first batch.
    var percentages: [Double]?

    init(approximate: Bool, inputType: DataType, resultType: DataType) {
        self.approximate = approximate
        self.inputType = inputType
        self.resultType = resultType
    }

    func resize(_ groups: Int) {
        if values.count < groups { values += [[Double]](repeating: [], count: groups - values.count) }
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        if percentages == nil, groups.count > 0 { percentages = try Self.percentages(args[1]) }
        guard case let .float64(x) = CastKernel.cast(args[0], to: .float64).storage else { return }
        for i in 0..<groups.count where !args[0].isNull(i) { values[Int(groups[i])].append(x[i]) }
    }

    static func percentages(_ c: ColumnVector) throws -> [Double] {
        let list: [Scalar]
        switch c.scalar(at: 0) {
        case let .array(items): list = items
        case let s: list = [s]
        }
        return try list.map { s in
            let p: Double
            switch s {
            case let .double(d): p = d
            case let .int(i): p = Double(i)
            case let .decimal(d): p = d.doubleValue
            default: throw EngineError.analysis("the percentage of a percentile must be a number between 0 and 1", position: nil)
            }
            guard (0...1).contains(p) else {
                throw EngineError.analysis("the percentage \(p) of a percentile is not between 0 and 1", position: nil)
            }
            return p
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? PercentileAccumulator else { return }
        if percentages == nil { percentages = o.percentages }
        for (g, v) in o.values.enumerated() where !v.isEmpty { values[Int(mapping[g])] += v }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: resultType, capacity: groups)
        let isArray: Bool
        if case .array = resultType { isArray = true } else { isArray = false }
        for g in 0..<groups {
            guard let ps = percentages, !values[g].isEmpty else { out.appendNull(); continue }
            let sorted = values[g].sorted()
            let answers = ps.map { approximate ? Self.rank(sorted, $0) : Self.interpolate(sorted, $0) }
            if isArray {
                out.appendList { list in for a in answers { append(a, to: &list) } }
            } else {
                append(answers[0], to: &out)
            }
        }
        return out.finish()
    }

    private func append(_ v: Double, to out: inout ColumnBuilder) {
        switch approximate ? inputType : .float64 {
        case let .decimal(_, s): out.appendDecimal(Int128((v * DecimalParsing.pow10Double(s)).rounded()))
        case .float32, .float64: out.appendDouble(v)
        default: out.appendInt(Int64(v))
        }
    }

    static func interpolate(_ sorted: [Double], _ p: Double) -> Double {
        let position = p * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        if lower == upper || sorted[lower] == sorted[upper] { return sorted[lower] }
        // The lower value moved toward the upper one, in Spark's order of operations, so that the
        // last bits agree (2.4, not 2.4000000000000004, for 30% of 1.5, 2.5, 4, 10).
        return sorted[lower] + (position - Double(lower)) * (sorted[upper] - sorted[lower])
    }

    static func rank(_ sorted: [Double], _ p: Double) -> Double {
        sorted[max(0, min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }
}

/// `max_by(x, ord)` / `min_by(x, ord)`: the `x` of the row with the largest (smallest) non-null `ord`.
final class ExtremeByAccumulator: Accumulator {
    let max: Bool
    let valueType: DataType
    var best: [Scalar] = []
    var chosen: [Scalar] = []

    init(max: Bool, valueType: DataType) {
        self.max = max
        self.valueType = valueType
    }

    func resize(_ groups: Int) {
        if best.count < groups {
            best += [Scalar](repeating: .null, count: groups - best.count)
            chosen += [Scalar](repeating: .null, count: groups - chosen.count)
        }
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        for i in 0..<groups.count where !args[1].isNull(i) {
            offer(Int(groups[i]), args[1].scalar(at: i), args[0].scalar(at: i))
        }
    }

    private func offer(_ g: Int, _ key: Scalar, _ value: Scalar) {
        if best[g].isNull {
            best[g] = key
            chosen[g] = value
            return
        }
        guard let c = ScalarOrder.compare(key, best[g]) else { return }
        if max ? c > 0 : c < 0 {
            best[g] = key
            chosen[g] = value
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? ExtremeByAccumulator else { return }
        for g in 0..<o.best.count where !o.best[g].isNull { offer(Int(mapping[g]), o.best[g], o.chosen[g]) }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: valueType, capacity: groups)
        for g in 0..<groups { out.append(chosen[g]) }
        return out.finish()
    }
}

/// `mode(x)`: the most frequent non-null value; among equally frequent ones the smallest, so that
/// the answer does not depend on the order rows arrive in.
final class ModeAccumulator: Accumulator {
    let valueType: DataType
    var counts: [[Scalar: Int]] = []

    init(valueType: DataType) { self.valueType = valueType }

    func resize(_ groups: Int) {
        if counts.count < groups { counts += [[Scalar: Int]](repeating: [:], count: groups - counts.count) }
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) {
        for i in 0..<groups.count where !args[0].isNull(i) { counts[Int(groups[i])][args[0].scalar(at: i), default: 0] += 1 }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? ModeAccumulator else { return }
        for (g, c) in o.counts.enumerated() {
            for (v, k) in c { counts[Int(mapping[g])][v, default: 0] += k }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: valueType, capacity: groups)
        for g in 0..<groups {
            let top = counts[g].max { a, b in
                a.value != b.value ? a.value < b.value : (ScalarOrder.compare(a.key, b.key) ?? 0) > 0
            }
            out.append(top?.key ?? .null)
        }
        return out.finish()
    }
}
