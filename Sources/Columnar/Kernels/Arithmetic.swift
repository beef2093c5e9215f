/// Arithmetic operators of the arithmetic kernel.
public enum ArithmeticOp: Sendable {
    case add, subtract, multiply, divide, remainder, integerDivide
}

/// Vectorised arithmetic with Spark's non-ANSI semantics: integer overflow wraps, division
/// or remainder by zero gives null, decimal results that do not fit their precision are null.
public enum ArithmeticKernel {
    /// `a op b` where both inputs have the same physical type, except decimals, whose scales
    /// may differ; `resultType` is the analyzer's result type.
    public static func apply(_ op: ArithmeticOp, _ a: ColumnVector, _ b: ColumnVector, resultType: DataType) -> ColumnVector {
        let n = a.count
        var validity = Validity.and(a.validity, b.validity)
        switch (a.storage, b.storage) {
        case let (.decimal(x), .decimal(y)):
            guard case let .decimal(_, s1) = a.type, case let .decimal(_, s2) = b.type else { break }
            if op == .integerDivide {
                let q = decimal(.divide, x, s1, y, s2, p: 38, s: 0, validity: &validity, truncate: true)
                let ints = q.map { Int64(truncatingIfNeeded: $0) }
                return ColumnVector(type: .int64, count: n, storage: .int64(ints), validity: validity)
            }
            guard case let .decimal(p, s) = resultType else { break }
            let out = decimal(op, x, s1, y, s2, p: p, s: s, validity: &validity, truncate: false)
            return ColumnVector(type: resultType, count: n, storage: .decimal(out), validity: validity)
        case let (.int8(x), .int8(y)):
            let v = integer(op, x, y, &validity)
            return ColumnVector(type: resultType, count: n, storage: .int8(v), validity: validity)
        case let (.int16(x), .int16(y)):
            let v = integer(op, x, y, &validity)
            return ColumnVector(type: resultType, count: n, storage: .int16(v), validity: validity)
        case let (.int32(x), .int32(y)):
            let v = integer(op, x, y, &validity)
            return ColumnVector(type: resultType, count: n, storage: .int32(v), validity: validity)
        case let (.int64(x), .int64(y)):
            let v = integer(op, x, y, &validity)
            return ColumnVector(type: resultType, count: n, storage: .int64(v), validity: validity)
        case let (.float32(x), .float32(y)):
            return ColumnVector(type: resultType, count: n, storage: .float32(floating(op, x, y, &validity)), validity: validity)
        case let (.float64(x), .float64(y)):
            return ColumnVector(type: resultType, count: n, storage: .float64(floating(op, x, y, &validity)), validity: validity)
        default: break
        }
        return ColumnVector.nulls(resultType, count: n)
    }

    /// Marks slot `i` null in a validity bitmap that may not exist yet.
    @inlinable static func setNull(_ validity: inout Bitmap?, _ i: Int, _ n: Int) {
        if validity == nil { validity = Bitmap(count: n, value: true) }
        validity![i] = false
    }

    static func integer<T: FixedWidthInteger>(_ op: ArithmeticOp, _ x: [T], _ y: [T], _ validity: inout Bitmap?) -> [T] {
        let n = x.count
        var out = [T](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                out.withUnsafeMutableBufferPointer { o in
                    switch op {
                    case .add: for i in 0..<n { o[i] = xs[i] &+ ys[i] }
                    case .subtract: for i in 0..<n { o[i] = xs[i] &- ys[i] }
                    case .multiply: for i in 0..<n { o[i] = xs[i] &* ys[i] }
                    case .divide, .integerDivide, .remainder:
                        for i in 0..<n {
                            if ys[i] == 0 {
                                setNull(&validity, i, n)
                            } else if ys[i] == -1 {
                                // Avoid the trap of T.min / -1: the result wraps, as in Java.
                                o[i] = op == .remainder ? 0 : 0 &- xs[i]
                            } else {
                                o[i] = op == .remainder ? xs[i] % ys[i] : xs[i] / ys[i]
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    static func floating<T: BinaryFloatingPoint>(_ op: ArithmeticOp, _ x: [T], _ y: [T], _ validity: inout Bitmap?) -> [T] {
        let n = x.count
        var out = [T](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                out.withUnsafeMutableBufferPointer { o in
                    switch op {
                    case .add: for i in 0..<n { o[i] = xs[i] + ys[i] }
                    case .subtract: for i in 0..<n { o[i] = xs[i] - ys[i] }
                    case .multiply: for i in 0..<n { o[i] = xs[i] * ys[i] }
                    case .divide, .integerDivide:
                        for i in 0..<n {
                            if ys[i] == 0 { setNull(&validity, i, n) } else { o[i] = xs[i] / ys[i] }
                        }
                        if op == .integerDivide { for i in 0..<n { o[i] = o[i].rounded(.towardZero) } }
                    case .remainder:
                        for i in 0..<n {
                            if ys[i] == 0 { setNull(&validity, i, n) } else {
                                o[i] = xs[i].truncatingRemainder(dividingBy: ys[i])
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Decimal arithmetic on unscaled values: operands at scales s1 and s2, result at
    /// decimal(p, s), rounded half up; values that do not fit are null.
    static func decimal(_ op: ArithmeticOp, _ x: [Int128], _ s1: Int, _ y: [Int128], _ s2: Int, p: Int, s: Int,
                        validity: inout Bitmap?, truncate: Bool) -> [Int128] {
        let n = x.count
        let limit = DecimalParsing.maxUnscaled(precision: p)
        let pow10 = DecimalParsing.pow10
        // Scale the operation is carried out at before the final rescale to `s`.
        let workScale: Int
        switch op {
        case .add, .subtract, .remainder: workScale = max(s1, s2)
        case .multiply: workScale = s1 + s2
        case .divide, .integerDivide: workScale = s
        }
        if (op == .add || op == .subtract || op == .multiply) && (op == .multiply || s1 == s2) && workScale == s {
            // Fast path: no per-row rescaling; overflow and precision checks only. Values that
            // do not fit are rare: their rows are collected and made null after the loop.
            var overflowAt: [Int] = []
            let result = [Int128](unsafeUninitializedCapacity: n) { o, initialized in
                x.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        @inline(__always) func run(_ f: (Int128, Int128) -> (Int128, Bool)) {
                            for i in 0..<n {
                                let (r, overflow) = f(xs[i], ys[i])
                                if overflow || r > limit || r < -limit {
                                    overflowAt.append(i)
                                    o[i] = 0
                                } else {
                                    o[i] = r
                                }
                            }
                        }
                        switch op {
                        case .add: run { $0.addingReportingOverflow($1) }
                        case .subtract: run { $0.subtractingReportingOverflow($1) }
                        default: run(multipliedExactly)
                        }
                    }
                }
                initialized = n
            }
            for i in overflowAt { setNull(&validity, i, n) }
            return result
        }
        if (op == .add || op == .subtract) && s1 != s2 {
            // Bring both sides to the common scale once, then take the fast path.
            var v1 = validity
            let xs = s1 == workScale ? x : x.map { DecimalParsing.rescale($0, from: s1, to: workScale) ?? 0 }
            let ys = s2 == workScale ? y : y.map { DecimalParsing.rescale($0, from: s2, to: workScale) ?? 0 }
            if workScale == s {
                let r = decimal(op, xs, workScale, ys, workScale, p: p, s: s, validity: &v1, truncate: truncate)
                validity = v1
                return r
            }
        }
        var out = [Int128](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                for i in 0..<n {
                    var r: Int128
                    switch op {
                    case .add, .subtract, .remainder:
                        guard let a = DecimalParsing.rescale(xs[i], from: s1, to: workScale),
                              let b = DecimalParsing.rescale(ys[i], from: s2, to: workScale) else {
                            setNull(&validity, i, n)
                            continue
                        }
                        if op == .remainder {
                            if b == 0 { setNull(&validity, i, n); continue }
                            r = a % b
                        } else {
                            let (v, o) = op == .add ? a.addingReportingOverflow(b) : a.subtractingReportingOverflow(b)
                            if o { setNull(&validity, i, n); continue }
                            r = v
                        }
                    case .multiply:
                        let (v, o) = multipliedExactly(xs[i], ys[i])
                        if o { setNull(&validity, i, n); continue }
                        r = v
                    case .divide, .integerDivide:
                        let b = ys[i]
                        if b == 0 { setNull(&validity, i, n); continue }
                        // x/10^s1 ÷ y/10^s2 at scale s = (x · 10^(s - s1 + s2)) ÷ y.
                        let shift = s - s1 + s2
                        var a = xs[i]
                        var den = b
                        if shift >= 0 {
                            guard shift <= 38 else { setNull(&validity, i, n); continue }
                            let (v, o) = a.multipliedReportingOverflow(by: pow10[shift])
                            if o { setNull(&validity, i, n); continue }
                            a = v
                        } else {
                            guard -shift <= 38 else { setNull(&validity, i, n); continue }
                            let (v, o) = den.multipliedReportingOverflow(by: pow10[-shift])
                            if o { setNull(&validity, i, n); continue }
                            den = v
                        }
                        var q = a / den
                        let rem = a % den
                        if !truncate && rem != 0 && rem.magnitude * 2 >= den.magnitude {
                            q += (a < 0) == (den < 0) ? 1 : -1
                        }
                        r = q
                    }
                    if workScale != s {
                        guard let v = DecimalParsing.rescale(r, from: workScale, to: s) else {
                            setNull(&validity, i, n)
                            continue
                        }
                        r = v
                    }
                    if r > limit || r < -limit { setNull(&validity, i, n); continue }
                    out[i] = r
                }
            }
        }
        return out
    }

    /// `a * b` with overflow reported, taking one 64-bit multiplication when both fit 64 bits
    /// (the usual case: decimals of up to 18 digits, whose product then always fits 128 bits).
    @inline(__always) static func multipliedExactly(_ a: Int128, _ b: Int128) -> (Int128, Bool) {
        let a64 = Int64(truncatingIfNeeded: a), b64 = Int64(truncatingIfNeeded: b)
        if Int128(a64) == a && Int128(b64) == b {
            // |a|, |b| ≤ 2^63: the product's magnitude is at most 2^126.
            return (Int128(a64) &* Int128(b64), false)
        }
        return a.multipliedReportingOverflow(by: b)
    }

    /// `-a`.
    public static func negate(_ a: ColumnVector) -> ColumnVector {
        let storage: ColumnStorage
        switch a.storage {
        case let .int8(v): storage = .int8(v.map { 0 &- $0 })
        case let .int16(v): storage = .int16(v.map { 0 &- $0 })
        case let .int32(v): storage = .int32(v.map { 0 &- $0 })
        case let .int64(v): storage = .int64(v.map { 0 &- $0 })
        case let .float32(v): storage = .float32(v.map { -$0 })
        case let .float64(v): storage = .float64(v.map { -$0 })
        case let .decimal(v): storage = .decimal(v.map { 0 - $0 })
        default: return a
        }
        return ColumnVector(type: a.type, count: a.count, storage: storage, validity: a.validity)
    }
}
