import Testing
@testable import Columnar

/// The constant forms of the arithmetic kernel must give exactly what the general kernel gives
/// with the constant expanded into a column: same values, same nulls, same overflow handling.
@Suite struct ArithmeticConstantTests {
    private func values(_ c: ColumnVector) -> [Scalar] { (0..<c.count).map { c.scalar(at: $0) } }

    private func column(_ type: DataType, _ raw: [Scalar]) -> ColumnVector {
        var b = ColumnBuilder(type: type)
        for v in raw { b.append(v) }
        return b.finish()
    }

    /// Compares both kernels for every op and both operand orders.
    private func expectSameAsExpanded(_ a: ColumnVector, _ constant: Scalar, _ constantType: DataType,
                                      resultType: (ArithmeticOp) -> DataType) {
        let one = column(constantType, [constant])
        let expanded = ColumnVector.constant(constant, type: constantType, count: a.count)
        for op in [ArithmeticOp.add, .subtract, .multiply] {
            for onLeft in [false, true] {
                let t = resultType(op)
                guard let fast = ArithmeticKernel.apply(op, a, constant: one, constantOnLeft: onLeft, resultType: t) else {
                    continue
                }
                let general = onLeft ? ArithmeticKernel.apply(op, expanded, a, resultType: t)
                    : ArithmeticKernel.apply(op, a, expanded, resultType: t)
                #expect(values(fast) == values(general), "\(op) constantOnLeft=\(onLeft)")
            }
        }
    }

    @Test func integersMatchTheGeneralKernel() {
        let a = column(.int64, [.int(1), .null, .int(-7), .int(Int64.max), .int(Int64.min), .int(0)])
        expectSameAsExpanded(a, .int(3), .int64) { _ in .int64 }
        let b = column(.int32, [.int(1), .null, .int(-7), .int(Int64(Int32.max)), .int(0)])
        expectSameAsExpanded(b, .int(-2), .int32) { _ in .int32 }
    }

    @Test func doublesMatchTheGeneralKernel() {
        let a = column(.float64, [.double(1.5), .null, .double(-0.25), .double(.infinity)])
        expectSameAsExpanded(a, .double(2.5), .float64) { _ in .float64 }
    }

    @Test func decimalsAtMixedScalesMatchTheGeneralKernel() {
        // `1 - discount` and `price * (1 + tax)` as TPC-H writes them: decimal(12,2) against
        // decimal(1,0), results at Spark's result types.
        let discount = column(.decimal(precision: 12, scale: 2), [
            .decimal(DecimalValue(unscaled: 5, scale: 2)), .null, .decimal(DecimalValue(unscaled: -999, scale: 2)),
            .decimal(DecimalValue(unscaled: 99_999_999_999, scale: 2)),
        ])
        expectSameAsExpanded(discount, .decimal(DecimalValue(unscaled: 1, scale: 0)), .decimal(precision: 1, scale: 0)) { op in
            op == .multiply ? .decimal(precision: 14, scale: 2) : .decimal(precision: 13, scale: 2)
        }
    }

    @Test func decimalResultsThatDoNotFitBecomeNull() {
        let big = column(.decimal(precision: 38, scale: 0), [
            .decimal(DecimalValue(unscaled: DecimalParsing.maxUnscaled(precision: 38), scale: 0)),
            .decimal(DecimalValue(unscaled: 5, scale: 0)),
        ])
        let one = column(.decimal(precision: 1, scale: 0), [.decimal(DecimalValue(unscaled: 1, scale: 0))])
        let sum = ArithmeticKernel.apply(.add, big, constant: one, constantOnLeft: false,
                                         resultType: .decimal(precision: 38, scale: 0))
        #expect(sum.map(values) == [.null, .decimal(DecimalValue(unscaled: 6, scale: 0))])
    }

    @Test func formsWithoutAConstantPathAreDeclined() {
        let a = column(.decimal(precision: 10, scale: 0), [.decimal(DecimalValue(unscaled: 3, scale: 0))])
        let c = column(.decimal(precision: 3, scale: 2), [.decimal(DecimalValue(unscaled: 150, scale: 2))])
        // The column would need rescaling row by row: left to the general kernel.
        #expect(ArithmeticKernel.apply(.add, a, constant: c, constantOnLeft: false,
                                       resultType: .decimal(precision: 13, scale: 2)) == nil)
        #expect(ArithmeticKernel.apply(.divide, a, constant: c, constantOnLeft: false,
                                       resultType: .decimal(precision: 20, scale: 6)) == nil)
    }
}

@Suite struct ConstantColumnTests {
    @Test func constantsRepeatTheirValueForEveryType() {
        let cases: [(Scalar, DataType)] = [
            (.int(-3), .int8), (.int(300), .int16), (.int(7), .int32), (.int(Int64.min), .int64), (.date(19000), .date),
            (.double(1.5), .float32), (.double(-2.25), .float64), (.decimal(DecimalValue(unscaled: 12345, scale: 2)), .decimal(precision: 10, scale: 2)),
            (.boolean(true), .boolean), (.boolean(false), .boolean), (.string("abc"), .string), (.null, .int32),
        ]
        for (value, type) in cases {
            let c = ColumnVector.constant(value, type: type, count: 70)
            #expect(c.count == 70 && c.type == type)
            #expect((0..<70).allSatisfy { c.scalar(at: $0) == value }, "\(value) as \(type)")
        }
    }
}
