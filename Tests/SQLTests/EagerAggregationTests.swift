import Columnar
import Engine
import Testing
@testable import SQL

/// `PushAggregateBelowJoins`: an aggregate whose functions read one join input is computed partly
/// on that input, and the answers equal those of the plan without the rule (which the setting
/// `tributary.sql.eagerAggregation.enabled=false` gives) — with duplicate keys on the other side,
/// nulls, inputs that become empty, outer joins and every decomposable function.
@Suite("Eager aggregation")
struct EagerAggregationTests {
    /// `dim` (id, name): ids 1…4 with id 2 twice (names b and b2) and a null id; `fact` (ref, v, d):
    /// `rows` rows, ref = i % 7 (5 and 6 match nothing), v = i % 11 (null every 4th row), d = v / 4.
    private func session(rows: Int = 300, batchRows: Int = 8) throws -> Session {
        let s = Session(config: SessionConfig(workerCount: 2, batchRows: batchRows))
        let dim: [[Scalar]] = [[.int(1), .string("a")], [.int(2), .string("b")], [.int(2), .string("b2")],
                               [.int(3), .string("c")], [.int(4), .string("d")], [.null, .string("n")]]
        try s.createDataFrame(dim, schema: Schema([Field("id", .int32), Field("name", .string)]))
            .createOrReplaceTempView("dim")
        var fact: [[Scalar]] = []
        for i in 0..<rows {
            let v: Scalar = i % 4 == 0 ? .null : .int(Int64(i % 11))
            let d: Scalar = i % 4 == 0 ? .null : .double(Double(i % 11) / 4)
            fact.append([.int(Int64(i % 7)), v, d])
        }
        try s.createDataFrame(fact, schema: Schema([Field("ref", .int32), Field("v", .int64), Field("d", .float64)]))
            .createOrReplaceTempView("fact")
        return s
    }

    /// The number of aggregates below a join in the optimized plan.
    private func partialAggregates(_ s: Session, _ sql: String) throws -> Int {
        let plan = try QueryExecution(session: s, analyzed: try s.sql(sql).plan).optimized()
        func count(_ p: LogicalPlan, belowJoin: Bool) -> Int {
            var n = 0
            if case .aggregate = p, belowJoin { n += 1 }
            let joined: Bool
            if case .join = p { joined = true } else { joined = belowJoin }
            for c in p.children { n += count(c, belowJoin: joined) }
            return n
        }
        return count(plan, belowJoin: false)
    }

    private func rows(_ s: Session, _ sql: String) throws -> [String] {
        try s.sql(sql).collect().map { $0.values.map(\.description).joined(separator: "|") }.sorted()
    }

    /// The answer with and without the rule, and whether it fired.
    private func compare(_ s: Session, _ sql: String) throws -> (with: [String], without: [String], fired: Bool) {
        _ = try s.sql("SET tributary.sql.eagerAggregation.enabled=true").collect()
        let fired = try partialAggregates(s, sql) > 0
        let with = try rows(s, sql)
        _ = try s.sql("SET tributary.sql.eagerAggregation.enabled=false").collect()
        #expect(try partialAggregates(s, sql) == 0)
        let without = try rows(s, sql)
        return (with, without, fired)
    }

    @Test func everyDecomposableFunctionKeepsItsAnswerWithDuplicateKeysAndNulls() throws {
        let s = try session()
        let sql = """
            SELECT name, sum(v), count(*), count(v), min(v), max(v), avg(v), avg(d), sum(d), \
            sum(CAST(v AS DECIMAL(10,2))) FROM fact JOIN dim ON ref = id GROUP BY name
            """
        let r = try compare(s, sql)
        #expect(r.fired)
        #expect(r.with == r.without)
        // id 2 is in dim twice: groups b and b2 each see every fact row with ref 2.
        var count2 = 0, sum2: Int64 = 0
        for i in 0..<300 where i % 7 == 2 {
            count2 += 1
            if i % 4 != 0 { sum2 += Int64(i % 11) }
        }
        let b = r.with.filter { $0.hasPrefix("b|") || $0.hasPrefix("b2|") }
        #expect(b.count == 2)
        #expect(b.allSatisfy { $0.split(separator: "|")[1] == "\(sum2)" && $0.split(separator: "|")[2] == "\(count2)" })
        // The decimal sum keeps the type it has without the rule: decimal(20,2).
        let types = try s.sql(sql).schema.fields.map(\.type)
        #expect(types[9] == .decimal(precision: 20, scale: 2))
    }

    @Test func aGlobalAggregateOverRowsThatAllFallAwayCountsZero() throws {
        let s = try session()
        let r = try compare(s, "SELECT count(*), count(v), sum(v), min(v), avg(v) FROM fact JOIN dim ON ref = id WHERE v > 1000")
        #expect(r.fired)
        #expect(r.with == r.without)
        #expect(r.with == ["0|0|NULL|NULL|NULL"])
    }

    @Test func groupsWhoseValuesAreAllNullKeepNullSumsAndZeroCounts() throws {
        let s = try session()
        let r = try compare(s, "SELECT name, sum(v), count(v), avg(v), count(*) FROM fact JOIN dim ON ref = id WHERE v IS NULL GROUP BY name")
        #expect(r.fired)
        #expect(r.with == r.without)
        #expect(r.with.contains { $0.hasPrefix("a|NULL|0|NULL|") })
    }

    @Test func theAggregatedInputMayBeThePreservedSideOfAnOuterJoin() throws {
        let s = try session()
        let r = try compare(s, "SELECT name, sum(v), count(*) FROM fact LEFT JOIN dim ON ref = id GROUP BY name")
        #expect(r.fired)
        #expect(r.with == r.without)
        // Refs 0, 5 and 6 match nothing and land in the null-named group.
        #expect(r.with.contains { $0.hasPrefix("NULL|") })
    }

    @Test func theNullFilledSideOfAnOuterJoinIsNotAggregatedEarly() throws {
        let s = try session()
        let r = try compare(s, "SELECT name, sum(v), count(v), count(*) FROM dim LEFT JOIN fact ON ref = id GROUP BY name")
        #expect(!r.fired)
        #expect(r.with == r.without)
        #expect(r.with.contains("n|NULL|0|1"))
    }

    @Test func aGroupingExpressionOverBothSidesKeepsItsAnswer() throws {
        let s = try session()
        let r = try compare(s, "SELECT concat(name, CAST(v % 3 AS STRING)) AS g, sum(ref), count(*) FROM fact JOIN dim ON ref = id GROUP BY g")
        #expect(r.with == r.without)
        #expect(!r.with.isEmpty)
    }

    @Test func distinctAndNonDecomposableAggregatesStayAbove() throws {
        let s = try session()
        for sql in ["SELECT name, count(DISTINCT v) FROM fact JOIN dim ON ref = id GROUP BY name",
                    "SELECT name, stddev(v) FROM fact JOIN dim ON ref = id GROUP BY name",
                    "SELECT name, avg(CAST(v AS DECIMAL(10,2))) FROM fact JOIN dim ON ref = id GROUP BY name"] {
            let r = try compare(s, sql)
            #expect(!r.fired, "\(sql)")
            #expect(r.with == r.without)
        }
    }

    @Test func batchBoundariesDoNotChangeTheAnswer() throws {
        for batchRows in [1, 3, 1024] {
            let s = try session(rows: 1000, batchRows: batchRows)
            let r = try compare(s, "SELECT name, sum(v), count(*), max(d) FROM fact JOIN dim ON ref = id GROUP BY name")
            #expect(r.fired)
            #expect(r.with == r.without)
        }
    }
}
