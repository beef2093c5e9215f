import Columnar
import Foundation

/// Numeric functions (abs, round, floor, ceil, sqrt …).
enum MathKernels {
    static func abs(_ c: ColumnVector) -> ColumnVector {
        let storage: ColumnStorage
        switch c.storage {
        case let .int8(v): storage = .int8(v.map { $0 < 0 ? 0 &- $0 : $0 })
        case let .int16(v): storage = .int16(v.map { $0 < 0 ? 0 &- $0 : $0 })
        case let .int32(v): storage = .int32(v.map { $0 < 0 ? 0 &- $0 : $0 })
        case let .int64(v): storage = .int64(v.map { $0 < 0 ? 0 &- $0 : $0 })
        case let .float32(v): storage = .float32(v.map { Swift.abs($0) })
        case let .float64(v): storage = .float64(v.map { Swift.abs($0) })
        case let .decimal(v): storage = .decimal(v.map { $0 < 0 ? 0 - $0 : $0 })
        default: return c
        }
        return ColumnVector(type: c.type, count: c.count, storage: storage, validity: c.validity)
    }

    /// `round(x, d)`: half up (away from zero), as Spark rounds decimals and doubles.
    static func round(_ c: ColumnVector, scale d: Int, resultType: DataType) -> ColumnVector {
        switch c.storage {
        case let .decimal(v):
            guard case let .decimal(_, s) = c.type, case let .decimal(_, rs) = resultType else { return c }
            let out = v.map { x -> Int128 in
                let r = DecimalParsing.rescale(x, from: s, to: Swift.min(s, Swift.max(d, 0))) ?? 0
                return DecimalParsing.rescale(r, from: Swift.min(s, Swift.max(d, 0)), to: rs) ?? 0
            }
            return ColumnVector(type: resultType, count: c.count, storage: .decimal(out), validity: c.validity)
        case let .float64(v):
            let p = Foundation.pow(10.0, Double(d))
            let out = v.map { x -> Double in
                guard x.isFinite else { return x }
                // Round through the shortest decimal text so 2.675 rounds like BigDecimal("2.675").
                if let dv = DecimalValue(parsing: "\(x)"), let r = DecimalParsing.rescale(dv.unscaled, from: dv.scale, to: Swift.max(d, 0)) {
                    return Double(r) / DecimalParsing.pow10Double(Swift.max(d, 0))
                }
                return (x * p).rounded(.toNearestOrAwayFromZero) / p
            }
            return ColumnVector(type: .float64, count: c.count, storage: .float64(out), validity: c.validity)
        default:
            return c
        }
    }

    static func floorCeil(_ c: ColumnVector, ceil: Bool, resultType: DataType) -> ColumnVector {
        switch c.storage {
        case let .decimal(v):
            guard case let .decimal(_, s) = c.type else { return c }
            let p = DecimalParsing.pow10[s]
            let out = v.map { x -> Int128 in
                var q = x / p
                let r = x % p
                if r != 0 && ceil && x > 0 { q += 1 }
                if r != 0 && !ceil && x < 0 { q -= 1 }
                return q
            }
            return ColumnVector(type: resultType, count: c.count, storage: .decimal(out), validity: c.validity)
        case let .float64(v):
            let out = v.map { Int64(ceil ? $0.rounded(.up) : $0.rounded(.down)) }
            return ColumnVector(type: .int64, count: c.count, storage: .int64(out), validity: c.validity)
        default:
            return CastKernel.cast(c, to: resultType)
        }
    }

    static func unaryDouble(_ c: ColumnVector, _ name: String) -> ColumnVector {
        guard case let .float64(v) = CastKernel.cast(c, to: .float64).storage else { return c }
        var validity = c.validity
        var out = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            let x = v[i]
            switch name {
            case "sqrt": out[i] = x.squareRoot()
            case "exp": out[i] = Foundation.exp(x)
            case "ln":
                if x <= 0 { ArithmeticKernelNull.set(&validity, i, c.count) } else { out[i] = Foundation.log(x) }
            default:
                if x <= 0 { ArithmeticKernelNull.set(&validity, i, c.count) } else { out[i] = Foundation.log10(x) }
            }
        }
        return ColumnVector(type: .float64, count: c.count, storage: .float64(out), validity: validity)
    }

    static func pow(_ a: ColumnVector, _ b: ColumnVector) -> ColumnVector {
        guard case let .float64(x) = a.storage, case let .float64(y) = b.storage else { return a }
        let out = (0..<a.count).map { Foundation.pow(x[$0], y[$0]) }
        return ColumnVector(type: .float64, count: a.count, storage: .float64(out), validity: Validity.and(a.validity, b.validity))
    }
}

/// Marks a value null in a validity bitmap that may not exist yet.
enum ArithmeticKernelNull {
    static func set(_ validity: inout Bitmap?, _ i: Int, _ n: Int) {
        if validity == nil { validity = Bitmap(count: n, value: true) }
        validity![i] = false
    }
}
