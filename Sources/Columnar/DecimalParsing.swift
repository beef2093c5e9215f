/// Decimal helpers shared by parsers, casts and arithmetic kernels.
public enum DecimalParsing {
    /// 10^0 ... 10^38 as Int128.
    public static let pow10: [Int128] = {
        var out: [Int128] = []
        var v: Int128 = 1
        for _ in 0...38 {
            out.append(v)
            v = v &* 10
        }
        return out
    }()

    /// 10^n as a double.
    public static func pow10Double(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<max(0, n) { r *= 10 }
        return r
    }

    /// The largest unscaled value of a decimal with `precision` digits (10^precision - 1).
    @inlinable public static func maxUnscaled(precision: Int) -> Int128 { pow10[precision] - 1 }

    /// Changes the scale of an unscaled value, rounding half away from zero (Spark's HALF_UP)
    /// when digits are dropped. Nil on overflow.
    public static func rescale(_ v: Int128, from: Int, to: Int) -> Int128? {
        if from == to { return v }
        if to > from {
            let d = to - from
            guard d <= 38 else { return v == 0 ? 0 : nil }
            let (r, o) = v.multipliedReportingOverflow(by: pow10[d])
            return o ? nil : r
        }
        let d = from - to
        guard d <= 38 else { return 0 }
        let p = pow10[d]
        let q = v / p
        let rem = v % p
        if abs(rem) * 2 >= p { return v < 0 ? q - 1 : q + 1 }
        return q
    }

    /// Parses ASCII decimal text (`-12.34`, `+5`, `.5`, `1.5e3`) into a decimal whose scale is
    /// the number of fractional digits written (never negative). Nil when not a number or when
    /// it has more than 38 digits.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalValue? {
        var i = 0
        let n = bytes.count
        while i < n && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
        var end = n
        while end > i && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        guard i < end else { return nil }
        var negative = false
        if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var value: Int128 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var seenDigit = false
        while i < end {
            let c = bytes[i]
            if c >= 0x30 && c <= 0x39 {
                seenDigit = true
                if digits > 0 || c != 0x30 { digits += 1 }
                guard digits <= 38 else { return nil }
                value = value * 10 + Int128(c - 0x30)
                if seenPoint { scale += 1 }
            } else if c == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                break
            } else {
                return nil
            }
            i += 1
        }
        guard seenDigit else { return nil }
        if i < end {
            // Exponent.
            i += 1
            var expNeg = false
            if i < end && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                expNeg = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exp = 0
            var any = false
            while i < end {
                let c = bytes[i]
                guard c >= 0x30 && c <= 0x39, exp < 1000 else { return nil }
                exp = exp * 10 + Int(c - 0x30)
                any = true
                i += 1
            }
            guard any else { return nil }
            scale += expNeg ? exp : -exp
            if scale < 0 {
                guard let v = rescale(value, from: 0, to: -scale) else { return nil }
                value = v
                scale = 0
            }
            guard scale <= 38 else { return nil }
        }
        return DecimalValue(unscaled: negative ? -value : value, scale: scale)
    }

    /// Renders an unscaled value with exactly `scale` fractional digits.
    public static func format(_ v: Int128, scale: Int) -> String {
        let negative = v < 0
        var digits = String(v.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            let idx = digits.index(digits.endIndex, offsetBy: -scale)
            digits = digits[..<idx] + "." + digits[idx...]
        }
        return negative ? "-" + digits : digits
    }

    /// The number of decimal digits of |v| (0 has one digit).
    public static func digitCount(_ v: Int128) -> Int {
        let m = v.magnitude
        var d = 1
        while d < 39 && m >= UInt128(pow10[d]) { d += 1 }
        return d
    }
}
