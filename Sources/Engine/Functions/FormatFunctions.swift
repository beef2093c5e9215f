import Columnar
import Foundation

/// `format_number` (Java's `DecimalFormat` with grouping) and `format_string` / `printf` (Java's
/// `Formatter`: `%s %d %f %e %x %o %c %b %% %n` with argument indexes, flags `-0+ ,`, widths and
/// precisions).
enum FormatFunctions {
    static let all: [String: ScalarFunction] = [
        "format_number": ScalarFunction(2...2, [nil, .int32], returns: .string, formatNumber),
        "format_string": ScalarFunction(1...255, [.string, nil], returns: .string, formatString),
        "printf": ScalarFunction(1...255, [.string, nil], returns: .string, formatString),
    ]

    /// `format_number(x, d)`: `x` rounded half to even to `d` decimals, with thousands separators;
    /// null for d < 0.
    static func formatNumber(_ c: ScalarCall) throws -> ColumnVector {
        guard c.args[0].type.isNumeric else {
            throw EngineError.analysis("format_number needs a number, not \(c.args[0].type)", position: nil)
        }
        let places = c.ints(1)
        return c.map { row, out in
            let d = Int(places[row])
            guard d >= 0, d <= 100 else { out.appendNull(); return }
            let text: String
            switch c.args[0].scalar(at: row) {
            case let .decimal(v):
                let drop = v.scale - d
                let unscaled = drop > 0 ? MathFunctions.halfEven(v.unscaled, dropping: drop) : v.unscaled * DecimalParsing.pow10[min(38, -drop)]
                text = DecimalParsing.format(unscaled, scale: d)
            case let .int(v):
                text = d == 0 ? String(v) : String(v) + "." + String(repeating: "0", count: d)
            case let .double(v):
                // C's %f rounds the exact binary value half to even, as DecimalFormat does.
                guard v.isFinite else { text = v.isNaN ? "NaN" : (v > 0 ? "∞" : "-∞"); break }
                text = String(format: "%.\(d)f", v)
            default:
                text = ""
            }
            out.appendString(grouped(text))
        }
    }

    /// Inserts a comma every three digits of the integer part of plain decimal text.
    static func grouped(_ text: String) -> String {
        var chars = Array(text)
        let sign = chars.first == "-" ? 1 : 0
        let end = chars.firstIndex(of: ".") ?? chars.count
        var i = end - 3
        while i > sign {
            chars.insert(",", at: i)
            i -= 3
        }
        return String(chars)
    }

    /// `format_string(fmt, args…)`.
    static func formatString(_ c: ScalarCall) throws -> ColumnVector {
        let formats = c.strings(0)
        var out = ColumnBuilder(type: .string, capacity: c.rowCount)
        for row in 0..<c.rowCount {
            if c.args[0].isNull(row) { out.appendNull(); continue }
            let values = (1..<c.args.count).map { (c.args[$0].scalar(at: row), c.args[$0].type) }
            out.appendString(try JavaFormat.format(formats.string(row), values))
        }
        return out.finish()
    }
}

/// The subset of Java's `Formatter` that `format_string` serves.
enum JavaFormat {
    struct Spec {
        var index: Int?
        var flags: Set<Character> = []
        var width: Int?
        var precision: Int?
        var conversion: Character = "s"
    }

    static func format(_ fmt: String, _ args: [(Scalar, DataType)]) throws -> String {
        var result = ""
        let chars = Array(fmt)
        var i = 0
        var nextArg = 0
        while i < chars.count {
            guard chars[i] == "%" else {
                result.append(chars[i])
                i += 1
                continue
            }
            var spec = Spec()
            i += 1
            // %n$ argument index, then flags, width, .precision, conversion.
            var j = i
            while j < chars.count, chars[j].isNumber { j += 1 }
            if j < chars.count, chars[j] == "$", j > i {
                spec.index = Int(String(chars[i..<j]))
                i = j + 1
            }
            while i < chars.count, "-#+ 0,(".contains(chars[i]) {
                spec.flags.insert(chars[i])
                i += 1
            }
            j = i
            while j < chars.count, chars[j].isNumber { j += 1 }
            if j > i { spec.width = Int(String(chars[i..<j])) }
            i = j
            if i < chars.count, chars[i] == "." {
                j = i + 1
                while j < chars.count, chars[j].isNumber { j += 1 }
                spec.precision = Int(String(chars[(i + 1)..<j])) ?? 0
                i = j
            }
            guard i < chars.count else { throw EngineError.execution("format_string: '\(fmt)' ends inside a conversion") }
            spec.conversion = chars[i]
            i += 1
            switch spec.conversion {
            case "%": result += pad("%", spec); continue
            case "n": result += "\n"; continue
            default: break
            }
            let position = spec.index.map { $0 - 1 } ?? nextArg
            if spec.index == nil { nextArg += 1 }
            guard position >= 0, position < args.count else {
                throw EngineError.execution("format_string: '\(fmt)' refers to argument \(position + 1), but there are \(args.count)")
            }
            result += pad(try convert(args[position].0, args[position].1, spec), spec)
        }
        return result
    }

    private static func pad(_ s: String, _ spec: Spec) -> String {
        guard let w = spec.width, s.count < w else { return s }
        let fill = String(repeating: " ", count: w - s.count)
        return spec.flags.contains("-") ? s + fill : fill + s
    }

    private static func convert(_ v: Scalar, _ type: DataType, _ spec: Spec) throws -> String {
        let upper = spec.conversion.isUppercase
        switch Character(spec.conversion.lowercased()) {
        case "s":
            var s = v.isNull ? "null" : v.description
            if let p = spec.precision { s = String(s.prefix(p)) }
            return upper ? s.uppercased() : s
        case "b":
            let s: String
            if case let .boolean(b) = v { s = b ? "true" : "false" } else { s = v.isNull ? "false" : "true" }
            return upper ? s.uppercased() : s
        case "c":
            switch v {
            case .null: return "null"
            case let .int(n):
                guard let u = Unicode.Scalar(UInt32(truncatingIfNeeded: n)) else { throw mismatch(spec, type) }
                return String(Character(u))
            case let .string(s) where s.count == 1: return upper ? s.uppercased() : s
            default: throw mismatch(spec, type)
            }
        case "d":
            if v.isNull { return "null" }
            guard case let .int(n) = v else { throw mismatch(spec, type) }
            return signed(String(n.magnitude), negative: n < 0, spec)
        case "x", "o":
            if v.isNull { return "null" }
            guard case let .int(n) = v else { throw mismatch(spec, type) }
            let bits: UInt64 = type == .int64 ? UInt64(bitPattern: n) : UInt64(UInt32(truncatingIfNeeded: n))
            var s = String(bits, radix: spec.conversion.lowercased() == "x" ? 16 : 8, uppercase: upper)
            if spec.flags.contains("0"), let w = spec.width, s.count < w { s = String(repeating: "0", count: w - s.count) + s }
            return s
        case "h":
            // Java's hash code in hexadecimal: a string's is Spark's Murmur3 of its bytes (seed 42).
            let code: Int32
            switch v {
            case .null: return "null"
            case let .string(s): code = SparkMurmur3.hashBytes(Array(s.utf8), 42)
            case let .int(n): code = type == .int64 ? Int32(truncatingIfNeeded: UInt64(bitPattern: n) ^ (UInt64(bitPattern: n) >> 32)) : Int32(truncatingIfNeeded: n)
            case let .boolean(b): code = b ? 1231 : 1237
            default: throw mismatch(spec, type)
            }
            return String(UInt32(bitPattern: code), radix: 16, uppercase: upper)
        case "f", "e", "g":
            if v.isNull { return "null" }
            let value: DecimalValue
            switch v {
            case let .decimal(d): value = d
            case let .double(x):
                guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity") }
                guard let d = DecimalValue(parsing: "\(x)") else { return String(format: "%.\(spec.precision ?? 6)f", x) }
                value = d
            default: throw mismatch(spec, type)
            }
            var p = spec.precision ?? 6
            if spec.conversion.lowercased() == "g" {
                // Java's %g: p significant digits (at least one), in fixed notation when the rounded
                // magnitude lies in [10^-4, 10^p), else scientific; trailing zeros stay.
                p = max(p, 1)
                let exponent = value.unscaled == 0 ? 0 : scientificExponent(value, p - 1)
                guard exponent >= -4 && exponent < p else {
                    return signed(scientific(value, p - 1, upper), negative: value.unscaled < 0, spec)
                }
                p = p - 1 - exponent
                let r = DecimalParsing.rescale(value.unscaled, from: value.scale, to: p) ?? 0
                return signed(DecimalParsing.format(r < 0 ? -r : r, scale: p), negative: value.unscaled < 0, spec)
            }
            if spec.conversion.lowercased() == "f" {
                let r = DecimalParsing.rescale(value.unscaled, from: value.scale, to: p) ?? 0
                // A negative value keeps its sign even when it rounds to zero, as in Java.
                return signed(DecimalParsing.format(r < 0 ? -r : r, scale: p), negative: value.unscaled < 0, spec)
            }
            return signed(scientific(value, p, upper), negative: value.unscaled < 0, spec)
        default:
            throw EngineError.execution("format_string: the conversion '%\(spec.conversion)' is not supported")
        }
    }

    /// Applies the sign, grouping and zero-padding flags to the digits of a magnitude.
    private static func signed(_ digits: String, negative: Bool, _ spec: Spec) -> String {
        var body = spec.flags.contains(",") ? FormatFunctions.grouped(digits) : digits
        // The `(` flag writes a negative value in parentheses instead of with a minus sign.
        let parenthesized = negative && spec.flags.contains("(")
        let sign = parenthesized ? "(" : negative ? "-" : (spec.flags.contains("+") ? "+" : (spec.flags.contains(" ") ? " " : ""))
        let close = parenthesized ? ")" : ""
        if spec.flags.contains("0"), let w = spec.width, body.count + sign.count + close.count < w {
            body = String(repeating: "0", count: w - body.count - sign.count - close.count) + body
        }
        return sign + body + close
    }

    /// `d.ddddde+xx` with `p` fraction digits, rounded half up.
    private static func scientific(_ v: DecimalValue, _ p: Int, _ upper: Bool) -> String {
        let m = v.unscaled.magnitude
        guard m != 0 else { return "0" + (p > 0 ? "." + String(repeating: "0", count: p) : "") + (upper ? "E+00" : "e+00") }
        let (text, exponent) = roundedDigits(v, p)
        let mantissa = p > 0 ? String(text.prefix(1)) + "." + String(text.dropFirst()) : text
        let e = String(abs(exponent))
        return mantissa + (upper ? "E" : "e") + (exponent < 0 ? "-" : "+") + (e.count < 2 ? "0" + e : e)
    }

    /// The decimal exponent of a non-zero value once rounded to `p + 1` significant digits.
    private static func scientificExponent(_ v: DecimalValue, _ p: Int) -> Int { roundedDigits(v, p).exponent }

    /// The `p + 1` significant digits of a non-zero value, rounded half up, and its exponent.
    private static func roundedDigits(_ v: DecimalValue, _ p: Int) -> (digits: String, exponent: Int) {
        let m = v.unscaled.magnitude
        let digits = String(m)
        var exponent = digits.count - 1 - v.scale
        // Keep p + 1 significant digits.
        var kept = Int128(m)
        let drop = digits.count - (p + 1)
        if drop > 0 {
            kept = DecimalParsing.rescale(kept, from: drop, to: 0) ?? kept
            if String(kept).count > p + 1 {
                kept /= 10
                exponent += 1
            }
        } else if drop < 0 {
            kept *= DecimalParsing.pow10[min(38, -drop)]
        }
        return (String(kept), exponent)
    }

    private static func mismatch(_ spec: Spec, _ type: DataType) -> EngineError {
        .execution("format_string: '%\(spec.conversion)' cannot format a value of type \(type)")
    }
}
