import Columnar
import Testing
@testable import Engine

@Suite struct OptimizerTests {
    private func tables(_ s: Session) throws {
        let a = try temporaryFile("id,name\n1,x\n2,y\n3,z\n")
        let b = try temporaryFile("aid,amount\n1,5\n1,7\n2,1\n")
        try s.read.option("header", "true").schema("id INT, name STRING").csv(a).createOrReplaceTempView("a")
        try s.read.option("header", "true").schema("aid INT, amount INT").csv(b).createOrReplaceTempView("b")
    }

    @Test func commaJoinWithWhereEqualityBecomesAHashJoin() throws {
        let s = testSession()
        try tables(s)
        let cross = LogicalPlan.join(.unresolvedRelation(["a"]), .unresolvedRelation(["b"]), .cross, condition: nil)
        let plan = LogicalPlan.project([.col("name"), .col("amount")],
                                       .filter(.binary(.and, .binary(.equal, .col("id"), .col("aid")),
                                                       .binary(.greater, .col("amount"), .int(2))), cross))
        let df = try s.dataFrame(plan)
        let text = try df.explainString()
        #expect(text.contains("HashJoin inner"))
        #expect(!text.contains("NestedLoopJoin"))
        #expect(try texts(df.orderBy(col("amount"))) == [["x", "5"], ["x", "7"]])
    }

    @Test func filtersMoveBelowJoinsAndUnusedColumnsArePruned() throws {
        let s = testSession()
        try tables(s)
        let join = LogicalPlan.join(.unresolvedRelation(["a"]), .unresolvedRelation(["b"]), .inner,
                                    condition: .binary(.equal, .col("id"), .col("aid")))
        let df = try s.dataFrame(.project([.col("amount")], .filter(.binary(.equal, .col("name"), .string("y")), join)))
        let opt = try QueryExecution(session: s, analyzed: df.plan).optimized()
        let text = opt.treeString()
        // The filter on `name` is applied by the scan of `a`, below the join, which does not output
        // `name` (the filter alone reads it).
        let lines = text.split(separator: "\n")
        let scanLine = try #require(lines.first { $0.contains("PushedFilters: [(name") })
        #expect(scanLine.contains("Relation csv"))
        #expect(!scanLine.components(separatedBy: "PushedFilters")[0].contains("name#"))
        #expect(!lines.contains { $0.contains("Filter (name") })
        #expect(try texts(df) == [["1"]])
    }

    @Test func existsAndInSubqueriesBecomeSemiAndAntiJoins() throws {
        let s = testSession()
        try tables(s)
        let correlated = LogicalPlan.filter(.binary(.equal, .col("aid"), .col("id")), .unresolvedRelation(["b"]))
        let withOrders = try s.dataFrame(.project([.col("name")], .filter(.exists(correlated, negated: false), .unresolvedRelation(["a"]))))
        #expect(try withOrders.explainString().contains("left_semi"))
        #expect(try texts(withOrders.orderBy(col("name"))) == [["x"], ["y"]])
        let without = try s.dataFrame(.project([.col("name")], .filter(.exists(correlated, negated: true), .unresolvedRelation(["a"]))))
        #expect(try texts(without) == [["z"]])
        let inList = try s.dataFrame(.project([.col("name")], .filter(
            .inSubquery(.col("id"), .project([.col("aid")], .filter(.binary(.greater, .col("amount"), .int(4)), .unresolvedRelation(["b"]))),
                        negated: false), .unresolvedRelation(["a"]))))
        #expect(try texts(inList) == [["x"]])
    }

    @Test func correlatedScalarSubqueryBecomesAnAggregateJoin() throws {
        let s = testSession()
        try tables(s)
        // Rows of b whose amount exceeds the average amount of the same aid.
        let avgForAid = LogicalPlan.aggregate(groupBy: [], aggregates: [.call(name: "avg", args: [.col("b2.amount")], distinct: false)],
                                              .filter(.binary(.equal, .col("b2.aid"), .col("b1.aid")),
                                                      .subqueryAlias("b2", .unresolvedRelation(["b"]))))
        let df = try s.dataFrame(.project([.col("b1.amount")], .filter(
            .binary(.greater, .col("b1.amount"), .scalarSubquery(avgForAid)), .subqueryAlias("b1", .unresolvedRelation(["b"])))))
        #expect(try texts(df) == [["7"]])
    }

    @Test func constantsAreFolded() throws {
        let folded = FoldConstants.fold(.binary(.add, .int(2), .binary(.multiply, .int(3), .int(4))))
        #expect(folded == .literal(.int(14), .int32))
        let date = FoldConstants.fold(.call(name: "add_months", args: [Expr.date("1994-01-01")!, .int(3)], distinct: false))
        #expect(date == .literal(.date(DateTimeUtil.daysFromCivil(year: 1994, month: 4, day: 1)), .date))
    }
}

@Suite struct NotInTests {
    @Test func notInWithANullInTheSubqueryKeepsNoRows() throws {
        let s = testSession()
        let outer = try s.createDataFrame([[.int(1)], [.int(2)], [.null]], schema: Schema([Field("x", .int32)]))
        outer.createOrReplaceTempView("o")
        let clean = try s.createDataFrame([[.int(1)]], schema: Schema([Field("y", .int32)]))
        clean.createOrReplaceTempView("clean")
        let withNull = try s.createDataFrame([[.int(1)], [.null]], schema: Schema([Field("y", .int32)]))
        withNull.createOrReplaceTempView("withnull")
        func notIn(_ table: String) throws -> [[String]] {
            try texts(s.dataFrame(.project([.col("x")], .filter(
                .inSubquery(.col("x"), .project([.col("y")], .unresolvedRelation([table])), negated: true),
                .unresolvedRelation(["o"])))))
        }
        // NULL NOT IN (1) is unknown, so only 2 remains; anything NOT IN (1, NULL) is unknown.
        #expect(try notIn("clean") == [["2"]])
        #expect(try notIn("withnull") == [])
    }
}
