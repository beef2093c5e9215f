import CTributary
import Testing
@testable import Columnar

/// The whole-buffer LIKE kernel (`LikeMatcher.scanBuffer`) and the vectorised substring search under it
/// must agree with the atom-by-atom matcher and a naive search on every input: hits that run across two
/// values, empty values, nulls, multi-byte characters, and needles at the very ends of the buffer.
@Suite struct LikeBufferScanTests {
    /// The first position of `needle` in `hay`, by trying every start.
    static func naiveFind(_ hay: [UInt8], _ needle: [UInt8]) -> Int {
        if needle.isEmpty { return 0 }
        guard hay.count >= needle.count else { return -1 }
        for p in 0...(hay.count - needle.count) where Array(hay[p..<(p + needle.count)]) == needle { return p }
        return -1
    }

    @Test func everySearchMethodAgreesWithTheNaiveSearch() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("abcab".utf8)
        for _ in 0..<3000 {
            // Lengths around the 16- and 32-byte blocks, so that the vector loops and their tails both run.
            let hay = (0..<Int.random(in: 0...100, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let needle = (0..<Int.random(in: 1...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let expected = Self.naiveFind(hay, needle)
            for kind in Int32(1)...3 {
                let found = hay.withUnsafeBufferPointer { h in
                    needle.withUnsafeBufferPointer { n in
                        // A zero-length array may have no storage: hand in a valid address all the same.
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { spare in
                            tributary_find_bytes_kind(h.baseAddress ?? UnsafePointer(spare.baseAddress!), Int64(hay.count),
                                                      n.baseAddress!, Int64(needle.count), kind)
                        }
                    }
                }
                #expect(found == Int64(expected), "kind \(kind): \(needle) in \(hay)")
            }
        }
    }

    @Test func aNeedleEndingAtTheLastByteIsFound() {
        // 64 bytes of filler and the needle flush against the end: the last vector block must reach it.
        for fill in 0..<70 {
            let hay = [UInt8](repeating: UInt8(ascii: "x"), count: fill) + Array("special".utf8)
            let needle = Array("special".utf8)
            for kind in Int32(1)...3 {
                let found = hay.withUnsafeBufferPointer { h in
                    needle.withUnsafeBufferPointer { tributary_find_bytes_kind(h.baseAddress!, Int64(hay.count), $0.baseAddress!, 7, kind) }
                }
                #expect(found == Int64(fill), "kind \(kind), \(fill) bytes before")
            }
        }
    }

    /// A string column of `texts` whose offsets start past 0 (as a slice's may), nulls where `nulls` says.
    static func column(_ texts: [[UInt8]], nulls: [Bool]) -> ColumnVector {
        var offsets: [Int32] = [3]
        var data: [UInt8] = Array("pre".utf8)
        for t in texts {
            data += t
            offsets.append(Int32(data.count))
        }
        data += Array("post".utf8)
        let validity = nulls.contains(true) ? Bitmap(nulls.map { !$0 }) : nil
        return ColumnVector(type: .string, count: texts.count, storage: .bytes(offsets: offsets, data: data), validity: validity)
    }

    @Test func columnScanAgreesWithTheGeneralMatcher() {
        var rng = SystemRandomNumberGenerator()
        // Multi-byte characters (é is two bytes, 😀 four) and bytes the patterns use.
        let pieces: [[UInt8]] = ["a", "b", "ab", "é", "😀", "x"].map { Array($0.utf8) }
        let patternPieces: [[UInt8]] = ["a", "b", "ab", "é", "😀", "%", "%", "ba"].map { Array($0.utf8) }
        var scanned = 0
        for _ in 0..<1500 {
            var pattern = (0..<Int.random(in: 0...5, using: &rng)).flatMap { _ in patternPieces.randomElement(using: &rng)! }
            // Half the patterns between `%`s, so that most of those have a middle segment to search for.
            if Bool.random(using: &rng) { pattern = [UInt8(ascii: "%")] + pattern + [UInt8(ascii: "%")] }
            let matcher = LikeMatcher(pattern: pattern)
            guard let literals = matcher.literals else { continue }
            if LikeMatcher.anchorSegment(literals.bounds) != nil { scanned += 1 }
            let rows = Int.random(in: 0...90, using: &rng)
            let maxPieces = Int.random(in: 0...12, using: &rng)
            let texts = (0..<rows).map { _ in
                (0..<Int.random(in: 0...maxPieces, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
            }
            let nulls = (0..<rows).map { _ in Int.random(in: 0..<8, using: &rng) == 0 }
            let c = Self.column(texts, nulls: nulls)
            for negated in [false, true] {
                let result = matcher.apply(c, negated: negated)
                guard case let .boolean(bits) = result.storage else {
                    Issue.record("not a boolean column")
                    continue
                }
                #expect(bits.count == rows)
                for (i, t) in texts.enumerated() {
                    #expect(result.validity.map { $0[i] } ?? true == !nulls[i])
                    if nulls[i] { continue }
                    let general = t.withUnsafeBufferPointer { matcher.matchesSegments($0, 0, t.count) }
                    #expect(bits[i] == (general != negated),
                            "\(String(decoding: t, as: UTF8.self)) LIKE \(String(decoding: pattern, as: UTF8.self))")
                }
                // No bit is set past the last row (NOT LIKE starts from all ones).
                #expect(bits.popcount <= rows)
            }
        }
        #expect(scanned > 300)
    }

    @Test func hitsAcrossTwoValuesDoNotCount() {
        // "spe" + "cial": the bytes "special" run across the boundary, and neither value holds it.
        let c = Self.column([Array("xxspe".utf8), Array("cialxx".utf8), [], Array("a special b".utf8), []],
                            nulls: [false, false, false, false, false])
        guard case let .boolean(like) = LikeMatcher(pattern: Array("%special%".utf8)).apply(c, negated: false).storage,
              case let .boolean(notLike) = LikeMatcher(pattern: Array("%special%".utf8)).apply(c, negated: true).storage
        else {
            Issue.record("not a boolean column")
            return
        }
        #expect((0..<5).map { like[$0] } == [false, false, false, true, false])
        #expect((0..<5).map { notLike[$0] } == [true, true, true, false, true])
    }

    @Test func anchorIsTheLongestMiddleSegment() {
        func anchor(_ p: String) -> Int? { LikeMatcher.anchorSegment(LikeMatcher(pattern: Array(p.utf8)).literals!.bounds) }
        #expect(anchor("%special%requests%") == 2)
        #expect(anchor("%green%") == 1)
        #expect(anchor("a%b%c") == 1)
        #expect(anchor("PROMO%") == nil)
        #expect(anchor("%BRASS") == nil)
        #expect(anchor("%%") == nil)
        #expect(anchor("abc") == nil)
    }
}
