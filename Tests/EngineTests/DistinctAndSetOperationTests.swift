import Columnar
import Testing
@testable import Engine

@Suite struct DistinctAndSetOperationTests {
    private func frame(_ s: Session, _ values: [Int64?]) throws -> DataFrame {
        try s.createDataFrame(values.map { [$0.map { Scalar.int($0) } ?? .null] }, schema: Schema([Field("x", .int64)]))
    }

    @Test func distinctAggregatesCountEachValueOnceAcrossWorkers() throws {
        // Batches of two rows over two workers: equal values land in different partial tables.
        let s = testSession(batchRows: 2)
        let df = try frame(s, [5, 1, 5, 2, 1, nil, 5, 2])
        let out = try df.agg(F.expr("sum", col("x")), Column(.call(name: "sum", args: [.col("x")], distinct: true)),
                             Column(.call(name: "avg", args: [.col("x")], distinct: true)))
        #expect(try texts(out) == [["21", "8", "2.6666666666666665"]])
    }

    @Test func intersectAllAndExceptAllKeepMultiplicities() throws {
        let s = testSession(batchRows: 2)
        let left = try frame(s, [1, 1, 1, 2, nil, nil, 3])
        let right = try frame(s, [1, 1, nil, 4])
        #expect(try texts(left.intersectAll(right).orderBy(col("x"))) == [["NULL"], ["1"], ["1"]])
        #expect(try texts(left.exceptAll(right).orderBy(col("x"))) == [["NULL"], ["1"], ["2"], ["3"]])
        #expect(try texts(left.subtract(right).orderBy(col("x"))) == [["2"], ["3"]])
    }
}
