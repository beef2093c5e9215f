/// Walks JSON text in place: finds the value a path names and skips values, without building
/// any objects. Every read is checked against the end; malformed text makes the walk fail (nil).
struct JSONScanner {
    let b: UnsafeRawBufferPointer
    var i: Int
    let end: Int

    init(_ b: UnsafeRawBufferPointer, start: Int, end: Int) {
        self.b = b
        i = start
        self.end = end
    }

    // The loops below work on local copies of the position and the bytes, so that they stay in
    // registers instead of being stored back to the scanner on every byte.

    @inline(__always) mutating func skipSpace() {
        let bytes = b
        var j = i
        while j < end {
            let c = bytes[j]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { j += 1 } else { break }
        }
        i = j
    }

    /// Skips a string whose opening quote is at `i`; returns the range between the quotes and
    /// whether it holds escapes.
    @inline(__always) mutating func skipString() -> (start: Int, end: Int, escaped: Bool)? {
        let bytes = b
        let stop = end
        let start = i + 1
        var j = start
        var escaped = false
        // Eight bytes at a time up to the first quote or backslash (most strings have neither
        // before their end), then byte by byte from there.
        if let base = bytes.baseAddress {
            while j + 8 <= stop {
                let w = UInt64(littleEndian: (base + j).loadUnaligned(as: UInt64.self))
                let found = ByteMask.equal(w, 0x2222_2222_2222_2222) | ByteMask.equal(w, 0x5C5C_5C5C_5C5C_5C5C)
                if found != 0 {
                    j += found.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
        }
        while j < stop {
            let c = bytes[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                return (start, j, escaped)
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                j += 2
                continue
            }
            j += 1
        }
        i = j
        return nil
    }

    /// Skips the value at `i` (no space before it): strings and bare tokens (numbers, literals)
    /// inline, objects and arrays through `skipValue`; false on malformed text.
    @inline(__always) mutating func skipMemberValue() -> Bool {
        guard i < end else { return false }
        let c = b[i]
        if c == UInt8(ascii: "\"") { return skipString() != nil }
        if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { return skipValue() }
        return skipBareToken()
    }

    /// Skips a bare token (a number or literal) at `i`: every byte up to a delimiter; false when
    /// it is empty.
    @inline(__always) mutating func skipBareToken() -> Bool {
        let bytes = b
        let start = i
        var j = i
        // Digits first (most bare values are numbers), then any byte up to a delimiter.
        while j < end && bytes[j] &- 0x30 < 10 { j += 1 }
        while j < end {
            let c = bytes[j]
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x20
                || c == 0x0A || c == 0x0D || c == 0x09 { break }
            j += 1
        }
        i = j
        return j > start
    }

    /// Skips one value of any kind; false on malformed text.
    mutating func skipValue() -> Bool {
        skipSpace()
        guard i < end else { return false }
        switch b[i] {
        case UInt8(ascii: "\""): return skipString() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < end {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    guard skipString() != nil else { return false }
                    continue
                }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 {
                        i += 1
                        return true
                    }
                }
                i += 1
            }
            return false
        default:
            return skipBareToken()
        }
    }

    /// Moves to the value of member `name` of the object at `i`; false when absent or malformed.
    mutating func enterField(_ name: [UInt8]) -> Bool {
        name.withUnsafeBufferPointer { enterField($0) }
    }

    /// Moves to the value of member `name` of the object at `i`; false when absent or malformed.
    mutating func enterField(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        skipSpace()
        guard i < end, b[i] == UInt8(ascii: "{") else { return false }
        i += 1
        while true {
            skipSpace()
            guard i < end else { return false }
            if b[i] == UInt8(ascii: "}") { return false }
            guard b[i] == UInt8(ascii: "\""), let key = skipString() else { return false }
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            if keyEquals(key, name) {
                skipSpace()
                return true
            }
            guard skipValue() else { return false }
            skipSpace()
            guard i < end else { return false }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            return false
        }
    }

    @inline(__always)
    func keyEquals(_ key: (start: Int, end: Int, escaped: Bool), _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if key.escaped {
            return JSONText.unescape(b, key.start, key.end).elementsEqual(name)
        }
        guard key.end - key.start == name.count else { return false }
        var k = key.start
        for c in name {
            if b[k] != c { return false }
            k += 1
        }
        return true
    }

    /// Moves to element `index` of the array at `i`; false when absent or malformed.
    mutating func enterIndex(_ index: Int) -> Bool {
        skipSpace()
        guard i < end, b[i] == UInt8(ascii: "[") else { return false }
        i += 1
        var n = 0
        while true {
            skipSpace()
            guard i < end, b[i] != UInt8(ascii: "]") else { return false }
            if n == index { return true }
            guard skipValue() else { return false }
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: ",") else { return false }
            i += 1
            n += 1
        }
    }
}

/// JSON text helpers shared by the JSON functions.
enum JSONText {
    /// The bytes of a JSON string body with its escapes resolved.
    static func unescape(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        appendUnescaped(b, start, end, to: &out)
        return out
    }

    /// Appends a JSON string body with its escapes resolved; false on a malformed escape.
    @discardableResult
    static func appendUnescaped(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, to out: inout [UInt8]) -> Bool {
        var i = start
        while i < end {
            let c = b[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < end else { return false }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var code = hex4(b, i, end) else { return false }
                i += 4
                // A surrogate pair makes one scalar.
                if code >= 0xD800 && code < 0xDC00, i + 6 <= end, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u"),
                   let low = hex4(b, i + 2, end), low >= 0xDC00 && low < 0xE000 {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(scalar)).utf8)
            default: out.append(e)
            }
        }
        return true
    }

    /// Whether `appendUnescaped` would accept the string body `b[start..<end]` (every `\\u` has
    /// four hex digits), checked without making the bytes.
    static func escapesAreValid(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end {
            if b[i] != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            guard i + 1 < end else { return false }
            if b[i + 1] == UInt8(ascii: "u") {
                guard hex4(b, i + 2, end) != nil else { return false }
                i += 6
            } else {
                i += 2
            }
        }
        return true
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> UInt32? {
        guard i + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = b[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    /// Appends JSON text with the whitespace outside strings removed (Spark prints nested values
    /// compactly).
    static func appendCompact(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        var i = start
        var inString = false
        while i < end {
            let c = b[i]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\"), i + 1 < end {
                    out.append(b[i + 1])
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
                out.append(c)
            } else if !(c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) {
                out.append(c)
            }
            i += 1
        }
    }
}
