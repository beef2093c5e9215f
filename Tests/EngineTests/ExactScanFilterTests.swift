import Columnar
import Foundation
import Parquet
import Testing
@testable import Engine

/// Filters a scan applies exactly: no Filter is kept above the scan for them, columns only they
/// read are read by the scan but not output, and answers stay those of the same query over the
/// same rows held in memory (where nothing is pushed).
@Suite("Exact scan filters")
struct ExactScanFilterTests {
    /// 300 rows in three row groups: `k` 0..<300, `note` null every seventh row, else a text that
    /// holds `special … requests` every fifth row; `tag` `a`/`b`/null.
    private func withNotes(_ body: (String, Session) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("k", .int32, nullable: false), Field("note", .string), Field("tag", .string)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 100
        options.pageRowsMax = 16
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int32, capacity: 300)
        var notes = ColumnBuilder(type: .string, capacity: 300)
        var tags = ColumnBuilder(type: .string, capacity: 300)
        for k in 0..<300 {
            keys.append(.int(Int64(k)))
            if k % 7 == 0 {
                notes.append(.null)
            } else {
                notes.append(.string(k % 5 == 0 ? "row \(k) special deposits requests" : "row \(k) plain"))
            }
            tags.append(k % 3 == 0 ? .null : .string(k % 3 == 1 ? "a" : "b"))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), notes.finish(), tags.finish()], rowCount: 300))
        try writer.close()
        try body(path, testSession(batchRows: 64))
    }

    private func notLike(_ name: String, _ pattern: String, negated: Bool = true) -> Column {
        Column(.like(col(name).expr, pattern: .literal(.string(pattern), .string), negated: negated, caseInsensitive: false))
    }

    private func optimized(_ df: DataFrame, _ s: Session) throws -> String {
        try QueryExecution(session: s, analyzed: df.plan).optimized().treeString()
    }

    /// Whether a plan's tree holds a Filter node (a scan's `PushedFilters` is no Filter node).
    private func hasFilterNode(_ plan: String) -> Bool {
        plan.split(separator: "\n").contains { line in
            line.drop { $0 == " " || $0 == "+" || $0 == "-" }.hasPrefix("Filter")
        }
    }

    /// The same rows as `df`'s source, held in memory.
    private func inMemory(_ df: DataFrame, _ s: Session) throws -> DataFrame {
        try s.createDataFrame(try df.collectBatches(), schema: df.schema)
    }

    private func sorted(_ df: DataFrame) throws -> [[String]] {
        try texts(df).sorted { $0.joined(separator: "|") < $1.joined(separator: "|") }
    }

    @Test func parquetFilterIsJudgedInTheScanAndItsColumnNotOutput() throws {
        try withNotes { path, s in
            let q = try s.read.parquet(path).filter(notLike("note", "%special%requests%")).select(col("k"))
            let plan = try optimized(q, s)
            #expect(!hasFilterNode(plan))
            #expect(plan.contains("PushedFilters: [note NOT LIKE %special%requests%]"))
            // The scan outputs `k` alone: `note` is read for the filter only.
            let scanLine = plan.split(separator: "\n").first { $0.contains("Relation parquet") }.map(String.init) ?? ""
            let outputList = scanLine.components(separatedBy: "PushedFilters")[0]
            #expect(outputList.contains("[k#"))
            #expect(!outputList.contains("note#"))
            let memory = try inMemory(try s.read.parquet(path), s)
            let expected = try memory.filter(notLike("note", "%special%requests%")).select(col("k"))
            #expect(try sorted(q) == sorted(expected))
            // Nulls pass neither LIKE nor NOT LIKE.
            let like = try s.read.parquet(path).filter(notLike("note", "%special%requests%", negated: false)).count()
            let unlike = try q.count()
            let nulls = try s.read.parquet(path).filter(col("note").isNull()).count()
            #expect(nulls == 43)
            #expect(like == 300 - nulls - unlike)
            #expect(like == (0..<300).filter { $0 % 7 != 0 && $0 % 5 == 0 }.count)
        }
    }

    @Test func filtersOfSeveralColumnsAndOutputColumnsStayExact() throws {
        try withNotes { path, s in
            let t = try s.read.parquet(path)
            let memory = try inMemory(t, s)
            let conditions: [Column] = [
                col("tag") == lit("a"),
                col("k") >= lit(40),
                notLike("note", "row 1%", negated: false),
            ]
            var q = t
            var e = memory
            for c in conditions {
                q = try q.filter(c)
                e = try e.filter(c)
            }
            // `tag` is output, `note` and `k` only filtered on: the scan outputs `tag` alone.
            let projected = try q.select(col("tag"))
            let plan = try optimized(projected, s)
            #expect(!hasFilterNode(plan))
            #expect(try sorted(projected) == sorted(try e.select(col("tag"))))
            #expect(try sorted(q) == sorted(e))
            // count(*) of a filtered scan: the scan still outputs one column for the row count.
            #expect(try q.count() == e.count())
        }
    }

    @Test func csvPermissiveFiltersAreExactOtherModesAreNot() throws {
        var text = "k,note\n"
        for k in 0..<200 { text += k % 9 == 0 ? "\(k),\n" : "\(k),n\(k) \(k % 4 == 0 ? "special x requests" : "none")\n" }
        let path = try temporaryFile(text)
        let s = testSession(batchRows: 32)
        let permissive = try s.read.option("header", "true").schema("k INT, note STRING").csv(path)
        let q = try permissive.filter(notLike("note", "%special%requests%")).select(col("k"))
        let plan = try optimized(q, s)
        #expect(!hasFilterNode(plan))
        let expected = try inMemory(permissive, s).filter(notLike("note", "%special%requests%")).select(col("k"))
        #expect(try sorted(q) == sorted(expected))
        #expect(try q.count() == (0..<200).filter { $0 % 9 != 0 && $0 % 4 != 0 }.count)
        // FAILFAST: a value that cannot be parsed must fail whether or not its row passes, so the
        // scan does not filter, and the Filter stays above it.
        let strict = try s.read.option("header", "true").option("mode", "FAILFAST").schema("k INT, note STRING").csv(path)
        let strictQuery = try strict.filter(notLike("note", "%special%requests%")).select(col("k"))
        #expect(try hasFilterNode(optimized(strictQuery, s)))
        #expect(try sorted(strictQuery) == sorted(expected))
    }

    @Test func inMemoryAndCachedDataKeepTheirFilters() throws {
        try withNotes { path, s in
            let memory = try inMemory(try s.read.parquet(path), s)
            let q = try memory.filter(col("tag") == lit("b")).select(col("k"))
            #expect(try hasFilterNode(optimized(q, s)))
            #expect(try q.count() == (0..<300).filter { $0 % 3 == 2 }.count)
            let cached = try s.read.parquet(path).cache()
            let fromCache = try cached.filter(notLike("note", "%special%requests%")).select(col("k"))
            #expect(try sorted(fromCache) == sorted(try memory.filter(notLike("note", "%special%requests%")).select(col("k"))))
        }
    }

    @Test func scansReadingANestedColumnStillFilterExactly() throws {
        // A nested output column makes the dataset read the row group whole; the scan filters it itself.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let listType = DataType.array(element: .int32, containsNull: true)
        let schema = Schema([Field("k", .int32, nullable: false), Field("xs", listType), Field("note", .string)])
        let writer = try ParquetWriter(path: path, schema: schema, options: ParquetWriteOptions())
        var keys = ColumnBuilder(type: .int32, capacity: 50)
        var lists = ColumnBuilder(type: listType, capacity: 50)
        var notes = ColumnBuilder(type: .string, capacity: 50)
        for k in 0..<50 {
            keys.append(.int(Int64(k)))
            lists.append(.array([.int(Int64(k)), .int(Int64(k * 2))]))
            notes.append(k % 4 == 0 ? .null : .string(k % 3 == 0 ? "special requests" : "plain"))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), lists.finish(), notes.finish()], rowCount: 50))
        try writer.close()
        let s = testSession(batchRows: 16)
        let q = try s.read.parquet(path).filter(notLike("note", "%special%")).select(col("xs"))
        #expect(!hasFilterNode(try optimized(q, s)))
        let expected = (0..<50).filter { $0 % 4 != 0 && $0 % 3 != 0 }
        #expect(try q.count() == expected.count)
        #expect(try sorted(q) == expected.map { ["[\($0), \($0 * 2)]"] }.sorted { $0[0] < $1[0] })
    }

    @Test func rulesLeaveInexactFiltersAbove() throws {
        // A table that applies nothing exactly keeps its Filter; the rule reports no change.
        let path = try temporaryFile("{\"a\": 1}\n{\"a\": 2}\n", suffix: ".json")
        let s = testSession()
        let df = try s.read.json(path).filter(col("a") == lit(2))
        #expect(try hasFilterNode(optimized(df, s)))
        #expect(try texts(df) == [["2"]])
    }
}
