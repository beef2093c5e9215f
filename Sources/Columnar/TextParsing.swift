#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing of text values as Spark reads them from CSV and casts them from strings.
/// All functions work on a byte slice, allocate nothing, and return nil for malformed text.
public enum TextParsing {
    @inlinable static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var s = 0, e = b.count
        while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
        while e > s && (b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D) { e -= 1 }
        return (s, e)
    }

    /// A base-10 integer with optional sign; nil on overflow or any other character.
    ///
    /// Most values in data files are short runs of plain digits (keys, counts): those are read
    /// inline in one loop without overflow checks (eighteen digits cannot overflow); anything
    /// else (a sign, spaces, more digits, a bad byte) goes the general way.
    @inlinable
    public static func parseInt64(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        if n > 0 && n <= 18, let p = b.baseAddress {
            var v: Int64 = 0
            var i = 0
            while i < n {
                let d = p[i] &- 0x30
                if d > 9 { break }
                v = v &* 10 &+ Int64(d)
                i += 1
            }
            if i == n { return v }
        }
        return parseInt64General(b)
    }

    /// `parseInt64` for any text: surrounding spaces and tabs, a sign, and overflow checked.
    @usableFromInline
    static func parseInt64General(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var (i, e) = trimmed(b)
        guard i < e else { return nil }
        var neg = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            neg = b[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < e else { return nil }
        var v: Int64 = 0
        while i < e {
            let d = b[i] &- 0x30
            guard d <= 9 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = neg ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return v
    }

    /// A floating point number (`1.5`, `-2e10`, `NaN`, `Infinity`), via the C library.
    public static func parseDouble(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let (s, e) = trimmed(b)
        let len = e - s
        guard len > 0, len < 512 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: len + 1) { tmp -> Double? in
            for k in 0..<len { tmp[k] = CChar(bitPattern: b[s + k]) }
            tmp[len] = 0
            let base = tmp.baseAddress!
            // Spark spells infinity "Infinity"; strtod accepts it as well as "inf".
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(base, &end)
            guard let end, end == base + len else { return nil }
            // Reject hexadecimal floats that strtod would accept.
            for k in 0..<len where tmp[k] == CChar(UInt8(ascii: "x")) || tmp[k] == CChar(UInt8(ascii: "X")) {
                return nil
            }
            return v
        }
    }

    /// `true` / `false` (any case); also `t`, `f`, `yes`, `no`, `y`, `n`, `1`, `0` as Spark casts.
    public static func parseBool(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        let (s, e) = trimmed(b)
        let len = e - s
        guard len >= 1, len <= 5 else { return nil }
        var word: UInt64 = 0
        for k in s..<e { word = word << 8 | UInt64(b[k] | 0x20) }
        switch word {
        case 0x74_72_75_65, 0x74, 0x79_65_73, 0x79, 0x31 | 0x20: return true  // true t yes y 1
        case 0x66_61_6C_73_65, 0x66, 0x6E_6F, 0x6E, 0x30 | 0x20: return false  // false f no n 0
        default: return nil
        }
    }

    /// A decimal rounded (half up) to `scale`; nil if malformed or wider than `precision`.
    public static func parseDecimal(_ b: UnsafeBufferPointer<UInt8>, precision: Int, scale: Int) -> Int128? {
        guard let d = DecimalParsing.parse(b), let v = DecimalParsing.rescale(d.unscaled, from: d.scale, to: scale)
        else { return nil }
        let limit = DecimalParsing.maxUnscaled(precision: precision)
        return v > limit || v < -limit ? nil : v
    }
}
