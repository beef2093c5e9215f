import Columnar

/// Spark's `encode(str, charset)` and `decode(bin, charset)` between strings and the bytes of
/// one of the seven charsets Spark 4 accepts. Malformed input is an error, as in Spark's default
/// (non-legacy) mode, rather than replacement characters.
enum CharsetFunctions {
    static let all: [String: ScalarFunction] = [
        "encode": ScalarFunction(2...2, [.string, .string], returns: .binary, encode),
        // `decode` with three or more arguments is Spark's CASE-like form, rewritten by the analyzer.
        "decode": ScalarFunction(2...255, [.binary, .string], returns: .string, decode),
    ]

    /// A charset Spark 4 accepts, by its lower-case canonical name.
    enum Charset: String, CaseIterable {
        case usASCII = "us-ascii", latin1 = "iso-8859-1", utf8 = "utf-8", utf16 = "utf-16"
        case utf16BE = "utf-16be", utf16LE = "utf-16le", utf32 = "utf-32"

        init(_ name: ArraySlice<UInt8>, function: String) throws {
            let text = String(decoding: name, as: UTF8.self)
            guard let charset = Charset(rawValue: text.lowercased()) else {
                let expected = Charset.allCases.map(\.rawValue).sorted().joined(separator: ", ")
                throw EngineError.execution("\(function): the charset must be one of \(expected), not '\(text)'")
            }
            self = charset
        }
    }

    static func encode(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0), names = c.strings(1)
        var scratch: [UInt8] = []
        // A constant charset is looked up once, not per row.
        let constant = try c.constant(1).flatMap { v -> Charset? in
            guard case let .string(name) = v else { return nil }
            return try Charset(Array(name.utf8)[...], function: "encode")
        }
        return try c.map { row, out in
            let charset = try constant ?? Charset(names[row], function: "encode")
            if charset == .utf8 { out.appendBytes(s[row]); return }
            scratch.removeAll(keepingCapacity: true)
            if charset == .utf16 { scratch += [0xFE, 0xFF] }  // Java writes a big-endian byte order mark
            for scalar in String(decoding: s[row], as: UTF8.self).unicodeScalars {
                guard append(scalar, as: charset, to: &scratch) else {
                    throw EngineError.execution("encode: the string cannot be written in \(charset.rawValue.uppercased())")
                }
            }
            out.appendBytes(scratch)
        }
    }

    /// Appends one code point in `charset`; false when the charset cannot hold it.
    private static func append(_ scalar: Unicode.Scalar, as charset: Charset, to out: inout [UInt8]) -> Bool {
        let v = scalar.value
        switch charset {
        case .usASCII, .latin1:
            guard v < (charset == .usASCII ? 0x80 : 0x100) else { return false }
            out.append(UInt8(v))
        case .utf8:
            out += Array(String(scalar).utf8)
        case .utf16, .utf16BE, .utf16LE:
            let units: [UInt16] = v < 0x10000 ? [UInt16(v)] : [UInt16(0xD800 + ((v - 0x10000) >> 10)), UInt16(0xDC00 + ((v - 0x10000) & 0x3FF))]
            for u in units {
                if charset == .utf16LE { out += [UInt8(u & 0xFF), UInt8(u >> 8)] } else { out += [UInt8(u >> 8), UInt8(u & 0xFF)] }
            }
        case .utf32:
            out += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        return true
    }

    static func decode(_ c: ScalarCall) throws -> ColumnVector {
        let b = c.strings(0), names = c.strings(1)
        var text = ""
        let constant = try c.constant(1).flatMap { v -> Charset? in
            guard case let .string(name) = v else { return nil }
            return try Charset(Array(name.utf8)[...], function: "decode")
        }
        return try c.map { row, out in
            let charset = try constant ?? Charset(names[row], function: "decode")
            guard decode(b[row], from: charset, into: &text) else {
                throw EngineError.execution("decode: the bytes are not valid \(charset.rawValue.uppercased())")
            }
            out.appendString(text)
        }
    }

    /// Decodes `bytes` into `text`; false when they are malformed in `charset`.
    private static func decode(_ bytes: ArraySlice<UInt8>, from charset: Charset, into text: inout String) -> Bool {
        text = ""
        switch charset {
        case .utf8:
            guard let s = String(validating: bytes, as: UTF8.self) else { return false }
            text = s
        case .usASCII, .latin1:
            if charset == .usASCII && bytes.contains(where: { $0 >= 0x80 }) { return false }
            text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        case .utf16, .utf16BE, .utf16LE:
            guard bytes.count % 2 == 0 else { return false }
            var body = bytes
            var littleEndian = charset == .utf16LE
            if charset == .utf16, body.count >= 2 {
                // A byte order mark picks the order and is not part of the text; big-endian without one.
                let first = body[body.startIndex], second = body[body.startIndex + 1]
                if first == 0xFE && second == 0xFF { body = body.dropFirst(2) }
                else if first == 0xFF && second == 0xFE { body = body.dropFirst(2); littleEndian = true }
            }
            var units: [UInt16] = []
            units.reserveCapacity(body.count / 2)
            var i = body.startIndex
            while i < body.endIndex {
                let a = UInt16(body[i]), b = UInt16(body[i + 1])
                units.append(littleEndian ? b << 8 | a : a << 8 | b)
                i += 2
            }
            guard let s = String(validating: units, as: UTF16.self) else { return false }
            text = s
        case .utf32:
            guard bytes.count % 4 == 0 else { return false }
            var i = bytes.startIndex
            while i < bytes.endIndex {
                let v = UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
                guard let scalar = Unicode.Scalar(v) else { return false }
                text.unicodeScalars.append(scalar)
                i += 4
            }
        }
        return true
    }
}
