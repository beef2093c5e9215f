/// A minimal JSON-lines reader: each line is one object whose top-level fields become
/// columns. Nested objects and arrays are kept as their JSON text (strings) until nested types
/// exist.
enum JSONValue {
    case null
    case bool(Bool)
    /// An integer literal that fits Int64.
    case int(Int64)
    /// Any other number.
    case number(Double)
    case string([UInt8])
    /// A nested object or array, as raw JSON text.
    case raw([UInt8])
}

/// Errors with the byte offset (within the line) where parsing stopped.
struct JSONLineError: Error {
    let offset: Int
    let message: String
}

struct JSONLineParser {
    let b: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int

    init(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        self.b = b
        i = start
        self.end = end
    }

    mutating func skipSpace() {
        while i < end && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A) { i += 1 }
    }

    func fail(_ m: String) -> JSONLineError { JSONLineError(offset: i, message: m) }

    /// Calls `field(name, value)` for each top-level member of the object on this line.
    mutating func parseObject(_ field: ([UInt8], JSONValue) throws -> Void) throws {
        skipSpace()
        guard i < end, b[i] == UInt8(ascii: "{") else { throw fail("expected '{'") }
        i += 1
        skipSpace()
        if i < end && b[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: "\"") else { throw fail("expected a field name") }
            let name = try parseString()
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            try field(name, try parseValue())
            skipSpace()
            guard i < end else { throw fail("unterminated object") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; break }
            throw fail("expected ',' or '}'")
        }
        skipSpace()
        if i < end { throw fail("unexpected text after the object") }
    }

    mutating func parseValue() throws -> JSONValue {
        guard i < end else { throw fail("expected a value") }
        switch b[i] {
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let start = i
            try skipNested()
            return .raw(Array(b[start..<i]))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            let start = i
            while i < end, let c = Optional(b[i]), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { i += 1 }
            let text = UnsafeBufferPointer(rebasing: b[start..<i])
            if text.isEmpty { throw fail("unexpected character") }
            if let v = TextParsingBridge.int(text) { return .int(v) }
            if let d = TextParsingBridge.double(text) { return .number(d) }
            throw fail("malformed number")
        }
    }

    mutating func literal(_ word: String) throws {
        for c in word.utf8 {
            guard i < end, b[i] == c else { throw fail("expected \(word)") }
            i += 1
        }
    }

    mutating func skipNested() throws {
        var depth = 0
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                _ = try parseString()
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { i += 1; return }
            }
            i += 1
        }
        throw fail("unterminated nested value")
    }

    mutating func parseString() throws -> [UInt8] {
        i += 1
        var out: [UInt8] = []
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") { i += 1; return out }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < end else { break }
                let e = b[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= end, let code = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                        throw fail("malformed \\u escape")
                    }
                    i += 4
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(e)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        throw fail("unterminated string")
    }
}

import Columnar

/// Number parsing shared with the CSV reader.
enum TextParsingBridge {
    static func int(_ t: UnsafeBufferPointer<UInt8>) -> Int64? { TextParsing.parseInt64(t) }
    static func double(_ t: UnsafeBufferPointer<UInt8>) -> Double? { TextParsing.parseDouble(t) }
}
