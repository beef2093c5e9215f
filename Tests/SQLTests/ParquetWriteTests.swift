import Columnar
import Engine
import Foundation
import Testing
@testable import SQL

/// Writing query results as files: `DataFrame.write.parquet` / `read.parquet` and Spark's
/// `INSERT OVERWRITE DIRECTORY … USING parquet|csv|json`, read back through the engine.
@Suite("Parquet and file writes")
struct ParquetWriteTests {
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqltests-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    private func values(_ frame: DataFrame) throws -> [[String]] {
        try frame.collect().map { $0.values.map(\.description) }
    }

    private func people(_ session: Session) throws -> DataFrame {
        try session.createDataFrame([
            [.int(1), .string("ann"), .decimal(DecimalValue(unscaled: 1250, scale: 2)), .date(19_000)],
            [.int(2), .string("bob"), .null, .date(19_001)],
            [.int(3), .null, .decimal(DecimalValue(unscaled: -5, scale: 2)), .date(19_000)],
        ], schema: Schema([Field("id", .int64), Field("name", .string), Field("price", .decimal(precision: 10, scale: 2)),
                           Field("day", .date)]))
    }

    @Test func dataFrameWriteParquetReadsBackWithTypes() throws {
        try withDirectory { dir in
            let s = Session(config: SessionConfig(workerCount: 2))
            try people(s).write.parquet(dir)
            #expect(FileManager.default.fileExists(atPath: dir + "/_SUCCESS"))
            let back = try s.read.parquet(dir)
            #expect(back.schema.fields.map(\.type) == [.int64, .string, .decimal(precision: 10, scale: 2), .date])
            #expect(try values(back.orderBy("id")) == [
                ["1", "ann", "12.50", "2022-01-08"], ["2", "bob", "NULL", "2022-01-09"], ["3", "NULL", "-0.05", "2022-01-08"],
            ])
        }
    }

    @Test func saveModesFollowSpark() throws {
        try withDirectory { dir in
            let s = Session(config: SessionConfig(workerCount: 1))
            let frame = try people(s)
            try frame.write.parquet(dir)
            #expect(throws: EngineError.self) { try frame.write.parquet(dir) }
            try frame.write.mode("append").parquet(dir)
            #expect(try s.read.parquet(dir).count() == 6)
            try frame.write.mode("ignore").parquet(dir)
            #expect(try s.read.parquet(dir).count() == 6)
            try frame.write.mode("overwrite").option("compression", "zstd").parquet(dir)
            #expect(try s.read.parquet(dir).count() == 3)
            #expect(throws: EngineError.self) { try frame.write.mode("overwrite").option("compression", "brotli").parquet(dir) }
        }
    }

    @Test func partitionByWritesHiveDirectoriesReadBackAsColumns() throws {
        try withDirectory { dir in
            let s = Session(config: SessionConfig(workerCount: 2))
            try people(s).write.partitionBy("day").parquet(dir)
            let listing = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            #expect(listing == ["_SUCCESS", "day=2022-01-08", "day=2022-01-09"])
            let back = try s.read.parquet(dir)
            #expect(back.schema.names == ["id", "name", "price", "day"])
            #expect(back.schema.fields[3].type == .date)
            let query = "SELECT id FROM parquet.`\(dir)` WHERE day = DATE '2022-01-08' ORDER BY id"
            #expect(try values(s.sql(query)) == [["1"], ["3"]])
            #expect(throws: EngineError.self) { try people(s).write.partitionBy("day").csv(dir + "-csv") }
        }
    }

    @Test func insertOverwriteDirectoryUsingParquet() throws {
        try withDirectory { dir in
            let s = Session(config: SessionConfig(workerCount: 2))
            try people(s).createOrReplaceTempView("people")
            let result = try s.sql("""
                INSERT OVERWRITE DIRECTORY '\(dir)' USING parquet OPTIONS (compression 'gzip')
                SELECT id, upper(name) AS name, price * 2 AS doubled FROM people WHERE id < 3
                """)
            #expect(result.schema.count == 0)
            #expect(try values(s.sql("SELECT * FROM parquet.`\(dir)` ORDER BY id")) == [["1", "ANN", "25.00"], ["2", "BOB", "NULL"]])
            // Overwrite replaces the previous files, and the path may come from OPTIONS.
            _ = try s.sql("INSERT OVERWRITE LOCAL DIRECTORY USING parquet OPTIONS (path '\(dir)') SELECT 7 AS seven")
            #expect(try values(s.sql("SELECT * FROM parquet.`\(dir)`")) == [["7"]])
        }
    }

    @Test func insertOverwriteDirectoryUsingCSVAndJSON() throws {
        try withDirectory { dir in
            let s = Session(config: SessionConfig(workerCount: 1))
            try people(s).createOrReplaceTempView("people")
            _ = try s.sql("INSERT OVERWRITE DIRECTORY '\(dir)/csv' USING csv OPTIONS (header 'true') SELECT id, name FROM people")
            let csv = try s.read.option("header", "true").csv(try partFile(dir + "/csv"))
            #expect(try values(csv.orderBy("id")) == [["1", "ann"], ["2", "bob"], ["3", "NULL"]])
            _ = try s.sql("INSERT OVERWRITE DIRECTORY '\(dir)/json' USING json SELECT id, name FROM people ORDER BY id")
            let text = try String(contentsOfFile: try partFile(dir + "/json"), encoding: .utf8)
            #expect(text == "{\"id\":1,\"name\":\"ann\"}\n{\"id\":2,\"name\":\"bob\"}\n{\"id\":3}\n")
        }
    }

    private func partFile(_ dir: String) throws -> String {
        let parts = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("part-") }
        #expect(parts.count == 1)
        return dir + "/" + (parts.first ?? "missing")
    }

    @Test func insertOverwriteDirectoryRefusesWhatItCannotDo() throws {
        let s = Session(config: SessionConfig(workerCount: 1))
        for statement in [
            "INSERT INTO t SELECT 1",
            "INSERT OVERWRITE TABLE t SELECT 1",
            "INSERT OVERWRITE DIRECTORY USING parquet SELECT 1",
            "INSERT OVERWRITE DIRECTORY '/tmp/x' USING avro SELECT 1",
            "INSERT OVERWRITE DIRECTORY '/tmp/x' STORED AS orc SELECT 1",
            "INSERT OVERWRITE DIRECTORY '/tmp/x' USING parquet OPTIONS (path '/tmp/y') SELECT 1",
        ] {
            #expect(throws: SQLError.self, "\(statement)") { try s.sql(statement) }
        }
    }

    @Test func insertOverwriteDirectoryParses() throws {
        let statement = try Parser.parseStatement("insert overwrite local directory '/out' using PARQUET options ('compression' = 'zstd') values (1)")
        guard case let .insertOverwriteDirectory(insert) = statement else {
            Issue.record("parsed as \(statement)")
            return
        }
        #expect(insert.path == "/out")
        #expect(insert.local)
        #expect(insert.format == "parquet")
        #expect(insert.options.map(\.key) == ["compression"])
        #expect(insert.options.map(\.value) == ["zstd"])
    }
}
