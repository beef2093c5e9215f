/// Character (code point) positions in UTF-8 bytes, as Spark counts them.
enum UTF8Text {
    /// True for the first byte of a character.
    @inline(__always) static func isLead(_ b: UInt8) -> Bool { b & 0xC0 != 0x80 }

    /// The number of characters.
    static func charCount<C: Collection>(_ b: C) -> Int where C.Element == UInt8 {
        var k = 0
        for x in b where isLead(x) { k += 1 }
        return k
    }

    /// The index just past the first `chars` characters (or the end).
    static func index(_ b: ArraySlice<UInt8>, afterChars chars: Int) -> Int {
        var i = b.startIndex, k = 0
        while i < b.endIndex && k < chars {
            i += 1
            while i < b.endIndex && !isLead(b[i]) { i += 1 }
            k += 1
        }
        return i
    }

    /// The byte index of the first occurrence of `needle` at or after `from`, or nil.
    static func find(_ needle: ArraySlice<UInt8>, in hay: ArraySlice<UInt8>, from: Int) -> Int? {
        if needle.isEmpty { return from <= hay.endIndex ? from : nil }
        guard hay.endIndex - from >= needle.count, let first = needle.first else { return nil }
        var i = from
        let last = hay.endIndex - needle.count
        while i <= last {
            if hay[i] == first && hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// The byte index of the last occurrence of `needle` that starts before `before`, or nil.
    static func findLast(_ needle: ArraySlice<UInt8>, in hay: ArraySlice<UInt8>, before: Int) -> Int? {
        guard !needle.isEmpty else { return nil }
        var i = min(before, hay.endIndex) - needle.count
        while i >= hay.startIndex {
            if hay[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i -= 1
        }
        return nil
    }

    /// The code points of a string's bytes (invalid sequences become U+FFFD).
    static func scalars(_ b: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        Array(String(decoding: b, as: UTF8.self).unicodeScalars)
    }
}
