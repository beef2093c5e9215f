import Testing
@testable import Columnar

@Suite struct DecimalTests {
    @Test func parsesAndFormatsAtItsOwnScale() throws {
        let d = try #require(DecimalValue(parsing: "-12.340"))
        #expect(d.unscaled == -12340)
        #expect(d.scale == 3)
        #expect(d.description == "-12.340")
        #expect(DecimalValue(parsing: "0.05")?.description == "0.05")
        #expect(DecimalValue(parsing: "1e3")?.description == "1000")
        #expect(DecimalValue(parsing: "abc") == nil)
        #expect(DecimalValue(parsing: "1.2.3") == nil)
    }

    @Test func rescaleRoundsHalfAwayFromZero() {
        #expect(DecimalParsing.rescale(125, from: 2, to: 1) == 13)
        #expect(DecimalParsing.rescale(-125, from: 2, to: 1) == -13)
        #expect(DecimalParsing.rescale(124, from: 2, to: 1) == 12)
        #expect(DecimalParsing.rescale(5, from: 0, to: 3) == 5000)
    }

    @Test func multiplyKeepsSparkScale() {
        // decimal(15,2) * decimal(16,2) -> decimal(32,4): 10.50 * 0.95 = 9.9750
        let a = ColumnVector(type: .decimal(precision: 15, scale: 2), count: 1, storage: .decimal([1050]), validity: nil)
        let b = ColumnVector(type: .decimal(precision: 16, scale: 2), count: 1, storage: .decimal([95]), validity: nil)
        let r = ArithmeticKernel.apply(.multiply, a, b, resultType: .decimal(precision: 32, scale: 4))
        #expect(r.scalar(at: 0) == .decimal(DecimalValue(unscaled: 99750, scale: 4)))
    }

    @Test func multiplyIsExactAcrossThe64BitEdge() {
        // Operands at and just beyond the 64-bit range take the 64-bit and the 128-bit paths;
        // both give the exact product, and a product beyond 38 digits is null.
        let big = Int128(Int64.max), small = Int128(Int64.min)
        let xs: [Int128] = [big, small, small, big + 1, -big - 2, 999_999_999_999_999_999, DecimalParsing.pow10[30]]
        let ys: [Int128] = [big, small, -1, big, 3, 999_999_999_999_999_999, DecimalParsing.pow10[9]]
        let a = ColumnVector(type: .decimal(precision: 38, scale: 0), count: xs.count, storage: .decimal(xs), validity: nil)
        let b = ColumnVector(type: .decimal(precision: 38, scale: 0), count: ys.count, storage: .decimal(ys), validity: nil)
        let r = ArithmeticKernel.apply(.multiply, a, b, resultType: .decimal(precision: 38, scale: 0))
        for i in 0..<6 {
            #expect(r.scalar(at: i) == .decimal(DecimalValue(unscaled: xs[i] * ys[i], scale: 0)), "row \(i)")
        }
        #expect(r.isNull(6))
        // An 18-digit product that exceeds the result's precision is null, one digit less is not.
        let p = ColumnVector(type: .decimal(precision: 18, scale: 0), count: 2,
                             storage: .decimal([999_999_999_999_999_999, 99_999_999_999_999_999]), validity: nil)
        let ten = ColumnVector(type: .decimal(precision: 2, scale: 0), count: 2, storage: .decimal([10, 10]), validity: nil)
        let q = ArithmeticKernel.apply(.multiply, p, ten, resultType: .decimal(precision: 18, scale: 0))
        #expect(q.isNull(0))
        #expect(q.scalar(at: 1) == .decimal(DecimalValue(unscaled: 999_999_999_999_999_990, scale: 0)))
    }

    @Test func divideRoundsToResultScaleAndNullsDivisionByZero() {
        // 1.00 / 3 at scale 6 = 0.333333; 2.00 / 3 = 0.666667 (half up).
        let a = ColumnVector(type: .decimal(precision: 3, scale: 2), count: 3, storage: .decimal([100, 200, 100]), validity: nil)
        let b = ColumnVector(type: .decimal(precision: 1, scale: 0), count: 3, storage: .decimal([3, 3, 0]), validity: nil)
        let r = ArithmeticKernel.apply(.divide, a, b, resultType: .decimal(precision: 9, scale: 6))
        #expect(r.scalar(at: 0).description == "0.333333")
        #expect(r.scalar(at: 1).description == "0.666667")
        #expect(r.isNull(2))
    }

    @Test func additionOverflowingPrecisionIsNull() {
        let a = ColumnVector(type: .decimal(precision: 2, scale: 0), count: 1, storage: .decimal([99]), validity: nil)
        let r = ArithmeticKernel.apply(.add, a, a, resultType: .decimal(precision: 2, scale: 0))
        #expect(r.isNull(0))
    }
}
