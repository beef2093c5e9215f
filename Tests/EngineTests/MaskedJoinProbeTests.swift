import Columnar
import Testing
@testable import Engine

/// Hash joins probing through a filter with the failing rows masked instead of copied out
/// (`MaskedJoinProbe`): every join type keeps exactly the rows of the filtered input.
@Suite struct MaskedJoinProbeTests {
    /// `dim` (ids 1…4 and a null id) and `fact` (`rows` rows: ref = i % 6 or null every 11th,
    /// qty = i % 7, seq = i), in batches of 16 rows.
    private func session(rows: Int = 200) throws -> Session {
        let s = testSession(batchRows: 16)
        let dim = try s.createDataFrame([[.int(1), .string("a")], [.int(2), .string("b")], [.int(3), .string("c")],
                                         [.int(4), .string("d")], [.null, .string("e")]],
                                        schema: Schema([Field("id", .int32), Field("name", .string)]))
        dim.createOrReplaceTempView("dim")
        var factRows: [[Scalar]] = []
        for i in 0..<rows {
            factRows.append([i % 11 == 0 ? .null : .int(Int64(i % 6)), .int(Int64(i % 7)), .int(Int64(i))])
        }
        try s.createDataFrame(factRows, schema: Schema([Field("ref", .int32), Field("qty", .int32), Field("seq", .int32)]))
            .createOrReplaceTempView("fact")
        return s
    }

    /// The fact rows (ref, qty, seq) of `rows` rows.
    private func facts(_ rows: Int = 200) -> [(ref: Int?, qty: Int, seq: Int)] {
        (0..<rows).map { i in (i % 11 == 0 ? nil : i % 6, i % 7, i) }
    }

    private let names = [1: "a", 2: "b", 3: "c", 4: "d"]

    /// `fact` under `qty <op> k`, the probe side of joins with `dim`.
    private func filteredFact(_ cond: Expr) -> LogicalPlan { .filter(cond, .unresolvedRelation(["fact"])) }

    /// The hash join nearest the top of a physical plan.
    private func hashJoin(_ op: any PhysicalOperator) -> HashJoinExec? {
        if let j = op as? HashJoinExec { return j }
        for c in op.children { if let j = hashJoin(c) { return j } }
        return nil
    }

    private func physical(_ s: Session, _ df: DataFrame) throws -> any PhysicalOperator {
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        return try PhysicalPlanner(context: s.makeContext(), session: s).plan(optimized)
    }

    private func bySeq(_ rows: [[String]]) -> [[String]] { rows.sorted { (Int($0[0]) ?? -1) < (Int($1[0]) ?? -1) } }

    /// Conditions keeping most rows (masked) and few rows (copied) of every batch.
    private let filters: [(cond: Expr, keeps: (Int) -> Bool)] = [
        (.binary(.notEqual, .col("qty"), .int(3)), { $0 != 3 }),
        (.binary(.equal, .col("qty"), .int(3)), { $0 == 3 }),
        (.binary(.greater, .col("qty"), .int(9)), { _ in false }),
    ]

    @Test func innerJoinKeepsOnlyPassingRows() throws {
        let s = try session()
        for (cond, keeps) in filters {
            let df = try s.dataFrame(.project([.col("seq"), .col("name")], .join(
                filteredFact(cond), .unresolvedRelation(["dim"]), .inner, condition: .binary(.equal, .col("ref"), .col("id")))))
            let join = try #require(hashJoin(try physical(s, df)))
            #expect(MaskedJoinProbe.filter(below: join.left, keys: join.leftKeys) != nil)
            let want = facts().filter { keeps($0.qty) && names[$0.ref ?? -1] != nil }.map { [String($0.seq), names[$0.ref!]!] }
            #expect(bySeq(try texts(df)) == want)
        }
    }

    @Test func leftJoinPadsOnlyPassingRowsWithoutAMatch() throws {
        let s = try session()
        for (cond, keeps) in filters {
            let df = try s.dataFrame(.project([.col("seq"), .col("name")], .join(
                filteredFact(cond), .unresolvedRelation(["dim"]), .left, condition: .binary(.equal, .col("ref"), .col("id")))))
            let want = facts().filter { keeps($0.qty) }.map { [String($0.seq), names[$0.ref ?? -1] ?? "NULL"] }
            #expect(bySeq(try texts(df)) == want)
        }
    }

    @Test func semiAndAntiJoinsKeepOnlyPassingRows() throws {
        let s = try session()
        for (cond, keeps) in filters {
            for anti in [false, true] {
                let sub = LogicalPlan.filter(.binary(.equal, .col("id"), .col("ref")), .unresolvedRelation(["dim"]))
                let df = try s.dataFrame(.project([.col("seq")], .filter(.exists(sub, negated: anti), filteredFact(cond))))
                let want = facts().filter { keeps($0.qty) && (names[$0.ref ?? -1] != nil) != anti }.map { [String($0.seq)] }
                #expect(bySeq(try texts(df)) == want)
            }
        }
    }

    @Test func emptyProbeInputGivesNoRows() throws {
        let s = try session(rows: 0)
        let df = try s.dataFrame(.project([.col("seq"), .col("name")], .join(
            filteredFact(.binary(.notEqual, .col("qty"), .int(3))), .unresolvedRelation(["dim"]), .inner,
            condition: .binary(.equal, .col("ref"), .col("id")))))
        #expect(try texts(df) == [])
    }

    @Test func keysThatMayFailOnFilteredRowsAreNotProbedUnfiltered() throws {
        let division = Expr.binary(.divide, .col("seq"), .col("qty"))
        let s = try session()
        let df = try s.dataFrame(.project([.col("seq")], .join(
            filteredFact(.binary(.notEqual, .col("qty"), .int(0))), .unresolvedRelation(["dim"]), .inner,
            condition: .binary(.equal, division, .col("id")))))
        let join = try #require(hashJoin(try physical(s, df)))
        #expect(MaskedJoinProbe.filter(below: join.left, keys: join.leftKeys) == nil)
        #expect(!(try texts(df)).isEmpty)
    }
}
