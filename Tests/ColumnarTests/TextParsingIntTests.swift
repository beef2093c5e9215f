import Testing
@testable import Columnar

/// `TextParsing.parseInt64`'s inline path for short digit runs must agree with the general
/// parser on every text: plain digits, signs, spaces, bad bytes, and the lengths around the
/// eighteen digits the inline path takes.
@Suite struct TextParsingIntTests {
    private func both(_ text: String) -> (Int64?, Int64?) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b in (TextParsing.parseInt64(b), TextParsing.parseInt64General(b)) }
    }

    @Test func edgeCasesAgreeWithTheGeneralParser() {
        let cases: [(String, Int64?)] = [
            ("0", 0), ("7", 7), ("0042", 42), ("123456789012345678", 123_456_789_012_345_678),
            ("999999999999999999", 999_999_999_999_999_999), ("9223372036854775807", Int64.max),
            ("9223372036854775808", nil), ("-9223372036854775808", Int64.min), ("-12", -12), ("+12", 12),
            (" 12", 12), ("12 ", 12), ("12\r", 12), ("", nil), ("-", nil), ("1a", nil), ("a1", nil), ("1.5", nil),
            ("/", nil), (":", nil), ("00000000000000000001", 1),
        ]
        for (text, expected) in cases {
            let (fast, general) = both(text)
            #expect(fast == expected, "parseInt64(\(text))")
            #expect(general == expected, "parseInt64General(\(text))")
        }
    }

    @Test func randomTextsAgreeWithTheGeneralParser() {
        var rng = SplitMix(seed: 0x5EED_1234)
        let alphabet = Array("0123456789000000000-+ ./:".utf8)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 22)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let (fast, general) = bytes.withUnsafeBufferPointer { b in
                (TextParsing.parseInt64(b), TextParsing.parseInt64General(b))
            }
            #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}

/// A small seeded generator, so a failure replays.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
