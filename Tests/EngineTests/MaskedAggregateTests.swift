import Columnar
import Testing
@testable import Engine

/// An aggregate over a filter that keeps most rows folds whole batches with a mask of the
/// passing rows (`MaskedAggregateInput`); answers must be those of aggregating only the
/// passing rows: no group made of skipped rows only, nulls still ignored, counts exact.
@Suite struct MaskedAggregateTests {
    /// Rows (i, g = i mod 4 or 9 when i mod 50 == 7, v = i or null every sixth row, s = "k\(i mod 3)"), cached in memory.
    private func table(_ session: Session, rows n: Int) throws -> DataFrame {
        var text = "i,g,v,s\n"
        for i in 0..<n { text += "\(i),\(i % 50 == 7 ? 9 : i % 4),\(i % 6 == 0 ? "" : String(i)),k\(i % 3)\n" }
        return try session.read.option("header", "true").schema("i INT, g INT, v BIGINT, s STRING")
            .csv(try temporaryFile(text)).cache()
    }

    /// The aggregate of the physical plan of `df`.
    private func aggregate(_ df: DataFrame) throws -> HashAggregateExec? {
        let physical = try PhysicalPlanner(context: df.session.makeContext(), session: df.session)
            .plan(try QueryExecution(session: df.session, analyzed: df.plan).optimized())
        var found: HashAggregateExec?
        func walk(_ op: any PhysicalOperator) {
            if let a = op as? HashAggregateExec { found = a }
            op.children.forEach(walk)
        }
        walk(physical)
        return found
    }

    /// Keeps rows with i mod 50 != 7 (98%): the rows of group 9 are all skipped.
    private func expected(rows n: Int, key: (Int) -> String) -> [[String]] {
        var groups: [String: (sum: Int, count: Int, rows: Int, min: Int?, max: Int?)] = [:]
        for i in 0..<n where i % 50 != 7 {
            var e = groups[key(i), default: (0, 0, 0, nil, nil)]
            e.rows += 1
            if i % 6 != 0 {
                e.sum += i * 2
                e.count += 1
                e.min = Swift.min(e.min ?? i, i)
                e.max = Swift.max(e.max ?? i, i)
            }
            groups[key(i)] = e
        }
        return groups.keys.sorted().map { k in
            let e = groups[k]!
            return [k, String(e.sum), String(e.count), String(e.rows), e.min.map(String.init) ?? "NULL", e.max.map(String.init) ?? "NULL"]
        }
    }

    private func query(_ df: DataFrame, by key: Column) throws -> DataFrame {
        try df.filter(col("i") % 50 != 7)
            .groupBy(key)
            .agg(F.sum(col("v") * 2).alias("s2"), F.count(col("v")).alias("c"), F.count(col("*")).alias("n"),
                 F.min(col("v")).alias("lo"), F.max(col("v")).alias("hi"))
            .orderBy(key)
    }

    @Test func integerKeysSkipTheFilteredRows() throws {
        let session = testSession(batchRows: 64)
        let n = 1000
        let df = try query(try table(session, rows: n), by: col("g"))
        let agg = try aggregate(df)
        let filter = agg?.child as? FilterProjectExec
        #expect(filter != nil && agg.map { a in filter.map { MaskedAggregateInput.canSkipRows(a, below: $0) } ?? false } == true)
        // Group 9 exists only in skipped rows, so it must not appear.
        #expect(try texts(df) == expected(rows: n) { String($0 % 4) })
    }

    @Test func stringKeysGatherInsteadAndAgree() throws {
        let session = testSession(batchRows: 64)
        let n = 1000
        let df = try query(try table(session, rows: n), by: col("s"))
        #expect(try texts(df) == expected(rows: n) { "k\($0 % 3)" })
    }

    @Test func globalAggregateOverMaskedBatches() throws {
        let session = testSession(batchRows: 64)
        let n = 700
        let df = try table(session, rows: n).filter(col("i") % 50 != 7)
            .agg(F.sum(col("v")).alias("s"), F.count(col("*")).alias("n"), F.avg(col("v")).alias("a"))
        let kept = (0..<n).filter { $0 % 50 != 7 }
        let values = kept.filter { $0 % 6 != 0 }
        let sum = values.reduce(0, +)
        let rows = try df.collect()
        #expect(rows.count == 1)
        #expect(rows.first?.values[0] == .int(Int64(sum)))
        #expect(rows.first?.values[1] == .int(Int64(kept.count)))
        #expect(rows.first?.values[2] == .double(Double(sum) / Double(values.count)))
    }

    @Test func filtersThatKeepFewRowsOrNoneStillGather() throws {
        let session = testSession(batchRows: 64)
        let few = try table(session, rows: 400).filter(col("i") < 30).groupBy(col("g")).agg(F.count(col("*")).alias("n"))
            .orderBy(col("g"))
        // i < 30: groups i mod 4, except row 7 in group 9.
        #expect(try texts(few) == [["0", "8"], ["1", "8"], ["2", "7"], ["3", "6"], ["9", "1"]])
        let none = try table(session, rows: 400).filter(col("i") < 0).groupBy(col("g")).agg(F.count(col("*")).alias("n"))
        #expect(try none.count() == 0)
    }

    @Test func onlyFunctionsThatIgnoreNullsAndTotalExpressionsQualify() {
        let a = Expr.attribute(Attribute(name: "a", type: .int64))
        #expect(MaskedAggregateInput.neverFails(.binary(.multiply, a, .binary(.subtract, .literal(.int(1), .int64), a))))
        #expect(!MaskedAggregateInput.neverFails(.binary(.divide, a, a)))
        #expect(!MaskedAggregateInput.neverFails(.call(name: "upper", args: [a], distinct: false)))
        var mask = Bitmap(count: 70, value: false)
        mask[3] = true
        mask[69] = true
        var codes = (0..<70).map { UInt64($0) }
        MaskedAggregateInput.redirectSkippedKeys(&codes, mask)
        #expect(codes == (0..<70).map { $0 == 69 ? 69 : 3 })
        let column = ColumnVector(type: .int64, count: 70, storage: .int64((0..<70).map { Int64($0) }), validity: nil)
        let masked = MaskedAggregateInput.nullingSkipped(column, mask)
        #expect((0..<70).filter { !masked.isNull($0) } == [3, 69])
    }
}
