#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQL LIKE matching on UTF-8 bytes (`%` any sequence, `_` one character, `\` escapes).
///
/// The pattern is compiled once into literal segments separated by `%`; a segment may hold
/// `_` wildcards. Matching is greedy-leftmost per segment, which is exact for `%`-separated
/// patterns.
public struct LikeMatcher: Sendable {
    /// One element of a segment: a literal byte or `_`.
    enum Atom: Equatable, Sendable { case byte(UInt8), any }
    let segments: [[Atom]]
    /// The segments as plain bytes, laid out in one buffer, when no segment holds `_` and matching
    /// is case-sensitive: then matching is prefix, suffix and substring search with `memchr` /
    /// `memcmp`, through pointers (no array retained per row).
    let literals: FlatLiterals?
    let anchoredStart: Bool
    let anchoredEnd: Bool
    let caseInsensitive: Bool

    /// Compiles a pattern.
    public init(pattern: [UInt8], caseInsensitive: Bool = false, escape: UInt8 = UInt8(ascii: "\\")) {
        var segs: [[Atom]] = [[]]
        var i = 0
        while i < pattern.count {
            let c = pattern[i]
            if c == escape && i + 1 < pattern.count {
                segs[segs.count - 1].append(.byte(caseInsensitive ? Self.lower(pattern[i + 1]) : pattern[i + 1]))
                i += 2
                continue
            }
            if c == UInt8(ascii: "%") {
                segs.append([])
            } else if c == UInt8(ascii: "_") {
                segs[segs.count - 1].append(.any)
            } else {
                segs[segs.count - 1].append(.byte(caseInsensitive ? Self.lower(c) : c))
            }
            i += 1
        }
        anchoredStart = true
        anchoredEnd = true
        segments = segs
        self.caseInsensitive = caseInsensitive
        if caseInsensitive || segs.contains(where: { $0.contains(.any) }) {
            literals = nil
        } else {
            literals = FlatLiterals(segs.map { $0.map { if case let .byte(b) = $0 { return b }; return 0 } })
        }
    }

    @inlinable static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 32 : c }

    /// Whether segment `seg` matches at byte `pos`; returns the end position or -1.
    func matchSegment(_ seg: [Atom], _ d: UnsafeBufferPointer<UInt8>, _ pos: Int, _ end: Int) -> Int {
        var p = pos
        for atom in seg {
            guard p < end else { return -1 }
            switch atom {
            case .any:
                p += 1
                while p < end && d[p] & 0xC0 == 0x80 { p += 1 }
            case let .byte(b):
                let x = caseInsensitive ? Self.lower(d[p]) : d[p]
                if x != b { return -1 }
                p += 1
            }
        }
        return p
    }

    /// Whether `d[start..<end]` matches.
    public func matches(_ d: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let literals else { return matchesSegments(d, start, end) }
        return literals.bytes.withUnsafeBufferPointer { p in
            literals.bounds.withUnsafeBufferPointer { b in Self.matchesFlat(p, b, d, start, end) }
        }
    }

    /// Matching atom by atom: the general path (`_` wildcards, case-insensitive patterns).
    func matchesSegments(_ d: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        if segments.count == 1 { return matchSegment(segments[0], d, start, end) == end }
        // First segment anchored at the start.
        var pos = matchSegment(segments[0], d, start, end)
        if pos < 0 { return false }
        // Middle segments: leftmost occurrence.
        for k in 1..<(segments.count - 1) {
            let seg = segments[k]
            if seg.isEmpty { continue }
            var found = -1
            var p = pos
            while p + seg.count <= end {
                let r = matchSegment(seg, d, p, end)
                if r >= 0 {
                    found = r
                    break
                }
                p += 1
            }
            if found < 0 { return false }
            pos = found
        }
        // Last segment anchored at the end (after `pos`).
        let last = segments[segments.count - 1]
        if last.isEmpty { return true }
        // Try the latest start whose match ends exactly at `end`.
        var p = end - last.count
        while p >= pos {
            if matchSegment(last, d, p, end) == end { return true }
            // `_` may span several bytes; earlier starts can still end at `end`.
            p -= 1
        }
        return false
    }

    /// `c LIKE pattern` for every row.
    public func apply(_ c: ColumnVector, negated: Bool) -> ColumnVector {
        guard case let .bytes(offsets, data) = c.storage else { return ColumnVector.nulls(.boolean, count: c.count) }
        let bits = data.withUnsafeBufferPointer { d in
            offsets.withUnsafeBufferPointer { o -> Bitmap in
                guard let literals else {
                    return makeBitmap(count: c.count) { i in matchesSegments(d, Int(o[i]), Int(o[i + 1])) != negated }
                }
                let anchor = Self.anchorSegment(literals.bounds)
                return literals.bytes.withUnsafeBufferPointer { p in
                    literals.bounds.withUnsafeBufferPointer { b in
                        // A middle segment to search for: one scan over all the values' bytes.
                        if let anchor { return Self.scanBuffer(p, b, anchor: anchor, d, o, count: c.count, negated: negated) }
                        return makeBitmap(count: c.count) { i in Self.matchesFlat(p, b, d, Int(o[i]), Int(o[i + 1])) != negated }
                    }
                }
            }
        }
        return ColumnVector(type: .boolean, count: c.count, storage: .boolean(bits), validity: c.validity)
    }

    /// Plain segments in one byte buffer, each at `bytes[bounds[k].start..<bounds[k].end]`.
    struct FlatLiterals: Sendable {
        var bytes: [UInt8] = []
        var bounds: [(start: Int, end: Int)] = []

        init(_ segments: [[UInt8]]) {
            for segment in segments {
                bounds.append((bytes.count, bytes.count + segment.count))
                bytes += segment
            }
        }
    }

    /// Matching plain segments (at least one): the first is a prefix, the last a suffix after
    /// everything before it, the middle ones are found leftmost in order.
    @inline(__always)
    static func matchesFlat(_ pattern: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeBufferPointer<(start: Int, end: Int)>,
                            _ d: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard let base = d.baseAddress, let p = pattern.baseAddress else {
            // No bytes on one side: a pattern without bytes matches anything when it holds a `%`,
            // else only the empty string; one with bytes cannot match values that have none.
            return pattern.isEmpty && (bounds.count > 1 || end == start)
        }
        let first = bounds[0]
        let firstCount = first.end - first.start
        if bounds.count == 1 {
            return end - start == firstCount && (firstCount == 0 || memcmp(base + start, p + first.start, firstCount) == 0)
        }
        guard end - start >= firstCount, firstCount == 0 || memcmp(base + start, p + first.start, firstCount) == 0 else { return false }
        var pos = start + firstCount
        var k = 1
        while k < bounds.count - 1 {
            let segment = bounds[k]
            let m = segment.end - segment.start
            if m > 0 {
                guard let found = find(p + segment.start, m, base, pos, end) else { return false }
                pos = found + m
            }
            k += 1
        }
        let last = bounds[bounds.count - 1]
        let lastCount = last.end - last.start
        guard end - pos >= lastCount else { return false }
        return lastCount == 0 || memcmp(base + end - lastCount, p + last.start, lastCount) == 0
    }

    /// The leftmost position of the `m`-byte needle (m > 0) in `base[from..<end]`.
    @inline(__always)
    static func find(_ needle: UnsafePointer<UInt8>, _ m: Int, _ base: UnsafePointer<UInt8>, _ from: Int, _ end: Int) -> Int? {
        let head = Int32(needle[0])
        var p = from
        while end - p >= m {
            guard let hit = memchr(base + p, head, end - p - m + 1) else { return nil }
            let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
            if m == 1 || memcmp(base + at + 1, needle + 1, m - 1) == 0 { return at }
            p = at + 1
        }
        return nil
    }

    /// True when `d[s..<e]` starts with `needle`.
    @inlinable public static func hasPrefix(_ d: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
                                            _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard e - s >= needle.count else { return false }
        for k in 0..<needle.count where d[s + k] != needle[k] { return false }
        return true
    }

    /// True when `d[s..<e]` ends with `needle`.
    @inlinable public static func hasSuffix(_ d: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
                                            _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard e - s >= needle.count else { return false }
        let base = e - needle.count
        for k in 0..<needle.count where d[base + k] != needle[k] { return false }
        return true
    }

    /// The first position of `needle` in `d[s..<e]`, or -1.
    @inlinable public static func find(_ d: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
                                       _ needle: UnsafeBufferPointer<UInt8>) -> Int {
        let m = needle.count
        if m == 0 { return s }
        guard e - s >= m else { return -1 }
        let first = needle[0]
        var p = s
        while p <= e - m {
            if d[p] == first {
                var ok = true
                for k in 1..<m where d[p + k] != needle[k] {
                    ok = false
                    break
                }
                if ok { return p }
            }
            p += 1
        }
        return -1
    }
}
