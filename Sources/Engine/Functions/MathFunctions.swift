import Columnar
import Foundation

/// Spark's mathematical functions beyond the core ones of `MathKernels`: logarithms, trigonometry,
/// signs, banker's rounding, positive modulo, bit shifts and number bases.
enum MathFunctions {
    static let all: [String: ScalarFunction] = {
        var f: [String: ScalarFunction] = [
            "log": ScalarFunction(1...2, [.float64], returns: .float64, log),
            "atan2": binaryDouble { y, x in Foundation.atan2(y, x) },
            "hypot": binaryDouble { a, b in Foundation.hypot(a, b) },
            "sign": unaryDouble { x in x.isNaN ? .nan : (x > 0 ? 1 : (x < 0 ? -1 : 0)) },
            "signum": unaryDouble { x in x.isNaN ? .nan : (x > 0 ? 1 : (x < 0 ? -1 : 0)) },
            "pi": ScalarFunction(0...0, [], returns: .float64) { c in ColumnVector.constant(.double(Double.pi), type: .float64, count: c.rowCount) },
            "e": ScalarFunction(0...0, [], returns: .float64) { c in ColumnVector.constant(.double(M_E), type: .float64, count: c.rowCount) },
            "bround": ScalarFunction(1...2, [nil, .int32], returning: { $0.first ?? .null }, bround),
            "pmod": ScalarFunction(2...2, [nil], returning: pmodType, pmod),
            "factorial": ScalarFunction(1...1, [.int32], returns: .int64, factorial),
            "shiftleft": shift { v, n in v << n },
            "shiftright": shift { v, n in v >> n },
            "width_bucket": ScalarFunction(4...4, [.float64, .float64, .float64, .int64], returns: .int64, widthBucket),
            "bin": ScalarFunction(1...1, [.int64], returns: .string) { c in
                let v = c.ints(0)
                return c.map { row, out in out.appendString(String(UInt64(bitPattern: v[row]), radix: 2)) }
            },
            "conv": ScalarFunction(3...3, [.string, .int32, .int32], returns: .string, conv),
            "negative": ScalarFunction(1...1, [nil], returning: { $0.first ?? .null }) { c in
                ArithmeticKernel.negate(c.args[0])
            },
            "positive": ScalarFunction(1...1, [nil], returning: { $0.first ?? .null }) { c in c.args[0] },
        ]
        let unary: [(String, @Sendable (Double) -> Double?)] = [
            ("log2", { $0 > 0 ? Foundation.log2($0) : nil }),
            ("log1p", { $0 > -1 ? Foundation.log1p($0) : nil }),
            ("expm1", { Foundation.expm1($0) }),
            ("cbrt", { x in
                // The C library may miss exact roots by an ulp (27 → 3.0000000000000004); Java does not.
                let r = Foundation.cbrt(x), whole = r.rounded()
                return whole * whole * whole == x ? whole : r
            }),
            ("sin", { Foundation.sin($0) }), ("cos", { Foundation.cos($0) }), ("tan", { Foundation.tan($0) }),
            ("asin", { Foundation.asin($0) }), ("acos", { Foundation.acos($0) }), ("atan", { Foundation.atan($0) }),
            ("sinh", { Foundation.sinh($0) }), ("cosh", { Foundation.cosh($0) }), ("tanh", { Foundation.tanh($0) }),
            ("cot", { 1 / Foundation.tan($0) }), ("sec", { 1 / Foundation.cos($0) }), ("csc", { 1 / Foundation.sin($0) }),
            ("degrees", { $0 * 180 / Double.pi }), ("radians", { $0 * Double.pi / 180 }),
            ("rint", { $0.rounded(.toNearestOrEven) }),
        ]
        for (name, fn) in unary { f[name] = unaryDouble(fn) }
        return f
    }()

    /// A function of one double; nil answers are null (Spark's logarithms outside their domain).
    static func unaryDouble(_ fn: @escaping @Sendable (Double) -> Double?) -> ScalarFunction {
        ScalarFunction(1...1, [.float64], returns: .float64) { c in
            let x = c.doubles(0)
            return c.map { row, out in
                if let v = fn(x[row]) { out.appendDouble(v) } else { out.appendNull() }
            }
        }
    }

    static func binaryDouble(_ fn: @escaping @Sendable (Double, Double) -> Double) -> ScalarFunction {
        ScalarFunction(2...2, [.float64], returns: .float64) { c in
            let a = c.doubles(0), b = c.doubles(1)
            return c.map { row, out in out.appendDouble(fn(a[row], b[row])) }
        }
    }

    /// `log(x)` is `ln(x)`; `log(base, x)` is `ln(x) / ln(base)`; null where a logarithm is undefined.
    static func log(_ c: ScalarCall) -> ColumnVector {
        let one = c.args.count == 1
        let base = one ? [] : c.doubles(0), x = c.doubles(one ? 0 : 1)
        return c.map { row, out in
            let v = x[row]
            if one {
                if v > 0 { out.appendDouble(Foundation.log(v)) } else { out.appendNull() }
            } else {
                let b = base[row]
                if v > 0 && b > 0 { out.appendDouble(Foundation.log(v) / Foundation.log(b)) } else { out.appendNull() }
            }
        }
    }

    /// `bround(x[, d])`: rounds to `d` decimal places, halves to the even neighbour. Doubles round
    /// their shortest decimal text, as Spark rounds them through `BigDecimal`.
    static func bround(_ c: ScalarCall) throws -> ColumnVector {
        let scale = c.args.count > 1 ? c.ints(1) : nil
        let x = c.args[0]
        switch x.type {
        case let .decimal(_, s):
            // The result keeps min(s, d) fractional digits (the type rule `round` shares).
            guard case let .decimal(v) = x.storage, case let .decimal(_, rs) = c.resultType else { return x }
            return c.map { row, out in
                let d = Int(scale?[row] ?? 0)
                if d >= s { out.appendDecimal(v[row]); return }
                out.appendDecimal(halfEven(v[row], dropping: s - d) * DecimalParsing.pow10[min(38, rs - d)])
            }
        case .float32, .float64:
            let v = c.doubles(0)
            return c.map { row, out in
                let d = Int(scale?[row] ?? 0), x = v[row]
                guard x.isFinite, let dv = DecimalValue(parsing: "\(x)"), dv.scale > d else { out.appendDouble(x); return }
                let r = halfEven(dv.unscaled, dropping: dv.scale - d)
                out.appendDouble(d >= 0 ? Double(r) / DecimalParsing.pow10Double(d) : Double(r) * DecimalParsing.pow10Double(-d))
            }
        default:
            let v = c.ints(0)
            return c.map { row, out in
                let d = Int(scale?[row] ?? 0)
                guard d < 0 else { out.appendInt(v[row]); return }
                let r = halfEven(Int128(v[row]), dropping: -d) * DecimalParsing.pow10[min(38, -d)]
                out.appendInt(Int64(truncatingIfNeeded: r))
            }
        }
    }

    /// `v / 10^digits` rounded half to even.
    static func halfEven(_ v: Int128, dropping digits: Int) -> Int128 {
        guard digits > 0 else { return v }
        guard digits <= 38 else { return 0 }
        let p = DecimalParsing.pow10[digits]
        let (q, r) = v.quotientAndRemainder(dividingBy: p)
        let twice = r.magnitude * 2
        if twice > p.magnitude || (twice == p.magnitude && q & 1 != 0) { return q + (v < 0 ? -1 : 1) }
        return q
    }

    @Sendable static func pmodType(_ args: [DataType]) -> DataType {
        guard args.count == 2 else { return .null }
        if args.contains(where: { $0.isFloating || $0.isDecimal || $0 == .string }) { return .float64 }
        return args.contains(.int64) ? .int64 : (args.contains(.int32) ? .int32 : (args.contains(.int16) ? .int16 : .int8))
    }

    /// `pmod(a, b)`: the remainder of a / b made non-negative; null when b is 0.
    static func pmod(_ c: ScalarCall) throws -> ColumnVector {
        if c.resultType == .float64 {
            let a = c.doubles(0), b = c.doubles(1)
            return c.map { row, out in
                let m = b[row]
                if m == 0 { out.appendNull(); return }
                let r = a[row].truncatingRemainder(dividingBy: m)
                out.appendDouble(r < 0 ? (r + m).truncatingRemainder(dividingBy: m) : r)
            }
        }
        let a = c.ints(0), b = c.ints(1)
        return c.map { row, out in
            let m = b[row]
            if m == 0 { out.appendNull(); return }
            let r = a[row] % m
            out.appendInt(r < 0 ? (r &+ m) % m : r)
        }
    }

    /// `factorial(n)` for n in 0...20, null otherwise.
    static func factorial(_ c: ScalarCall) -> ColumnVector {
        let n = c.ints(0)
        return c.map { row, out in
            guard (0...20).contains(n[row]) else { out.appendNull(); return }
            out.appendInt((1...max(1, n[row])).reduce(1, *))
        }
    }

    /// `shiftleft(v, n)` / `shiftright`: Java's shifts on the value's width (int or bigint), the
    /// distance taken modulo the width.
    static func shift(_ op: @escaping @Sendable (Int64, Int64) -> Int64) -> ScalarFunction {
        ScalarFunction(2...2, [nil, .int32], returning: { ($0.first ?? .int32) == .int64 ? .int64 : .int32 }) { c in
            let v = c.ints(0), n = c.ints(1)
            let wide = c.resultType == .int64
            return c.map { row, out in
                if wide {
                    out.appendInt(op(v[row], n[row] & 63))
                } else {
                    let narrow = Int32(truncatingIfNeeded: v[row])
                    out.appendInt(Int64(Int32(truncatingIfNeeded: op(Int64(narrow), n[row] & 31))))
                }
            }
        }
    }

    /// `width_bucket(v, min, max, n)`: the bucket of `v` among `n` equal buckets over [min, max),
    /// 0 below and n + 1 above; null for n ≤ 0, min = max or a NaN.
    static func widthBucket(_ c: ScalarCall) -> ColumnVector {
        let v = c.doubles(0), lo = c.doubles(1), hi = c.doubles(2), n = c.ints(3)
        return c.map { row, out in
            let x = v[row], a = lo[row], b = hi[row], k = n[row]
            guard k > 0, k < Int64.max, a != b, !x.isNaN, a.isFinite, b.isFinite else { out.appendNull(); return }
            if a < b {
                if x < a { out.appendInt(0); return }
                if x >= b { out.appendInt(k + 1); return }
                out.appendInt(Int64(Double(k) * (x - a) / (b - a)) + 1)
            } else {
                if x > a { out.appendInt(0); return }
                if x <= b { out.appendInt(k + 1); return }
                out.appendInt(Int64(Double(k) * (a - x) / (a - b)) + 1)
            }
        }
    }

    /// `conv(num, from, to)`: a number's digits in base `from` (2–36) written in base `to`; unsigned
    /// 64-bit unless `to` is negative. Digits stop at the first character that is not one; null for
    /// a bad base or no digits.
    static func conv(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), from = c.ints(1), to = c.ints(2)
        return c.map { row, out in
            let fromBase = Int(from[row]), toBase = Int(to[row])
            guard (2...36).contains(fromBase), (2...36).contains(abs(toBase)) else { out.appendNull(); return }
            var text = Substring(s.string(row).trimmingCharacters(in: .whitespaces))
            let negative = text.first == "-"
            if negative { text = text.dropFirst() }
            var value: UInt64 = 0
            var digits = 0
            for ch in text {
                guard let d = ch.hexDigitValue ?? ch.lowercased().first.flatMap({ c in
                    c.isLetter && c.isASCII ? Int(c.asciiValue! - 87) : nil
                }), d < fromBase else { break }
                let (m, o1) = value.multipliedReportingOverflow(by: UInt64(fromBase))
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                value = (o1 || o2) ? UInt64.max : a
                digits += 1
            }
            guard digits > 0 else { out.appendNull(); return }
            if negative { value = value == UInt64.max ? value : 0 &- value }
            if toBase < 0 && Int64(bitPattern: value) < 0 {
                out.appendString("-" + String(0 &- value, radix: -toBase, uppercase: true))
            } else {
                out.appendString(String(value, radix: abs(toBase), uppercase: true))
            }
        }
    }
}
