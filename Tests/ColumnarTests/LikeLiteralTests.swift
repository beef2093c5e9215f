import Testing
@testable import Columnar

/// Patterns without `_` take the memchr / memcmp path; it must agree with the atom-by-atom
/// matcher on every input.
@Suite struct LikeLiteralTests {
    @Test func literalPathAgreesWithTheGeneralMatcher() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab%".utf8)
        let textAlphabet: [UInt8] = Array("abc".utf8)
        var checked = 0
        for _ in 0..<3000 {
            let pattern = (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let matcher = LikeMatcher(pattern: pattern)
            #expect(matcher.literals != nil)
            for _ in 0..<8 {
                let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in textAlphabet.randomElement(using: &rng)! }
                // Embed the text inside a larger buffer so start/end offsets are exercised.
                let buffer = Array("zz".utf8) + text + Array("zz".utf8)
                buffer.withUnsafeBufferPointer { d in
                    let fast = matcher.matches(d, 2, 2 + text.count)
                    let general = matcher.matchesSegments(d, 2, 2 + text.count)
                    #expect(fast == general, "\(String(decoding: text, as: UTF8.self)) LIKE \(String(decoding: pattern, as: UTF8.self))")
                }
                checked += 1
            }
        }
        #expect(checked == 24000)
    }

    @Test func columnApplyAgreesWithTheGeneralMatcher() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("ab%".utf8)
        for _ in 0..<500 {
            let pattern = (0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let matcher = LikeMatcher(pattern: pattern)
            // Some columns hold only empty strings (no data bytes at all).
            let maxLength = Int.random(in: 0...6, using: &rng)
            let texts = (0..<16).map { _ in (0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in Array("abc".utf8).randomElement(using: &rng)! } }
            var offsets: [Int32] = [0]
            var data: [UInt8] = []
            for t in texts {
                data += t
                offsets.append(Int32(data.count))
            }
            let column = ColumnVector(type: .string, count: texts.count, storage: .bytes(offsets: offsets, data: data), validity: nil)
            for negated in [false, true] {
                guard case let .boolean(bits) = matcher.apply(column, negated: negated).storage else {
                    Issue.record("not a boolean column")
                    continue
                }
                for (i, t) in texts.enumerated() {
                    let general = t.withUnsafeBufferPointer { matcher.matchesSegments($0, 0, t.count) }
                    #expect(bits[i] == (general != negated), "\(String(decoding: t, as: UTF8.self)) LIKE \(String(decoding: pattern, as: UTF8.self))")
                }
            }
        }
    }

    @Test func wildcardsAndCaseInsensitivePatternsKeepTheGeneralPath() {
        #expect(LikeMatcher(pattern: Array("a_c%".utf8)).literals == nil)
        #expect(LikeMatcher(pattern: Array("abc%".utf8), caseInsensitive: true).literals == nil)
        #expect(LikeMatcher(pattern: Array("a\\_c%".utf8)).literals != nil)
    }

    @Test func emptyValuesAndPatterns() {
        let empty: [UInt8] = []
        empty.withUnsafeBufferPointer { d in
            #expect(LikeMatcher(pattern: Array("%".utf8)).matches(d, 0, 0))
            #expect(LikeMatcher(pattern: []).matches(d, 0, 0))
            #expect(!LikeMatcher(pattern: Array("a%".utf8)).matches(d, 0, 0))
        }
    }
}
