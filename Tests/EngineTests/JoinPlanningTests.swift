import Columnar
import Testing
@testable import Engine

/// Plan shapes chosen from estimates (derived filters, the side a semi join hashes, reduced
/// aggregate inputs) and the answers they must keep.
@Suite struct JoinPlanningTests {
    /// `small` (ids 1…4, names a…d) and `big` (`rows` rows: ref = i % 10, qty = i % 7).
    private func tables(_ s: Session, rows: Int = 300) throws {
        let small = try s.createDataFrame([[.int(1), .string("a")], [.int(2), .string("b")], [.int(3), .string("c")],
                                           [.int(4), .string("d")]],
                                          schema: Schema([Field("id", .int32), Field("name", .string)]))
        small.createOrReplaceTempView("small")
        var bigRows: [[Scalar]] = []
        for i in 0..<rows {
            let row: [Scalar] = [.int(Int64(i % 10)), .int(Int64(i % 7)), .int(Int64(i))]
            bigRows.append(row)
        }
        let big = try s.createDataFrame(bigRows, schema: Schema([Field("ref", .int32), Field("qty", .int32), Field("seq", .int32)]))
        big.createOrReplaceTempView("big")
    }

    /// Filters sitting directly on a leaf relation of the optimized plan.
    private func leafFilters(_ plan: LogicalPlan) -> [Expr] {
        var out: [Expr] = []
        func walk(_ p: LogicalPlan) {
            if case let .filter(c, child) = p, child.children.isEmpty { out.append(c) }
            p.children.forEach(walk)
        }
        walk(plan)
        return out
    }

    @Test func disjunctionAcrossJoinInputsYieldsAFilterOnEachInput() throws {
        let s = testSession()
        try tables(s)
        let branch1 = Expr.binary(.and, .binary(.equal, .col("name"), .string("a")), .binary(.equal, .col("qty"), .int(1)))
        let branch2 = Expr.binary(.and, .binary(.equal, .col("name"), .string("b")), .binary(.equal, .col("qty"), .int(2)))
        let cond = Expr.binary(.and, .binary(.equal, .col("id"), .col("ref")), .binary(.or, branch1, branch2))
        let plan = LogicalPlan.project([.col("name"), .col("seq")], .filter(cond, .join(
            .unresolvedRelation(["small"]), .unresolvedRelation(["big"]), .cross, condition: nil)))
        let df = try s.dataFrame(plan)
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        let filters = leafFilters(optimized).map(\.description)
        #expect(filters.contains { $0.contains("name") && $0.contains(" OR ") && !$0.contains("qty") })
        #expect(filters.contains { $0.contains("qty") && $0.contains(" OR ") && !$0.contains("name") })
        // Rows: ref 1 with qty 1 (i ≡ 1 mod 70) and ref 2 with qty 2 (i ≡ 2 mod 70).
        var expected: [[String]] = []
        for i in 0..<300 {
            if i % 10 == 1 && i % 7 == 1 { expected.append(["a", String(i)]) }
            if i % 10 == 2 && i % 7 == 2 { expected.append(["b", String(i)]) }
        }
        #expect(try texts(df.orderBy(col("seq"))) == expected)
    }

    @Test func aBranchWithoutConditionsOnAnInputDerivesNothingForIt() throws {
        let a = Attribute(name: "a", type: .int32, nullable: true)
        let b = Attribute(name: "b", type: .int32, nullable: true)
        let first = Expr.binary(.and, .binary(.equal, .attribute(a), .int(1)), .binary(.equal, .attribute(b), .int(2)))
        let resolved = Expr.binary(.or, first, .binary(.equal, .attribute(b), .int(3)))
        // b gets `b = 2 OR b = 3`; a gets nothing, as the second branch allows any a.
        #expect(InferFiltersFromDisjunctions.infer(resolved, [[a.id], [b.id]]).map(\.conjuncts.count) == 2)
        let derived = InferFiltersFromDisjunctions.derive(resolved.disjuncts, [a.id])
        #expect(derived == nil)
    }

    @Test func conjunctsCommonToAllBranchesAreNotRepeatedInTheDerivedPredicates() throws {
        let a = Attribute(name: "a", type: .int32, nullable: true)
        let b = Attribute(name: "b", type: .int32, nullable: true)
        let c = Attribute(name: "c", type: .int32, nullable: true)
        func eq(_ x: Attribute, _ v: Int32) -> Expr { .binary(.equal, .attribute(x), .int(v)) }
        let first = Expr.binary(.and, .binary(.and, eq(a, 1), eq(b, 2)), eq(c, 5))
        let second = Expr.binary(.and, .binary(.and, eq(a, 1), eq(b, 3)), eq(c, 6))
        let out = try #require(InferFiltersFromDisjunctions.infer(.binary(.or, first, second), [[a.id, b.id], [c.id]]))
        let parts = out.conjuncts
        // a = 1 once; the remaining OR; b = 2 OR b = 3 for the first input; c = 5 OR c = 6 for the second.
        #expect(parts.count == 4)
        #expect(parts.filter { $0 == eq(a, 1) }.count == 1)
        #expect(parts.contains(.binary(.or, eq(b, 2), eq(b, 3))))
        #expect(parts.contains(.binary(.or, eq(c, 5), eq(c, 6))))
    }

    @Test func equalitiesImpliedAcrossInputsAreAddedOnlyWhereUnstated() throws {
        let c = Attribute(name: "c_nation", type: .int32, nullable: false)
        let s = Attribute(name: "s_nation", type: .int32, nullable: false)
        let n = Attribute(name: "n_nation", type: .int32, nullable: false)
        let wide = Attribute(name: "w_nation", type: .int64, nullable: false)
        let other = Attribute(name: "s_other", type: .int32, nullable: false)
        func eq(_ x: Attribute, _ y: Attribute) -> Expr { .binary(.equal, .attribute(x), .attribute(y)) }
        let ids: [Set<AttributeID>] = [[c.id], [s.id, other.id], [n.id], [wide.id]]
        // c = s and s = n give c = n; nothing else is missing.
        #expect(ReorderJoins.impliedEqualities([eq(c, s), eq(s, n)], ids) == [eq(c, n)])
        #expect(ReorderJoins.impliedEqualities([eq(c, s), eq(s, n), eq(n, c)], ids).isEmpty)
        // Another type, or two columns of one input: no equality is added between them.
        #expect(ReorderJoins.impliedEqualities([eq(c, s), eq(s, wide)], ids).isEmpty)
        #expect(ReorderJoins.impliedEqualities([eq(s, c), eq(c, other)], ids).isEmpty)
        // A step keeps a stated condition on the joined column and drops the implied one.
        let kept = ReorderJoins.droppingRedundant([eq(c, n), eq(s, n)], implied: [eq(c, n)], newIDs: [n.id],
                                                  joinedIDs: [c.id, s.id, other.id])
        #expect(kept == [eq(s, n)])
    }

    @Test func impliedJoinConditionKeepsTheAnswers() throws {
        let s = testSession()
        try tables(s, rows: 60)
        // small.id = big.ref and big.ref = picked.v: small joins picked on id = v, implied.
        try s.createDataFrame([[.int(2)], [.int(3)], [.int(3)]], schema: Schema([Field("v", .int32)]))
            .createOrReplaceTempView("picked")
        let cond = Expr.binary(.and, .binary(.equal, .col("id"), .col("ref")), .binary(.equal, .col("ref"), .col("v")))
        let df = try s.dataFrame(.project([.col("name"), .col("seq")], .filter(cond, .join(.join(
            .unresolvedRelation(["small"]), .unresolvedRelation(["big"]), .cross, condition: nil),
            .unresolvedRelation(["picked"]), .cross, condition: nil))))
        var want: [[String]] = []
        for i in 0..<60 where i % 10 == 2 { want.append(["b", String(i)]) }
        for i in 0..<60 where i % 10 == 3 { want.append(["c", String(i)]); want.append(["c", String(i)]) }
        let got = try texts(df).sorted { ($0[0], Int($0[1]) ?? 0) < ($1[0], Int($1[1]) ?? 0) }
        #expect(got == want)
    }

    @Test func existsOverALargerSubqueryHashesTheOuterSide() throws {
        let s = testSession()
        try tables(s)
        // small rows with a big row of the same ref whose seq is above 80 times the id.
        let correlated = LogicalPlan.filter(.binary(.and, .binary(.equal, .col("ref"), .col("id")),
                                                    .binary(.greater, .col("seq"), .binary(.multiply, .col("id"), .int(80)))),
                                            .unresolvedRelation(["big"]))
        let semi = try s.dataFrame(.project([.col("name")], .filter(.exists(correlated, negated: false),
                                                                      .unresolvedRelation(["small"]))))
        let text = try semi.explainString()
        #expect(text.contains("left_semi build=left"))
        let names = ["a", "b", "c", "d"]
        func hasLater(_ id: Int) -> Bool { (0..<300).contains { (i: Int) -> Bool in i % 10 == id && i > id * 80 } }
        let want: [[String]] = (1...4).filter(hasLater).map { [names[$0 - 1]] }
        #expect(try texts(semi.orderBy(col("name"))) == want)
        let anti = try s.dataFrame(.project([.col("name")], .filter(.exists(correlated, negated: true),
                                                                      .unresolvedRelation(["small"]))))
        #expect(try anti.explainString().contains("left_anti build=left"))
        let wantAnti: [[String]] = (1...4).filter { !hasLater($0) }.map { [names[$0 - 1]] }
        #expect(try texts(anti.orderBy(col("name"))) == wantAnti)
    }

    @Test func aggregateJoinedOnItsKeyAggregatesOnlyTheKeysTheOtherSideHas() throws {
        let s = testSession()
        try tables(s, rows: 700)
        // small rows whose id is below 3 and whose total qty over big rows of that ref exceeds 200.
        let total = LogicalPlan.aggregate(groupBy: [], aggregates: [.call(name: "sum", args: [.col("qty")], distinct: false)],
                                          .filter(.binary(.equal, .col("ref"), .col("id")), .unresolvedRelation(["big"])))
        let df = try s.dataFrame(.project([.col("name"), .col("id")], .filter(
            .binary(.and, .binary(.less, .col("id"), .int(3)), .binary(.greater, .scalarSubquery(total), .int(200))),
            .unresolvedRelation(["small"]))))
        let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
        var reduced = false
        func walk(_ p: LogicalPlan) {
            if case let .aggregate(_, _, .join(_, _, .leftSemi, _)) = p { reduced = true }
            p.children.forEach(walk)
        }
        walk(optimized)
        #expect(reduced)
        var want: [[String]] = []
        for (id, name) in [(1, "a"), (2, "b")] {
            var sum = 0
            for i in 0..<700 where i % 10 == id { sum += i % 7 }
            if sum > 200 { want.append([name, String(id)]) }
        }
        #expect(!want.isEmpty)
        #expect(try texts(df.orderBy(col("id"))) == want)
    }

    @Test func leftJoinWithTheSmallerSideOnTheLeftHashesTheLeftSide() throws {
        let s = testSession()
        try tables(s, rows: 40)
        // Every small row with its big rows of ref = id and qty > 3, or once with nulls.
        let right = LogicalPlan.filter(.binary(.greater, .col("qty"), .int(3)), .unresolvedRelation(["big"]))
        let df = try s.dataFrame(.project([.col("name"), .col("seq")], .join(
            .unresolvedRelation(["small"]), right, .left,
            condition: .binary(.and, .binary(.equal, .col("id"), .col("ref")), .binary(.less, .col("seq"), .int(30))))))
        #expect(try df.explainString().contains("left build=left"))
        var want: [[String]] = []
        for (k, name) in ["a", "b", "c", "d"].enumerated() {
            var seqs: [Int] = []
            for i in 0..<40 where i % 10 == k + 1 && i % 7 > 3 && i < 30 { seqs.append(i) }
            if seqs.isEmpty { want.append([name, "NULL"]) }
            for q in seqs { want.append([name, String(q)]) }
        }
        let got = try texts(df).sorted { (x: [String], y: [String]) -> Bool in
            if x[0] != y[0] { return x[0] < y[0] }
            return (Int(x[1]) ?? -1) < (Int(y[1]) ?? -1)
        }
        #expect(got == want)
    }
}
