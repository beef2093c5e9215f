import Foundation
import Testing
@testable import SQL

@Suite("Parser: queries and statements")
struct ParserQueryTests {
    private func query(_ text: String) throws -> SQLQuery {
        guard case .query(let q) = try Parser.parseStatement(text) else {
            throw SQLError("not a query", at: nil)
        }
        return q
    }

    private func select(_ text: String) throws -> SelectBlock {
        guard case .select(let s) = try query(text).body else { throw SQLError("not a select", at: nil) }
        return s
    }

    @Test func selectClauses() throws {
        let q = try query("""
            SELECT DISTINCT a, b AS bee, c cee, count(*) FROM t WHERE a > 1 GROUP BY a, b HAVING count(*) > 2
            ORDER BY a DESC NULLS LAST, 2 LIMIT 10 OFFSET 5
            """)
        guard case .select(let s) = q.body else { Issue.record("body"); return }
        #expect(s.distinct)
        #expect(s.items.map(\.alias) == [nil, "bee", "cee", nil])
        #expect(s.from == [.named(["t"], alias: nil, at: SourceLocation(line: 1, column: 51))])
        #expect(s.whereClause.map(render) == "(a > 1)")
        #expect(s.groupBy.map(render) == ["a", "b"])
        #expect(s.having.map(render) == "(count(*) > 2)")
        #expect(q.orderBy.map { render($0.expr) } == ["a", "2"])
        #expect(q.orderBy[0].ascending == false && q.orderBy[0].nullsFirst == false)
        #expect(q.limit.map(render) == "10")
        #expect(q.offset.map(render) == "5")
    }

    @Test func joins() throws {
        let s = try select("""
            SELECT * FROM a JOIN b ON a.x = b.x LEFT OUTER JOIN c USING (y) CROSS JOIN d, e AS ee
            LEFT SEMI JOIN f ON e.k = f.k FULL JOIN g ON true LEFT ANTI JOIN h ON true NATURAL JOIN i
            """)
        #expect(s.from.count == 2)
        guard case .join(let l1, _, let k1, let c1) = s.from[0], case .join(let l2, _, let k2, let c2) = l1,
              case .join(_, _, let k3, let c3) = l2 else {
            Issue.record("first join tree")
            return
        }
        #expect([k1, k2, k3] == [.cross, .left, .inner])
        #expect(c1 == .none)
        #expect(c2 == .using(["y"]))
        guard case .on = c3 else { Issue.record("ON"); return }
        var kinds: [JoinKind] = []
        var node = s.from[1]
        while case .join(let l, _, let k, _) = node {
            kinds.append(k)
            node = l
        }
        #expect(kinds == [.inner, .leftAnti, .full, .leftSemi])
        #expect(node == .named(["e"], alias: TableAlias(name: "ee"), at: SourceLocation(line: 1, column: 79)))
    }

    @Test func subqueriesInFromAndAliasesWithColumns() throws {
        let s = try select("SELECT c FROM (SELECT 1) AS v (c), (SELECT 2) w")
        guard case .subquery(_, let a1, _) = s.from[0], case .subquery(_, let a2, _) = s.from[1] else {
            Issue.record("subqueries")
            return
        }
        #expect(a1 == TableAlias(name: "v", columns: ["c"]))
        #expect(a2 == TableAlias(name: "w"))
    }

    @Test func directFileQuery() throws {
        let s = try select("SELECT * FROM csv.`data/people.csv` p")
        #expect(s.from == [.file(format: "csv", path: "data/people.csv", alias: TableAlias(name: "p"),
                                 at: SourceLocation(line: 1, column: 15))])
    }

    @Test func cteAndSetOperations() throws {
        let q = try query("""
            WITH x AS (SELECT 1 AS a), y (b) AS (SELECT 2)
            SELECT a FROM x UNION ALL SELECT b FROM y INTERSECT SELECT 3 EXCEPT (SELECT 4) ORDER BY 1
            """)
        #expect(q.with.map(\.name) == ["x", "y"])
        #expect(q.with[1].columns == ["b"])
        guard case .setOperation(.except, false, let lhs, .query) = q.body,
              case .setOperation(.union, true, .select, .setOperation(.intersect, false, .select, .select)) = lhs else {
            Issue.record("set operation tree: \(q.body)")
            return
        }
        #expect(q.orderBy.count == 1)
    }

    @Test func namedWindows() throws {
        let s = try select("SELECT rank() OVER w FROM t WINDOW w AS (PARTITION BY a ORDER BY b)")
        #expect(s.windows.map(\.name) == ["w"])
        guard case .function(let f) = s.items[0].expr.kind, case .named("w", _)? = f.over else {
            Issue.record("OVER w")
            return
        }
    }

    @Test func valuesAsQueryAndTable() throws {
        let q = try query("VALUES (1, 'a'), (2, 'b')")
        guard case .values(let rows, _) = q.body else { Issue.record("values"); return }
        #expect(rows.count == 2 && rows[0].count == 2)
        let s = try select("SELECT * FROM VALUES (1), (2) AS t(x)")
        guard case .subquery(_, let alias, _) = s.from[0] else { Issue.record("values table"); return }
        #expect(alias == TableAlias(name: "t", columns: ["x"]))
    }

    @Test func createTemporaryViewUsingCSV() throws {
        let statement = try Parser.parseStatement(
            "CREATE OR REPLACE TEMPORARY VIEW people USING csv OPTIONS (path 'a/b.csv', header 'true', inferSchema = true)")
        guard case .createView(let v) = statement, case .dataSource(let format, let options) = v.source else {
            Issue.record("create view")
            return
        }
        #expect(v.name == "people" && v.orReplace)
        #expect(format == "csv")
        #expect(options.map(\.key) == ["path", "header", "inferSchema"])
        #expect(options.map(\.value) == ["a/b.csv", "true", "true"])
    }

    @Test func createTemporaryViewWithSchemaAndAsSelect() throws {
        guard case .createView(let v) = try Parser.parseStatement(
            "CREATE TEMP VIEW t (a INT, b DECIMAL(10,2)) USING csv OPTIONS (path 'x')") else {
            Issue.record("schema view")
            return
        }
        #expect(v.columns.map(\.name) == ["a", "b"])
        #expect(v.columns.map(\.type) == [SQLTypeName(name: "INT"), SQLTypeName(name: "DECIMAL", parameters: [10, 2])])
        guard case .createView(let w) = try Parser.parseStatement("CREATE TEMPORARY VIEW w AS SELECT 1"),
              case .query = w.source else {
            Issue.record("as-select view")
            return
        }
    }

    @Test func utilityStatements() throws {
        #expect(try Parser.parseStatement("SHOW TABLES") == .showTables(namespace: nil, at: SourceLocation(line: 1, column: 12)))
        #expect(try Parser.parseStatement("SHOW TABLES IN topics")
            == .showTables(namespace: "topics", at: SourceLocation(line: 1, column: 13)))
        #expect(try Parser.parseStatement("DESCRIBE people;")
            == .describe(.table("people", at: SourceLocation(line: 1, column: 10))))
        guard case .explain(.query, let mode) = try Parser.parseStatement("EXPLAIN EXTENDED SELECT 1") else {
            Issue.record("explain")
            return
        }
        #expect(mode == "EXTENDED")
        #expect(try Parser.parseStatement("DROP VIEW IF EXISTS v")
            == .dropView(name: "v", ifExists: true, at: SourceLocation(line: 1, column: 21)))
    }

    @Test func scriptsSplitOnSemicolons() throws {
        let statements = try Parser.parseStatements("SELECT 1; ; SELECT ';' AS s;\nSHOW TABLES")
        #expect(statements.count == 3)
    }

    @Test func errorsNameTheTokenAndPlace() {
        #expect(throws: SQLError("expected table name, found 'WHERE'", at: SourceLocation(line: 2, column: 6))) {
            try Parser.parseStatement("SELECT a\nFROM WHERE x")
        }
        // "garbage" is read as the table's alias; "more" is what cannot follow.
        #expect(throws: SQLError("expected end of statement, found 'more'", at: SourceLocation(line: 1, column: 25))) {
            try Parser.parseStatement("SELECT a FROM t garbage more")
        }
        #expect(throws: SQLError("expected ON or USING, found end of input", at: SourceLocation(line: 1, column: 28))) {
            try Parser.parseStatement("SELECT * FROM a LEFT JOIN b")
        }
        #expect(throws: SQLError.self) { try Parser.parseStatement("CREATE VIEW v AS SELECT 1") }
    }

    /// The 22 TPC-H queries in their standard text, as kept in tests/tpch/queries.
    @Test(arguments: 1...22)
    func parsesTPCHQuery(_ number: Int) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let name = number < 10 ? "q0\(number).sql" : "q\(number).sql"
        let text = try String(contentsOf: root.appendingPathComponent("tests/tpch/queries/\(name)"), encoding: .utf8)
        let statements = try Parser.parseStatements(text)
        #expect(statements.count == 1)
        guard case .query(let q)? = statements.first else {
            Issue.record("\(name) is not a query")
            return
        }
        #expect(!q.orderBy.isEmpty || [6, 14, 17, 19].contains(number))
    }
}
