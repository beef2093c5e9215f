/// Comparison operators of the comparison kernel.
public enum ComparisonOp: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

extension ComparisonOp {
    @inlinable func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
        switch self {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        }
    }

    @inlinable func holds(order c: Int) -> Bool {
        switch self {
        case .equal: return c == 0
        case .notEqual: return c != 0
        case .less: return c < 0
        case .lessOrEqual: return c <= 0
        case .greater: return c > 0
        case .greaterOrEqual: return c >= 0
        }
    }
}

/// Vectorised comparisons. Both inputs must have the same physical layout (the analyzer casts
/// operands to a common type); the result is a boolean column, null where either input is.
public enum CompareKernel {
    /// `a op b` element-wise.
    public static func compare(_ a: ColumnVector, _ b: ColumnVector, _ op: ComparisonOp) -> ColumnVector {
        let n = a.count
        let validity = Validity.and(a.validity, b.validity)
        let bits: Bitmap
        switch (a.storage, b.storage) {
        case let (.int8(x), .int8(y)): bits = typed(x, y, op)
        case let (.int16(x), .int16(y)): bits = typed(x, y, op)
        case let (.int32(x), .int32(y)): bits = typed(x, y, op)
        case let (.int64(x), .int64(y)): bits = typed(x, y, op)
        case let (.float32(x), .float32(y)): bits = typedFloat(x, y, op)
        case let (.float64(x), .float64(y)): bits = typedFloat(x, y, op)
        case let (.decimal(x), .decimal(y)): bits = typed(x, y, op)
        case let (.boolean(x), .boolean(y)): bits = makeBitmap(count: n) { op.holds(x[$0] ? 1 : 0, y[$0] ? 1 : 0) }
        case let (.bytes(xo, xd), .bytes(yo, yd)):
            bits = xd.withUnsafeBufferPointer { xb in
                yd.withUnsafeBufferPointer { yb in
                    xo.withUnsafeBufferPointer { xof in
                        yo.withUnsafeBufferPointer { yof in
                            makeBitmap(count: n) { i in
                                op.holds(order: compareBytes(xb, Int(xof[i]), Int(xof[i + 1]), yb, Int(yof[i]), Int(yof[i + 1])))
                            }
                        }
                    }
                }
            }
        case (.list, .list), (.struct, .struct):
            // Nested values compare by their order-preserving key bytes (Spark's interpreted
            // ordering of arrays and structs: element by element, nulls first, shorter first).
            let x = KeyEncoder.encode([a], count: n), y = KeyEncoder.encode([b], count: n)
            bits = x.bytes.withUnsafeBufferPointer { xb in
                y.bytes.withUnsafeBufferPointer { yb in
                    makeBitmap(count: n) { i in
                        op.holds(order: compareBytes(xb, x.offsets[i], x.offsets[i + 1], yb, y.offsets[i], y.offsets[i + 1]))
                    }
                }
            }
        default:
            return ColumnVector.nulls(.boolean, count: n)
        }
        return ColumnVector(type: .boolean, count: n, storage: .boolean(bits), validity: validity)
    }

    /// `a <=> b`: like `=`, but null equals null and the result is never null.
    public static func nullSafeEqual(_ a: ColumnVector, _ b: ColumnVector) -> ColumnVector {
        let eq = compare(a, b, .equal)
        guard case let .boolean(bits) = eq.storage else { return eq }
        let n = a.count
        let out = makeBitmap(count: n) { i in
            let an = a.isNull(i), bn = b.isNull(i)
            return an || bn ? an && bn : bits[i]
        }
        return ColumnVector(type: .boolean, count: n, storage: .boolean(out), validity: nil)
    }

    @inlinable static func typed<T: Comparable>(_ x: [T], _ y: [T], _ op: ComparisonOp) -> Bitmap {
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                switch op {
                case .equal: return makeBitmap(count: xs.count) { xs[$0] == ys[$0] }
                case .notEqual: return makeBitmap(count: xs.count) { xs[$0] != ys[$0] }
                case .less: return makeBitmap(count: xs.count) { xs[$0] < ys[$0] }
                case .lessOrEqual: return makeBitmap(count: xs.count) { xs[$0] <= ys[$0] }
                case .greater: return makeBitmap(count: xs.count) { xs[$0] > ys[$0] }
                case .greaterOrEqual: return makeBitmap(count: xs.count) { xs[$0] >= ys[$0] }
                }
            }
        }
    }

    /// Floats compare as Spark does: NaN equals NaN and is larger than any other value.
    @inlinable static func typedFloat<T: BinaryFloatingPoint>(_ x: [T], _ y: [T], _ op: ComparisonOp) -> Bitmap {
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                makeBitmap(count: xs.count) { i in
                    let a = xs[i], b = ys[i]
                    if a.isNaN || b.isNaN {
                        let c = a.isNaN && b.isNaN ? 0 : (a.isNaN ? 1 : -1)
                        return op.holds(order: c)
                    }
                    return op.holds(a, b)
                }
            }
        }
    }

    /// Lexicographic byte order of two slices (-1, 0, 1).
    @inlinable public static func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ aStart: Int, _ aEnd: Int,
                                               _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, _ bEnd: Int) -> Int {
        let la = aEnd - aStart, lb = bEnd - bStart
        let m = min(la, lb)
        if m > 0 {
            let c = memcmpBytes(a.baseAddress! + aStart, b.baseAddress! + bStart, m)
            if c != 0 { return c }
        }
        return la == lb ? 0 : (la < lb ? -1 : 1)
    }
}

/// memcmp without Foundation: -1, 0 or 1.
@inlinable func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var i = 0
    while i + 8 <= n {
        let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
        let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
        if x != y {
            let bx = x.bigEndian, by = y.bigEndian
            return bx < by ? -1 : 1
        }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        i += 1
    }
    return 0
}

extension CompareKernel {
    /// `a op value` for a constant right-hand side, without materialising the constant.
    /// Returns nil when the layouts do not match (callers then expand the constant).
    public static func compare(_ a: ColumnVector, scalar value: Scalar, type: DataType, _ op: ComparisonOp) -> ColumnVector? {
        let n = a.count
        if value.isNull { return ColumnVector.nulls(.boolean, count: n) }
        var b = ColumnBuilder(type: type, capacity: 1)
        b.append(value)
        let one = b.finish()
        let bits: Bitmap
        switch (a.storage, one.storage) {
        case let (.int8(x), .int8(y)): bits = typedScalar(x, y[0], op)
        case let (.int16(x), .int16(y)): bits = typedScalar(x, y[0], op)
        case let (.int32(x), .int32(y)): bits = typedScalar(x, y[0], op)
        case let (.int64(x), .int64(y)): bits = typedScalar(x, y[0], op)
        case let (.decimal(x), .decimal(y)): bits = typedScalar(x, y[0], op)
        case let (.bytes(xo, xd), .bytes(_, yd)) where op == .equal || op == .notEqual:
            // Equality needs no order: lengths first, then bytes (StringEquality.swift).
            bits = xd.withUnsafeBufferPointer { xb in
                yd.withUnsafeBufferPointer { yb in
                    xo.withUnsafeBufferPointer { xof in equalBits(xb, xof, count: n, yb, negated: op == .notEqual) }
                }
            }
        case let (.bytes(xo, xd), .bytes(_, yd)):
            bits = xd.withUnsafeBufferPointer { xb in
                yd.withUnsafeBufferPointer { yb in
                    xo.withUnsafeBufferPointer { xof in
                        makeBitmap(count: n) { i in
                            op.holds(order: compareBytes(xb, Int(xof[i]), Int(xof[i + 1]), yb, 0, yb.count))
                        }
                    }
                }
            }
        default:
            return nil
        }
        return ColumnVector(type: .boolean, count: n, storage: .boolean(bits), validity: a.validity)
    }

    @inlinable static func typedScalar<T: Comparable>(_ x: [T], _ y: T, _ op: ComparisonOp) -> Bitmap {
        x.withUnsafeBufferPointer { xs in
            switch op {
            case .equal: return makeBitmap(count: xs.count) { xs[$0] == y }
            case .notEqual: return makeBitmap(count: xs.count) { xs[$0] != y }
            case .less: return makeBitmap(count: xs.count) { xs[$0] < y }
            case .lessOrEqual: return makeBitmap(count: xs.count) { xs[$0] <= y }
            case .greater: return makeBitmap(count: xs.count) { xs[$0] > y }
            case .greaterOrEqual: return makeBitmap(count: xs.count) { xs[$0] >= y }
            }
        }
    }
}
