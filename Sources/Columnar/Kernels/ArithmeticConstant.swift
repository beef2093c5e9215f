extension ArithmeticKernel {
    /// `a op c`, or `c op a` when `constantOnLeft`, for a constant `c` given as a one-row column
    /// of the operand type, without expanding the constant into a column of `a.count` rows.
    ///
    /// Covers the forms that dominate queries (`1 - discount`, `price * 1.1`, `x + 1`):
    /// addition, subtraction and multiplication of integers, doubles and decimals whose scale
    /// rules need no per-row rescaling. Returns nil for everything else; the caller then
    /// expands the constant and takes the general kernel, so results are always the same.
    public static func apply(_ op: ArithmeticOp, _ a: ColumnVector, constant c: ColumnVector, constantOnLeft: Bool,
                             resultType: DataType) -> ColumnVector? {
        guard op == .add || op == .subtract || op == .multiply, c.count == 1, !c.isNull(0) else { return nil }
        let n = a.count
        switch (a.storage, c.storage) {
        case let (.int32(x), .int32(y)):
            return ColumnVector(type: resultType, count: n, storage: .int32(integer(op, x, y[0], constantOnLeft)),
                                validity: a.validity)
        case let (.int64(x), .int64(y)):
            return ColumnVector(type: resultType, count: n, storage: .int64(integer(op, x, y[0], constantOnLeft)),
                                validity: a.validity)
        case let (.float64(x), .float64(y)):
            return ColumnVector(type: resultType, count: n, storage: .float64(floating(op, x, y[0], constantOnLeft)),
                                validity: a.validity)
        case let (.decimal(x), .decimal(y)):
            guard case let .decimal(_, sa) = a.type, case let .decimal(_, sc) = c.type,
                  case let .decimal(p, s) = resultType else { return nil }
            var validity = a.validity
            guard let out = decimal(op, x, sa, y[0], sc, p: p, s: s, constantOnLeft, &validity) else { return nil }
            return ColumnVector(type: resultType, count: n, storage: .decimal(out), validity: validity)
        default:
            return nil
        }
    }

    static func integer<T: FixedWidthInteger>(_ op: ArithmeticOp, _ x: [T], _ c: T, _ constantOnLeft: Bool) -> [T] {
        [T](unsafeUninitializedCapacity: x.count) { o, initialized in
            x.withUnsafeBufferPointer { xs in
                switch op {
                case .add: for i in 0..<xs.count { o[i] = xs[i] &+ c }
                case .multiply: for i in 0..<xs.count { o[i] = xs[i] &* c }
                default:
                    if constantOnLeft {
                        for i in 0..<xs.count { o[i] = c &- xs[i] }
                    } else {
                        for i in 0..<xs.count { o[i] = xs[i] &- c }
                    }
                }
            }
            initialized = x.count
        }
    }

    static func floating(_ op: ArithmeticOp, _ x: [Double], _ c: Double, _ constantOnLeft: Bool) -> [Double] {
        [Double](unsafeUninitializedCapacity: x.count) { o, initialized in
            x.withUnsafeBufferPointer { xs in
                switch op {
                case .add: for i in 0..<xs.count { o[i] = xs[i] + c }
                case .multiply: for i in 0..<xs.count { o[i] = xs[i] * c }
                default:
                    if constantOnLeft {
                        for i in 0..<xs.count { o[i] = c - xs[i] }
                    } else {
                        for i in 0..<xs.count { o[i] = xs[i] - c }
                    }
                }
            }
            initialized = x.count
        }
    }

    /// Decimal `x op c` at result `decimal(p, s)`: the constant is brought to the working scale
    /// once; nil when the column itself would need rescaling row by row.
    static func decimal(_ op: ArithmeticOp, _ x: [Int128], _ sx: Int, _ c: Int128, _ sc: Int, p: Int, s: Int,
                        _ constantOnLeft: Bool, _ validity: inout Bitmap?) -> [Int128]? {
        let k: Int128
        switch op {
        case .add, .subtract:
            guard sx == s, sc <= s, let scaled = DecimalParsing.rescale(c, from: sc, to: s) else { return nil }
            k = scaled
        default:
            guard sx + sc == s else { return nil }
            k = c
        }
        let limit = DecimalParsing.maxUnscaled(precision: p)
        let n = x.count
        var overflowAt: [Int] = []
        let out = [Int128](unsafeUninitializedCapacity: n) { o, initialized in
            x.withUnsafeBufferPointer { xs in
                @inline(__always) func run(_ f: (Int128) -> (Int128, Bool)) {
                    for i in 0..<n {
                        let (r, overflow) = f(xs[i])
                        if overflow || r > limit || r < -limit {
                            // Rare: a value that does not fit its precision becomes null (Spark, non-ANSI).
                            overflowAt.append(i)
                            o[i] = 0
                        } else {
                            o[i] = r
                        }
                    }
                }
                // One loop per operation, so the row loop holds no switch.
                switch op {
                case .add: run { $0.addingReportingOverflow(k) }
                case .multiply: run { multipliedExactly($0, k) }
                default:
                    if constantOnLeft {
                        run { k.subtractingReportingOverflow($0) }
                    } else {
                        run { $0.subtractingReportingOverflow(k) }
                    }
                }
            }
            initialized = n
        }
        for i in overflowAt { setNull(&validity, i, n) }
        return out
    }
}
