import Columnar
import Engine
import Testing
@testable import SQL

/// Planning and analysis through `session.sql`, over in-memory views (no execution involved).
@Suite("Planner")
struct PlannerTests {
    private func session() throws -> Session {
        let s = Session(config: SessionConfig(workerCount: 1))
        let people = try s.createDataFrame([[.int(1), .string("ann"), .int(30)], [.int(2), .string("bob"), .null]],
                                           schema: Schema([Field("id", .int32), Field("name", .string), Field("age", .int32)]))
        people.createOrReplaceTempView("people")
        let orders = try s.createDataFrame([[.int(10), .int(1), .decimal(DecimalValue(unscaled: 1250, scale: 2))]],
                                           schema: Schema([Field("oid", .int32), Field("id", .int32),
                                                           Field("amount", .decimal(precision: 15, scale: 2))]))
        orders.createOrReplaceTempView("orders")
        return s
    }

    @Test func projectionNamesAndTypes() throws {
        let df = try session().sql("SELECT id, name AS who, age + 1, upper(name) FROM people WHERE age > 1")
        #expect(df.columns.count == 4)
        #expect(df.columns[0] == "id" && df.columns[1] == "who")
        #expect(df.schema.fields[2].type == .int32)
    }

    @Test func literalTypesFollowSpark() throws {
        let df = try session().sql("SELECT 1, 3000000000, 1.50, 1e2, 'x', DATE '2020-01-02', 2L, true, NULL")
        #expect(df.schema.fields.map(\.type) == [
            .int32, .int64, .decimal(precision: 3, scale: 2), .float64, .string, .date, .int64, .boolean, .null,
        ])
    }

    @Test func aggregatesGroupByHavingOrderBy() throws {
        let df = try session().sql("""
            SELECT name, count(*) AS n, sum(o.amount) AS total
            FROM people p JOIN orders o ON p.id = o.id
            GROUP BY name HAVING count(*) > 0 ORDER BY total DESC LIMIT 5
            """)
        #expect(df.columns == ["name", "n", "total"])
        #expect(df.schema.fields[1].type == .int64)
        #expect(df.schema.fields[2].type == .decimal(precision: 25, scale: 2))
    }

    @Test func usingJoinOutputsTheKeyOnce() throws {
        let df = try session().sql("SELECT * FROM people JOIN orders USING (id)")
        #expect(df.columns == ["id", "name", "age", "oid", "amount"])
        let natural = try session().sql("SELECT * FROM people NATURAL JOIN orders")
        #expect(natural.columns == ["id", "name", "age", "oid", "amount"])
    }

    @Test func ctesWithColumnAliasesAndSubqueries() throws {
        let df = try session().sql("""
            WITH adults (who, years) AS (SELECT name, age FROM people WHERE age >= 18)
            SELECT a.who FROM adults a
            WHERE a.years > (SELECT avg(age) FROM people)
              AND EXISTS (SELECT 1 FROM orders o WHERE o.id = 1)
              AND a.who IN (SELECT name FROM people)
            """)
        #expect(df.columns == ["who"])
        let star = try session().sql("SELECT x.* FROM (SELECT * FROM people) AS x (a, b, c)")
        #expect(star.columns == ["a", "b", "c"])
    }

    @Test func setOperationsAndValues() throws {
        let df = try session().sql("SELECT id FROM people UNION SELECT oid FROM orders EXCEPT SELECT 1")
        #expect(df.columns == ["id"])
        let values = try session().sql("SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(n, s)")
        #expect(values.columns == ["n", "s"])
        #expect(values.schema.fields.map(\.type) == [.int32, .string])
    }

    @Test func windowFunctions() throws {
        let df = try session().sql("""
            SELECT name, row_number() OVER (PARTITION BY age ORDER BY id) AS rn, dense_rank() OVER w AS running
            FROM people WINDOW w AS (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            """)
        #expect(df.columns == ["name", "rn", "running"])
    }

    @Test func orderByAnAggregateOfTheSelectListAboveHaving() throws {
        let s = try session()
        _ = try s.sql("CREATE TEMP VIEW ages AS SELECT * FROM VALUES (30), (30), (40), (50), (50), (50) AS t(age)")
        let rows = try s.sql("SELECT age, count(*) FROM ages GROUP BY age HAVING count(*) > 1 ORDER BY count(*) DESC")
            .collect().map { $0.values.map(\.description) }
        #expect(rows == [["50", "3"], ["30", "2"]])
    }

    @Test func unknownColumnErrorCarriesItsPosition() throws {
        let s = try session()
        do {
            _ = try s.sql("SELECT id,\n  nmae FROM people")
            Issue.record("expected an error")
        } catch let error as EngineError {
            guard case .analysis(let message, let position) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("nmae"))
            #expect(position == SourcePosition(line: 2, column: 3))
        }
    }

    @Test func plannerErrorsArePositioned() throws {
        let s = try session()
        #expect(throws: SQLError("window `w` is not defined in a WINDOW clause", at: SourceLocation(line: 1, column: 20))) {
            try s.sql("SELECT rank() OVER w FROM people")
        }
        #expect(throws: SQLError("USING column `zzz` is not a column of the left side of the join",
                                 at: SourceLocation(line: 1, column: 27))) {
            try s.sql("SELECT * FROM people JOIN orders USING (zzz)")
        }
        #expect(throws: SQLError("LIMIT needs a non-negative integer constant", at: SourceLocation(line: 1, column: 28))) {
            try s.sql("SELECT * FROM people LIMIT -1")
        }
    }

    @Test func viewsShowAndDescribe() throws {
        let s = try session()
        _ = try s.sql("CREATE TEMPORARY VIEW adults AS SELECT name FROM people WHERE age >= 18")
        #expect(s.catalog.names.contains("adults"))
        #expect(throws: SQLError.self) { try s.sql("CREATE TEMP VIEW adults AS SELECT 1") }
        _ = try s.sql("CREATE OR REPLACE TEMP VIEW adults (n) AS SELECT name FROM people")
        #expect(try s.table("adults").columns == ["n"])
        #expect(try s.sql("SHOW TABLES").columns == ["namespace", "tableName", "isTemporary"])
        #expect(try s.sql("DESCRIBE people").columns == ["col_name", "data_type", "comment"])
        _ = try s.sql("DROP VIEW adults")
        #expect(!s.catalog.names.contains("adults"))
        #expect(throws: SQLError.self) { try s.sql("DROP VIEW adults") }
    }

    @Test(arguments: 1...22)
    func plansTPCHQueryOverEmptyTables(_ number: Int) throws {
        let s = Session(config: SessionConfig(workerCount: 1))
        for (name, ddl) in TPCHSchema.tables {
            let schema = try DataFrameReader.parseDDL(ddl)
            try s.createDataFrame([RecordBatch.empty(schema)], schema: schema).createOrReplaceTempView(name)
        }
        let text = try TPCHSchema.query(number)
        let df = try s.sql(text)
        #expect(!df.columns.isEmpty)
    }
}
