import Columnar

/// Spark's functions between text, code points and byte encodings: `ascii`, `chr`, `base64`,
/// `hex`, `url_encode` and their inverses.
enum EncodingFunctions {
    static let all: [String: ScalarFunction] = [
        "ascii": ScalarFunction(1...1, [.string], returns: .int32, ascii),
        "chr": ScalarFunction(1...1, [.int64], returns: .string, chr),
        "char": ScalarFunction(1...1, [.int64], returns: .string, chr),
        "base64": ScalarFunction(1...1, [.binary], returns: .string, base64),
        "unbase64": ScalarFunction(1...1, [.string], returns: .binary, unbase64),
        "hex": ScalarFunction(1...1, [nil], returns: .string, hex),
        "unhex": ScalarFunction(1...1, [.string], returns: .binary, unhex),
        "url_encode": ScalarFunction(1...1, [.string], returns: .string, urlEncode),
        "url_decode": ScalarFunction(1...1, [.string], returns: .string, urlDecode),
    ]

    /// `ascii(str)`: the code point of the first character, 0 for an empty string.
    static func ascii(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        return c.map { row, out in
            out.appendInt(Int64(String(decoding: s[row], as: UTF8.self).unicodeScalars.first?.value ?? 0))
        }
    }

    /// `chr(n)`: the character of code `n mod 256`; empty for a negative `n`.
    static func chr(_ c: ScalarCall) -> ColumnVector {
        let codes = c.ints(0)
        return c.map { row, out in
            let n = codes[row]
            if n < 0 { out.appendBytes(EmptyCollection()); return }
            out.appendString(String(Character(Unicode.Scalar(UInt8(truncatingIfNeeded: n)))))
        }
    }

    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let base64Values: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, ch) in base64Alphabet.enumerated() { t[Int(ch)] = Int8(i) }
        return t
    }()

    /// `base64(bin)`: standard Base64 with padding, on one line.
    static func base64(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        var scratch: [UInt8] = []
        return c.map { row, out in
            scratch.removeAll(keepingCapacity: true)
            let b = Array(s[row])
            var i = 0
            while i + 3 <= b.count {
                let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                for shift in [18, 12, 6, 0] { scratch.append(base64Alphabet[Int(v >> UInt32(shift) & 63)]) }
                i += 3
            }
            let rest = b.count - i
            if rest > 0 {
                let v = UInt32(b[i]) << 16 | (rest > 1 ? UInt32(b[i + 1]) << 8 : 0)
                scratch.append(base64Alphabet[Int(v >> 18 & 63)])
                scratch.append(base64Alphabet[Int(v >> 12 & 63)])
                scratch.append(rest > 1 ? base64Alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
                scratch.append(UInt8(ascii: "="))
            }
            out.appendBytes(scratch)
        }
    }

    /// `unbase64(str)`: the bytes of Base64 text (padding optional, whitespace ignored); an error
    /// for anything else.
    static func unbase64(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0)
        var scratch: [UInt8] = []
        return try c.map { row, out in
            scratch.removeAll(keepingCapacity: true)
            var acc: UInt32 = 0, bits = 0, padding = 0
            for ch in s[row] {
                if ch == UInt8(ascii: " ") || ch == UInt8(ascii: "\n") || ch == UInt8(ascii: "\r") || ch == UInt8(ascii: "\t") { continue }
                if ch == UInt8(ascii: "=") { padding += 1; continue }
                let v = base64Values[Int(ch)]
                guard v >= 0, padding == 0 else {
                    throw EngineError.execution("unbase64: '\(s.string(row).prefix(100))' is not valid Base64")
                }
                acc = acc << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    scratch.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                }
            }
            out.appendBytes(scratch)
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits = Array("0123456789abcdef".utf8)

    /// Appends two hexadecimal digits per byte.
    static func appendHex<C: Collection>(_ bytes: C, to out: inout [UInt8], uppercase: Bool) where C.Element == UInt8 {
        let digits = uppercase ? hexDigits : lowerHexDigits
        out.reserveCapacity(out.count + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
    }

    /// `hex(x)`: a number's 64-bit two's complement in upper-case hexadecimal without leading zeros,
    /// or each byte of a string or binary value as two hexadecimal digits.
    static func hex(_ c: ScalarCall) -> ColumnVector {
        let t = c.args[0].type
        if t == .string || t == .binary {
            let s = c.strings(0)
            var scratch: [UInt8] = []
            return c.map { row, out in
                scratch.removeAll(keepingCapacity: true)
                appendHex(s[row], to: &scratch, uppercase: true)
                out.appendBytes(scratch)
            }
        }
        let v = c.ints(0)
        return c.map { row, out in out.appendString(String(UInt64(bitPattern: v[row]), radix: 16, uppercase: true)) }
    }

    /// `unhex(str)`: the bytes of hexadecimal text (an odd count of digits gets a leading 0); null
    /// when a character is not a hexadecimal digit.
    static func unhex(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        var scratch: [UInt8] = []
        var out = ColumnBuilder(type: .binary, capacity: c.rowCount)
        rows: for row in 0..<c.rowCount {
            if c.anyNull(row) { out.appendNull(); continue }
            scratch.removeAll(keepingCapacity: true)
            let text = s[row]
            var high: UInt8? = text.count % 2 == 1 ? 0 : nil
            for ch in text {
                guard let d = hexValue(ch) else { out.appendNull(); continue rows }
                if let h = high {
                    scratch.append(h << 4 | d)
                    high = nil
                } else {
                    high = d
                }
            }
            out.appendBytes(scratch)
        }
        return out.finish()
    }

    private static func hexValue(_ ch: UInt8) -> UInt8? {
        switch ch {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ch - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return ch - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return ch - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// `url_encode(str)`: `application/x-www-form-urlencoded` in UTF-8: letters, digits and `.-*_`
    /// stay, a space becomes `+`, every other byte `%XX`.
    static func urlEncode(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        var scratch: [UInt8] = []
        return c.map { row, out in
            scratch.removeAll(keepingCapacity: true)
            for b in s[row] {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"),
                     UInt8(ascii: "*"), UInt8(ascii: "_"):
                    scratch.append(b)
                case UInt8(ascii: " "): scratch.append(UInt8(ascii: "+"))
                default:
                    scratch.append(UInt8(ascii: "%"))
                    scratch.append(hexDigits[Int(b >> 4)])
                    scratch.append(hexDigits[Int(b & 15)])
                }
            }
            out.appendBytes(scratch)
        }
    }

    /// `url_decode(str)`: the inverse of `url_encode`; an error for a malformed `%` escape.
    static func urlDecode(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0)
        var scratch: [UInt8] = []
        return try c.map { row, out in
            scratch.removeAll(keepingCapacity: true)
            let b = s[row]
            var i = b.startIndex
            while i < b.endIndex {
                let ch = b[i]
                if ch == UInt8(ascii: "+") {
                    scratch.append(UInt8(ascii: " "))
                } else if ch == UInt8(ascii: "%") {
                    guard i + 2 < b.endIndex, let h = hexValue(b[i + 1]), let l = hexValue(b[i + 2])
                    else {
                        throw EngineError.execution("url_decode: '\(s.string(row).prefix(100))' has a malformed % escape")
                    }
                    scratch.append(h << 4 | l)
                    i += 2
                } else {
                    scratch.append(ch)
                }
                i += 1
            }
            out.appendBytes(scratch)
        }
    }
}
