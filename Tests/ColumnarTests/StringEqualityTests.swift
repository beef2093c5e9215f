import Testing
@testable import Columnar

/// String `=`, `<>` with a constant and `IN` lists of constants take a length-first path; it must agree
/// with the general byte comparison on every input, nulls, empty values and empty constants included.
@Suite struct StringEqualityTests {
    static func column(_ texts: [[UInt8]], nulls: [Bool]) -> ColumnVector {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for t in texts {
            data += t
            offsets.append(Int32(data.count))
        }
        let validity = nulls.contains(true) ? Bitmap(nulls.map { !$0 }) : nil
        return ColumnVector(type: .string, count: texts.count, storage: .bytes(offsets: offsets, data: data), validity: validity)
    }

    /// The bits of a bitmap as an array.
    static func list(_ b: Bitmap) -> [Bool] { (0..<b.count).map { b[$0] } }

    static func bits(_ c: ColumnVector?) -> Bitmap? {
        guard let c, case let .boolean(bits) = c.storage else { return nil }
        return bits
    }

    @Test func equalityAndInListAgreeWithByteComparison() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = ["a", "b", "é", "abcdefgh", "MAIL"].map { Array($0.utf8) }
        func text(_ most: Int) -> [UInt8] {
            (0..<Int.random(in: 0...most, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
        }
        for _ in 0..<800 {
            let rows = Int.random(in: 0...40, using: &rng)
            // Some columns hold only empty values (no data bytes at all).
            let most = Int.random(in: 0...3, using: &rng)
            let texts = (0..<rows).map { _ in text(most) }
            let nulls = (0..<rows).map { _ in Int.random(in: 0..<6, using: &rng) == 0 }
            let c = Self.column(texts, nulls: nulls)
            let constants = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                Bool.random(using: &rng) && !texts.isEmpty ? texts.randomElement(using: &rng)! : text(2)
            }
            let constant = constants[0]
            for op in [ComparisonOp.equal, .notEqual] {
                let result = CompareKernel.compare(c, scalar: .string(String(decoding: constant, as: UTF8.self)), type: .string, op)
                guard let bits = Self.bits(result) else {
                    Issue.record("no boolean result")
                    continue
                }
                for i in 0..<rows where !nulls[i] {
                    #expect(bits[i] == ((texts[i] == constant) == (op == .equal)), "\(texts[i]) \(op) \(constant)")
                }
                #expect(result?.validity.map(Self.list) ?? (0..<rows).map { _ in true } == nulls.map { !$0 })
            }
            let inList = CompareKernel.inList(c, values: constants)
            guard let bits = Self.bits(inList) else {
                Issue.record("no boolean result")
                continue
            }
            for i in 0..<rows where !nulls[i] {
                #expect(bits[i] == constants.contains(texts[i]), "\(texts[i]) IN \(constants)")
            }
            #expect(inList?.validity.map(Self.list) ?? (0..<rows).map { _ in true } == nulls.map { !$0 })
        }
    }

    @Test func emptyConstants() {
        let c = Self.column([[], Array("x".utf8), []], nulls: [false, false, false])
        #expect(Self.bits(CompareKernel.inList(c, values: [[]])).map(Self.list) == [true, false, true])
        let equal = CompareKernel.compare(c, scalar: .string(""), type: .string, .equal)
        #expect(Self.bits(equal).map(Self.list) == [true, false, true])
        let allEmpty = Self.column([[], []], nulls: [false, false])
        let notEqual = CompareKernel.compare(allEmpty, scalar: .string("x"), type: .string, .notEqual)
        #expect(Self.bits(notEqual).map(Self.list) == [true, true])
        #expect(Self.bits(CompareKernel.inList(allEmpty, values: [Array("x".utf8)])).map(Self.list) == [false, false])
    }
}
