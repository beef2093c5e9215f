import Columnar
import Engine
import Testing
@testable import SQL

/// `selectExpr`, `filter(String)` and `where(String)`; expected rows and column names as PySpark 4.0 gives them.
struct DataFrameSQLExpressionTests {
    private func frame() throws -> DataFrame {
        try Session().sql("SELECT * FROM VALUES (1, 'a', 2.5D), (2, 'b', NULL), (3, 'c', 4.0D) AS t(id, name, x)")
    }

    private func rows(_ df: DataFrame) throws -> [[Scalar]] { try df.collect().map(\.values) }

    @Test func selectItemsTakeAliasesWithOrWithoutAs() throws {
        let df = try frame().selectExpr("id * 2 AS twice", "upper(name) n", "x IS NULL AS missing")
        #expect(df.schema.names == ["twice", "n", "missing"])
        #expect(try rows(df) == [[.int(2), .string("A"), .boolean(false)], [.int(4), .string("B"), .boolean(true)],
                                 [.int(6), .string("C"), .boolean(false)]])
    }

    @Test func starKeepsEveryColumn() throws {
        let df = try frame().selectExpr("*", "id + 1 AS next")
        #expect(df.schema.names == ["id", "name", "x", "next"])
        #expect(try rows(df).map { $0[3] } == [.int(2), .int(3), .int(4)])
    }

    @Test func aggregatesAndWindowsMeanWhatTheyMeanInSQL() throws {
        let totals = try frame().selectExpr("count(*)", "sum(id) AS s", "avg(x)")
        #expect(totals.schema.names == ["count(1)", "s", "avg(x)"])
        #expect(try rows(totals) == [[.int(3), .int(6), .double(3.25)]])
        let ranked = try frame().selectExpr("id", "row_number() OVER (ORDER BY id DESC) AS r").orderBy("id")
        #expect(try rows(ranked) == [[.int(1), .int(3)], [.int(2), .int(2)], [.int(3), .int(1)]])
    }

    @Test func conditionsAsText() throws {
        #expect(try rows(try frame().filter("id > 1 AND name <> 'c'")) == [[.int(2), .string("b"), .null]])
        #expect(try rows(try frame().where("x IS NOT NULL").selectExpr("id")) == [[.int(1)], [.int(3)]])
        let derived = try frame().selectExpr("id", "id * 10 AS big").filter("big > 15")
        #expect(try rows(derived) == [[.int(2), .int(20)], [.int(3), .int(30)]])
    }

    @Test func badTextIsAClearError() throws {
        #expect(throws: SQLError.self) { try frame().selectExpr("id +") }
        #expect(throws: SQLError.self) { try frame().filter("id > 1 extra") }
        do {
            _ = try frame().selectExpr("nope + 1")
            Issue.record("an unknown column must fail")
        } catch {
            #expect("\(error)".contains("nope"))
        }
    }
}
