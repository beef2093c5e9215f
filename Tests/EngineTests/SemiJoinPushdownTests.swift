import Columnar
import Testing
@testable import Engine

/// Semi and anti joins (decorrelated `IN` / `EXISTS`) moved below inner joins onto the input
/// they read, and kept above when the join is estimated to leave fewer rows; answers unchanged.
@Suite struct SemiJoinPushdownTests {
    /// `small` (ids 1…4, names a…d, one null id) and `big` (`rows` rows: ref = i % 10, qty = i % 7,
    /// seq = i, every 9th qty null).
    private func tables(_ s: Session, rows: Int = 300) throws {
        let small = try s.createDataFrame([[.int(1), .string("a")], [.int(2), .string("b")], [.int(3), .string("c")],
                                           [.int(4), .string("d")], [.null, .string("e")]],
                                          schema: Schema([Field("id", .int32), Field("name", .string)]))
        small.createOrReplaceTempView("small")
        var bigRows: [[Scalar]] = []
        for i in 0..<rows {
            bigRows.append([.int(Int64(i % 10)), i % 9 == 0 ? .null : .int(Int64(i % 7)), .int(Int64(i))])
        }
        let big = try s.createDataFrame(bigRows, schema: Schema([Field("ref", .int32), Field("qty", .int32), Field("seq", .int32)]))
        big.createOrReplaceTempView("big")
        var pickRows: [[Scalar]] = picks.sorted().map { [.int(Int64($0))] }
        pickRows.append([.null])
        try s.createDataFrame(pickRows, schema: Schema([Field("pick", .int32)])).createOrReplaceTempView("picks")
    }

    /// The values of `picks` (1, 6, 11, … below 200), which also holds a null.
    private let picks = Set(stride(from: 1, to: 200, by: 5))
    private let names = ["a", "b", "c", "d"]

    /// The semi and anti joins of the plan, each with whether its left input is an inner join.
    private func semiJoins(_ plan: LogicalPlan) -> [(type: JoinType, overJoin: Bool)] {
        var out: [(JoinType, Bool)] = []
        func walk(_ p: LogicalPlan) {
            if case let .join(l, _, t, _) = p, t == .leftSemi || t == .leftAnti {
                var overJoin = false
                var input = l
                // Column pruning puts projections between the joins.
                while case let .project(_, c) = input { input = c }
                if case let .join(_, _, lt, _) = input, lt == .inner || lt == .cross { overJoin = true }
                out.append((t, overJoin))
            }
            p.children.forEach(walk)
        }
        walk(plan)
        return out
    }

    /// `select name, seq from small, big where id = ref [and extra] and seq [not] in (select pick from picks)`.
    private func query(_ s: Session, negated: Bool, extra: Expr? = nil) throws -> DataFrame {
        var cond = Expr.binary(.and, .binary(.equal, .col("id"), .col("ref")),
                               .inSubquery(.col("seq"), .project([.col("pick")], .unresolvedRelation(["picks"])),
                                           negated: negated))
        if let extra { cond = .binary(.and, cond, extra) }
        return try s.dataFrame(.project([.col("name"), .col("seq")], .filter(cond, .join(
            .unresolvedRelation(["small"]), .unresolvedRelation(["big"]), .cross, condition: nil))))
    }

    private func sorted(_ rows: [[String]]) -> [[String]] {
        rows.sorted { ($0[0], Int($0[1]) ?? -1) < ($1[0], Int($1[1]) ?? -1) }
    }

    @Test func inSubqueryMovesBelowTheJoinOntoTheInputItReads() throws {
        let s = testSession()
        try tables(s)
        let df = try query(s, negated: false)
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        let semis = semiJoins(optimized)
        #expect(semis.count == 1)
        #expect(semis.allSatisfy { $0.type == .leftSemi && !$0.overJoin })
        var want: [[String]] = []
        for i in 0..<300 where (1...4).contains(i % 10) && picks.contains(i) { want.append([names[i % 10 - 1], String(i)]) }
        #expect(!want.isEmpty)
        #expect(sorted(try texts(df)) == sorted(want))
    }

    @Test func notInWithANullInTheSubqueryKeepsNoRowAfterMoving() throws {
        let s = testSession()
        try tables(s)
        // The subquery holds a null, so `seq NOT IN (…)` is never true.
        let df = try query(s, negated: true)
        #expect(try texts(df) == [])
    }

    @Test func antiJoinBelowTheJoinKeepsTheRowsWithoutAMatch() throws {
        let s = testSession()
        try tables(s)
        // NOT EXISTS (picks where pick = seq - 1): the rows whose seq follows a pick are dropped.
        let correlated = LogicalPlan.filter(.binary(.equal, .col("pick"), .binary(.subtract, .col("seq"), .int(1))),
                                            .unresolvedRelation(["picks"]))
        let cond = Expr.binary(.and, .binary(.equal, .col("id"), .col("ref")), .exists(correlated, negated: true))
        let df = try s.dataFrame(.project([.col("name"), .col("seq")], .filter(cond, .join(
            .unresolvedRelation(["small"]), .unresolvedRelation(["big"]), .cross, condition: nil))))
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        #expect(semiJoins(optimized).map(\.overJoin) == [false])
        var want: [[String]] = []
        for i in 0..<300 where (1...4).contains(i % 10) && !picks.contains(i - 1) {
            want.append([names[i % 10 - 1], String(i)])
        }
        #expect(sorted(try texts(df)) == sorted(want))
    }

    @Test func semiJoinStaysAboveAJoinEstimatedToLeaveFewerRows() throws {
        let s = testSession()
        try tables(s)
        // One small row survives its filter, so the join is estimated far below big's rows.
        let df = try query(s, negated: false, extra: .binary(.equal, .col("name"), .string("a")))
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        #expect(semiJoins(optimized).map(\.overJoin) == [true])
        let want = (0..<300).filter { $0 % 10 == 1 && picks.contains($0) }.map { ["a", String($0)] }
        #expect(!want.isEmpty)
        #expect(sorted(try texts(df)) == sorted(want))
    }

    @Test func semiJoinReadingBothInputsStaysAboveTheJoin() throws {
        let s = testSession()
        try tables(s)
        // EXISTS (picks where pick = seq + id): reads a column of each input.
        let correlated = LogicalPlan.filter(.binary(.equal, .col("pick"), .binary(.add, .col("seq"), .col("id"))),
                                            .unresolvedRelation(["picks"]))
        let cond = Expr.binary(.and, .binary(.equal, .col("id"), .col("ref")), .exists(correlated, negated: false))
        let df = try s.dataFrame(.project([.col("name"), .col("seq")], .filter(cond, .join(
            .unresolvedRelation(["small"]), .unresolvedRelation(["big"]), .cross, condition: nil))))
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        #expect(semiJoins(optimized).map(\.overJoin) == [true])
        var want: [[String]] = []
        for i in 0..<300 where (1...4).contains(i % 10) && picks.contains(i + i % 10) {
            want.append([names[i % 10 - 1], String(i)])
        }
        #expect(!want.isEmpty)
        #expect(sorted(try texts(df)) == sorted(want))
    }
}
