import Columnar

/// Spark's functions about the outermost value of JSON text: `json_array_length` and
/// `json_object_keys`. Text that is not an array (an object), or is malformed, gives null; the
/// values inside are checked against JSON's grammar as they are skipped.
enum JSONShapeFunctions {
    static let all: [String: ScalarFunction] = [
        "json_array_length": ScalarFunction(1...1, [.string], returns: .int32, arrayLength),
        "json_object_keys": ScalarFunction(1...1, [.string], returns: .array(element: .string, containsNull: true), objectKeys),
    ]

    static func arrayLength(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        var out = ColumnBuilder(type: .int32, capacity: c.rowCount)
        s.data.withUnsafeBytes { raw in
            for row in 0..<c.rowCount {
                let count = c.anyNull(row) ? nil : elementCount(raw, Int(s.offsets[row]), Int(s.offsets[row + 1]))
                if let count { out.appendInt(Int64(count)) } else { out.appendNull() }
            }
        }
        return out.finish()
    }

    static func objectKeys(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        var out = ColumnBuilder(type: c.resultType, capacity: c.rowCount)
        s.data.withUnsafeBytes { raw in
            for row in 0..<c.rowCount {
                let keys = c.anyNull(row) ? nil : memberNames(raw, Int(s.offsets[row]), Int(s.offsets[row + 1]))
                out.append(keys.map { .array($0.map(Scalar.string)) } ?? .null)
            }
        }
        return out.finish()
    }

    /// The number of elements of the array `raw[start..<end]` starts with; nil when it is not one.
    static func elementCount(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int? {
        var s = JSONScanner(raw, start: start, end: end)
        s.skipSpace()
        guard s.i < end, raw[s.i] == UInt8(ascii: "[") else { return nil }
        s.i += 1
        var count = 0
        while true {
            s.skipSpace()
            guard s.i < end else { return nil }
            if count == 0 && raw[s.i] == UInt8(ascii: "]") { return 0 }
            guard validValue(&s, depth: 0) else { return nil }
            count += 1
            s.skipSpace()
            guard s.i < end else { return nil }
            let c = raw[s.i]
            s.i += 1
            if c == UInt8(ascii: "]") { return count }
            if c != UInt8(ascii: ",") { return nil }
        }
    }

    /// The member names, in order, of the object `raw[start..<end]` starts with; nil when it is not one.
    static func memberNames(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> [String]? {
        var s = JSONScanner(raw, start: start, end: end)
        s.skipSpace()
        guard s.i < end, raw[s.i] == UInt8(ascii: "{") else { return nil }
        s.i += 1
        var names: [String] = []
        while true {
            s.skipSpace()
            guard s.i < end else { return nil }
            if names.isEmpty && raw[s.i] == UInt8(ascii: "}") { return [] }
            guard raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return nil }
            var name: [UInt8] = []
            guard JSONText.appendUnescaped(raw, key.start, key.end, to: &name) else { return nil }
            names.append(String(decoding: name, as: UTF8.self))
            s.skipSpace()
            guard s.i < end, raw[s.i] == UInt8(ascii: ":") else { return nil }
            s.i += 1
            guard validValue(&s, depth: 0) else { return nil }
            s.skipSpace()
            guard s.i < end else { return nil }
            let c = raw[s.i]
            s.i += 1
            if c == UInt8(ascii: "}") { return names }
            if c != UInt8(ascii: ",") { return nil }
        }
    }

    /// The deepest nesting a value may have before the text counts as malformed.
    static let depthMax = 512

    /// Skips one JSON value at the scanner's position, checking its grammar (the scanner's own skip
    /// accepts any bare word and unmatched brackets); false when it is malformed.
    static func validValue(_ s: inout JSONScanner, depth: Int) -> Bool {
        s.skipSpace()
        guard s.i < s.end, depth < depthMax else { return false }
        let c = s.b[s.i]
        switch c {
        case UInt8(ascii: "\""):
            return s.skipString() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            s.i += 1
            s.skipSpace()
            if s.i < s.end && s.b[s.i] == close { s.i += 1; return true }
            while true {
                if close == UInt8(ascii: "}") {
                    s.skipSpace()
                    guard s.i < s.end, s.b[s.i] == UInt8(ascii: "\""), s.skipString() != nil else { return false }
                    s.skipSpace()
                    guard s.i < s.end, s.b[s.i] == UInt8(ascii: ":") else { return false }
                    s.i += 1
                }
                guard validValue(&s, depth: depth + 1) else { return false }
                s.skipSpace()
                guard s.i < s.end else { return false }
                let next = s.b[s.i]
                s.i += 1
                if next == close { return true }
                if next != UInt8(ascii: ",") { return false }
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for word in ["true", "false", "null"] where word.utf8.first == c {
                let bytes = Array(word.utf8)
                guard s.end - s.i >= bytes.count, bytes.indices.allSatisfy({ s.b[s.i + $0] == bytes[$0] }) else { return false }
                s.i += bytes.count
                return true
            }
            return false
        default:
            return validNumber(&s)
        }
    }

    /// `-? digits (. digits)? ([eE] [+-]? digits)?`.
    private static func validNumber(_ s: inout JSONScanner) -> Bool {
        func digits(_ s: inout JSONScanner) -> Bool {
            let start = s.i
            while s.i < s.end && s.b[s.i] &- 0x30 < 10 { s.i += 1 }
            return s.i > start
        }
        if s.i < s.end && s.b[s.i] == UInt8(ascii: "-") { s.i += 1 }
        guard digits(&s) else { return false }
        if s.i < s.end && s.b[s.i] == UInt8(ascii: ".") {
            s.i += 1
            guard digits(&s) else { return false }
        }
        if s.i < s.end && (s.b[s.i] == UInt8(ascii: "e") || s.b[s.i] == UInt8(ascii: "E")) {
            s.i += 1
            if s.i < s.end && (s.b[s.i] == UInt8(ascii: "+") || s.b[s.i] == UInt8(ascii: "-")) { s.i += 1 }
            guard digits(&s) else { return false }
        }
        return true
    }
}
