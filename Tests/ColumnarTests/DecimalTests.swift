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
