import Testing
@testable import Columnar

/// LIKE, `=` and IN over values where they lie with a gap between them (a Parquet PLAIN page's layout:
/// a 4-byte length before each value) must answer as the kernels over a string column do, whatever the
/// gap bytes hold: hits that start in a gap or run across it, empty values, values at the buffer's ends.
@Suite struct SpacedByteValuesTests {
    /// The values laid out with `gap` filler bytes before each (as a PLAIN page's lengths), and bounds.
    static func spaced(_ values: [[UInt8]], gap: Int, filler: UInt8) -> (bytes: [UInt8], bounds: [Int32]) {
        var bytes: [UInt8] = []
        var bounds: [Int32] = []
        for value in values {
            bytes += [UInt8](repeating: filler, count: gap)
            bounds.append(Int32(bytes.count))
            bytes += value
        }
        bounds.append(Int32(bytes.count + gap))
        return (bytes, bounds)
    }

    static func column(_ values: [[UInt8]]) -> ColumnVector {
        var builder = ColumnBuilder(type: .string, capacity: values.count)
        for value in values { builder.append(.string(String(decoding: value, as: UTF8.self))) }
        return builder.finish()
    }

    static func bits(_ vector: ColumnVector) -> [Bool] {
        guard case let .boolean(bitmap) = vector.storage else { return [] }
        return (0..<vector.count).map { bitmap[$0] }
    }

    @Test func likeEqualityAndInAgreeWithTheColumnKernels() {
        var rng = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("abcsp%".utf8).filter { $0 != UInt8(ascii: "%") }
        let patterns = ["%ab%ca%", "%a%", "ab%", "%ba", "a_c%", "%", "", "abc", "%special%requests%", "%b%b%b%", "_"]
        for round in 0..<400 {
            let count = Int.random(in: 0...40, using: &rng)
            let values: [[UInt8]] = (0..<count).map { _ in
                (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            }
            let column = Self.column(values)
            // Gap bytes that could complete a needle ('a', 'b') as well as bytes that cannot.
            let filler: UInt8 = [UInt8(ascii: "a"), UInt8(ascii: "b"), 0][round % 3]
            for gap in [0, 4] {
                let (bytes, bounds) = Self.spaced(values, gap: gap, filler: filler)
                bytes.withUnsafeBufferPointer { b in
                    bounds.withUnsafeBufferPointer { o in
                        let spacedValues = SpacedByteValues(bytes: b, bounds: o, gap: gap)
                        for pattern in patterns {
                            let matcher = LikeMatcher(pattern: Array(pattern.utf8))
                            for negated in [false, true] {
                                let got = matcher.matches(spacedValues, negated: negated)
                                let want = Self.bits(matcher.apply(column, negated: negated))
                                #expect((0..<count).map { got[$0] } == want, "\(pattern) over \(values), gap \(gap)")
                            }
                        }
                        let needles: [[UInt8]] = [[], Array("ab".utf8), values.first ?? Array("a".utf8)]
                        for needle in needles {
                            for negated in [false, true] {
                                let got = CompareKernel.equalBits(spacedValues, needle, negated: negated)
                                let want = values.map { ($0 == needle) != negated }
                                #expect((0..<count).map { got[$0] } == want)
                            }
                        }
                        for negated in [false, true] {
                            let got = CompareKernel.inListBits(spacedValues, needles, negated: negated)
                            let want = values.map { needles.contains($0) != negated }
                            #expect((0..<count).map { got[$0] } == want)
                        }
                    }
                }
            }
        }
    }
}
