/// Formats floating point values the way Spark (Java's `Double.toString` and `Float.toString`)
/// prints them.
public enum DoubleFormatting {
    /// `1.0`, `0.5`, `1.2345678E7`, `1.0E-4`, `NaN`, `Infinity`.
    public static func spark(_ v: Double) -> String { layOut(v) }

    /// A `float` value with the shortest digits that identify it as a `float`: `0.1`, not the
    /// `0.10000000149011612` of the same value widened to a double.
    public static func spark(_ v: Float) -> String { layOut(v) }

    private static func layOut<F: BinaryFloatingPoint & LosslessStringConvertible>(_ v: F) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        if v == 0 { return v.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-tripping digits; take them apart into
        // digits and a decimal exponent, then lay them out as Java does.
        var text = "\(abs(v))"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var intPart = text
        var fracPart = ""
        if let dot = text.firstIndex(of: ".") {
            intPart = String(text[..<dot])
            fracPart = String(text[text.index(after: dot)...])
        }
        var digits = intPart + fracPart
        // Position of the decimal point counted from the start of `digits`.
        var point = intPart.count + exponent
        while digits.count > 1 && digits.hasPrefix("0") {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        let sign = v < 0 ? "-" : ""
        let mag = abs(v)
        if mag >= F(1e-3) && mag < F(1e7) {
            if point <= 0 {
                return sign + "0." + String(repeating: "0", count: -point) + digits
            }
            if point >= digits.count {
                return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
            }
            let idx = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<idx] + "." + digits[idx...]
        }
        let first = digits.prefix(1)
        var rest = String(digits.dropFirst())
        if rest.isEmpty { rest = "0" }
        return sign + first + "." + rest + "E" + String(point - 1)
    }
}
