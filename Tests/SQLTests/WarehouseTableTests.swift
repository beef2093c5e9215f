import Columnar
import Engine
import Foundation
import Testing
@testable import SQL

/// `CREATE TABLE … USING`, `INSERT INTO / OVERWRITE`, `DROP TABLE` and `SHOW TABLES` over the
/// warehouse: tables outlive the session that made them.
@Suite("warehouse tables")
struct WarehouseTableTests {
    private func withWarehouse(_ body: (String, () -> Session) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("warehouse-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try body(root) {
            let session = Session(config: SessionConfig(workerCount: 2))
            try? session.conf.set("spark.sql.warehouse.dir", root)
            return session
        }
    }

    private func rows(_ session: Session, _ sql: String) throws -> [[String]] {
        try session.sql(sql).collect().map { $0.values.map(\.description) }
    }

    @Test func aTableOutlivesItsSessionAndTakesInserts() throws {
        try withWarehouse { root, newSession in
            _ = try newSession().sql("CREATE TABLE people (id INT, name STRING) USING parquet")
            _ = try newSession().sql("INSERT INTO people VALUES (1, 'ann'), (2, 'bob')")
            // Columns by position, cast to the table's types.
            _ = try newSession().sql("INSERT INTO TABLE people SELECT CAST(3 AS BIGINT), 'cid'")
            let s = newSession()
            #expect(try rows(s, "SELECT id, name FROM people ORDER BY id") == [["1", "ann"], ["2", "bob"], ["3", "cid"]])
            #expect(try rows(s, "SELECT count(*) FROM default.people") == [["3"]])
            #expect(try rows(s, "SHOW TABLES") == [["default", "people", "false"]])
            _ = try s.sql("INSERT OVERWRITE TABLE people SELECT 9, 'zed'")
            #expect(try rows(newSession(), "SELECT * FROM people") == [["9", "zed"]])
            #expect(throws: (any Error).self) { try newSession().sql("INSERT INTO people SELECT 1") }
            #expect(throws: SQLError.self) { try newSession().sql("CREATE TABLE people (x INT)") }
            _ = try newSession().sql("CREATE TABLE IF NOT EXISTS people (x INT)")
            _ = try newSession().sql("DROP TABLE people")
            #expect(!FileManager.default.fileExists(atPath: root + "/people"))
            #expect(throws: (any Error).self) { try newSession().sql("SELECT * FROM people") }
            _ = try newSession().sql("DROP TABLE IF EXISTS people")
            #expect(throws: SQLError.self) { try newSession().sql("DROP TABLE people") }
        }
    }

    @Test func createTableAsSelectInEachFormatAndPartitioned() throws {
        try withWarehouse { _, newSession in
            let source = "SELECT * FROM VALUES (1, 'a', 2.5), (2, 'b', NULL), (3, 'a', 1.0) AS t(k, g, x)"
            _ = try newSession().sql("CREATE TABLE c USING csv OPTIONS (header 'true') AS \(source)")
            _ = try newSession().sql("CREATE TABLE j USING json AS \(source)")
            _ = try newSession().sql("CREATE TABLE p USING parquet PARTITIONED BY (g) AS \(source)")
            let s = newSession()
            let expected = [["1", "a", "2.5"], ["2", "b", "NULL"], ["3", "a", "1.0"]]
            #expect(try rows(s, "SELECT k, g, x FROM c ORDER BY k") == expected)
            #expect(try rows(s, "SELECT k, g, x FROM j ORDER BY k") == expected)
            #expect(try rows(s, "SELECT k, g, x FROM p ORDER BY k") == expected)
            // A partitioned table lists its partition column last, as Spark does.
            #expect(try s.table("p").schema.fields.map(\.name) == ["k", "x", "g"])
            _ = try s.sql("INSERT INTO p SELECT 4, 3.5, 'c'")
            #expect(try rows(newSession(), "SELECT g, count(*) FROM p GROUP BY g ORDER BY g") == [["a", "2"], ["b", "1"], ["c", "1"]])
            // An empty table reads as no rows.
            _ = try s.sql("CREATE TABLE e (a INT, b STRING)")
            #expect(try rows(newSession(), "SELECT count(*) FROM e") == [["0"]])
        }
    }

    @Test func aTableOverExistingFilesTakesTheirColumnsAndKeepsThemWhenDropped() throws {
        try withWarehouse { root, newSession in
            let files = root + "-external"
            defer { try? FileManager.default.removeItem(atPath: files) }
            _ = try newSession().sql("INSERT OVERWRITE DIRECTORY '\(files)' USING parquet SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(k, s)")
            _ = try newSession().sql("CREATE TABLE ext USING parquet LOCATION '\(files)'")
            #expect(try rows(newSession(), "SELECT k, s FROM ext ORDER BY k") == [["1", "a"], ["2", "b"]])
            _ = try newSession().sql("INSERT INTO ext SELECT 3, 'c'")
            #expect(try rows(newSession(), "SELECT count(*) FROM ext") == [["3"]])
            _ = try newSession().sql("DROP TABLE ext")
            // An external table's files stay.
            #expect(FileManager.default.fileExists(atPath: files))
            #expect(throws: SQLError.self) { try newSession().sql("CREATE TABLE ext2 USING parquet LOCATION '\(root)-nothing'") }
        }
    }

    @Test func badDefinitionsAreRefusedAndLeaveNothingBehind() throws {
        try withWarehouse { root, newSession in
            let s = newSession()
            #expect(throws: SQLError.self) { try s.sql("CREATE TABLE t USING parquet") }
            #expect(throws: SQLError.self) { try s.sql("CREATE TABLE t (a INT) USING avro") }
            #expect(throws: SQLError.self) { try s.sql("CREATE TABLE t (a INT) USING parquet PARTITIONED BY (b)") }
            #expect(throws: SQLError.self) { try s.sql("CREATE TABLE t (a INT) AS SELECT 1") }
            #expect(throws: (any Error).self) { try s.sql("CREATE TABLE t AS SELECT * FROM nowhere") }
            #expect(!FileManager.default.fileExists(atPath: root + "/t.table.json"))
            let tables = try rows(s, "SHOW TABLES")
            #expect(tables.isEmpty)
        }
    }
}
