import Columnar
import Engine
import Foundation
import Parquet
import Testing
@testable import SQL

/// SQL over real CSV files: data source views and Spark's direct file queries, run end to end.
@Suite("SQL over files")
struct FileQueryTests {
    private func withCSV(_ text: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sqltests-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    private func values(_ frame: DataFrame) throws -> [[String]] {
        try frame.collect().map { $0.values.map(\.description) }
    }

    @Test func temporaryViewUsingCSVWithASchema() throws {
        try withCSV("id,price,day\n1,2.50,2024-01-31\n2,,2024-02-01\n3,1.25,2024-02-29\n") { path in
            let s = Session(config: SessionConfig(workerCount: 1))
            _ = try s.sql("""
                CREATE TEMPORARY VIEW items (id INT, price DECIMAL(10,2), day DATE)
                USING csv OPTIONS (path '\(path)', header 'true')
                """)
            let frame = try s.sql("""
                SELECT count(*) AS n, count(price), sum(price), max(day + INTERVAL '1' MONTH)
                FROM items WHERE day >= DATE '2024-01-01'
                """)
            #expect(frame.schema.fields[2].type == .decimal(precision: 20, scale: 2))
            #expect(try values(frame) == [["3", "2", "3.75", "2024-03-29"]])
        }
    }

    @Test func directFileQueryReadsEveryLineWithoutHeaderOption() throws {
        try withCSV("a,b\n1,x\n2,y\n") { path in
            let s = Session(config: SessionConfig(workerCount: 1))
            #expect(try values(try s.sql("SELECT count(*) FROM csv.`\(path)`")) == [["3"]])
            let named = try s.sql("SELECT _c1 FROM csv.`\(path)` AS t WHERE t._c0 = '2'")
            #expect(try values(named) == [["y"]])
        }
    }

    @Test func viewNeedsAPathAndAKnownFormat() throws {
        let s = Session(config: SessionConfig(workerCount: 1))
        #expect(throws: SQLError.self) { try s.sql("CREATE TEMP VIEW v USING csv OPTIONS (header 'true')") }
        #expect(throws: SQLError.self) { try s.sql("CREATE TEMP VIEW v USING avro OPTIONS (path 'x')") }
        #expect(throws: (any Error).self) { try s.sql("SELECT * FROM csv.`/no/such/file.csv`") }
    }
}

/// Parquet through SQL: a file written with the project's own Parquet writer, read back by a view
/// and by a direct ``parquet.`path` `` query.
@Suite("SQL over Parquet")
struct ParquetQueryTests {
    @Test func viewAndDirectQuery() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("sqltests-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("k", .int64), Field("name", .string)])
        var keys = ColumnBuilder(type: .int64, capacity: 3)
        var names = ColumnBuilder(type: .string, capacity: 3)
        for (k, n) in [(1, "a"), (2, "b"), (3, "c")] {
            keys.append(.int(Int64(k)))
            names.append(.string(n))
        }
        let writer = try ParquetWriter(path: path, schema: schema)
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), names.finish()], rowCount: 3))
        _ = try writer.close()

        let s = Session(config: SessionConfig(workerCount: 1))
        _ = try s.sql("CREATE TEMP VIEW p USING parquet OPTIONS (path '\(path)')")
        let rows = try s.sql("SELECT name FROM p WHERE k >= 2 ORDER BY k DESC").collect()
        #expect(rows.map { $0.values.map(\.description) } == [["c"], ["b"]])
        let total = try s.sql("SELECT sum(k) FROM parquet.`\(path)`").collect()
        #expect(total.map { $0.values.map(\.description) } == [["6"]])
        #expect(throws: SQLError.self) { try s.sql("SELECT * FROM parquet.`\(path).missing`") }
    }
}
