import Columnar
import Engine
import Foundation
import SQL
import Testing

/// A table of JSON texts whose scan runs the work above it batch by batch, and counts the
/// batches it handed to that work.
final class PipelinedJSONTable: PipelinedTableProvider, @unchecked Sendable {
    let schema = Schema([Field("v", .string)])
    let batches: [RecordBatch]
    private let lock = NSLock()
    private var transformedCount = 0
    private var keptCount = 0

    init(_ docs: [String?], batchRows: Int) {
        var out: [RecordBatch] = []
        var start = 0
        while start < docs.count {
            let part = docs[start..<min(docs.count, start + batchRows)]
            var b = ColumnBuilder(type: .string, capacity: part.count)
            for d in part { if let d { b.appendString(d) } else { b.appendNull() } }
            out.append(RecordBatch(schema: schema, columns: [b.finish()], rowCount: part.count))
            start += batchRows
        }
        batches = out
    }

    var description: String { "json texts" }
    var statistics: Engine.Statistics { Engine.Statistics(rowCount: batches.reduce(0) { $0 + $1.rowCount }) }
    var transformed: Int {
        lock.lock()
        defer { lock.unlock() }
        return transformedCount
    }

    /// Batches the work above the scan handed back (instead of consuming them).
    var kept: Int {
        lock.lock()
        defer { lock.unlock() }
        return keptCount
    }

    func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] { batches }

    func scan(columns: [Int], filters: [Expr], context: ExecutionContext,
              transform: (RecordBatch) throws -> RecordBatch?) throws -> [RecordBatch] {
        try context.pool.map(batches.count) { i -> RecordBatch? in
            lock.lock()
            transformedCount += 1
            lock.unlock()
            let out = try transform(batches[i])
            if out != nil {
                lock.lock()
                keptCount += 1
                lock.unlock()
            }
            return out
        }.compactMap { $0 }
    }
}

/// Scans that run filters, projections and aggregate inputs batch by batch as they read, and the
/// optimizer rules that put JSON work there: aggregate inputs pulled into a projection, paths of
/// one text extracted in one walk, from_json narrowed to the fields read.
@Suite struct PipelinedScanTests {
    func texts(_ df: DataFrame) throws -> [[String]] {
        try df.collect().map { $0.values.map(\.description) }
    }

    static let pages = ["/", "/a", "/b"]

    /// Event texts; every seventh is broken, every eleventh has no duration.
    static func docs(_ n: Int) -> [String?] {
        (0..<n).map { i in
            if i % 13 == 12 { return nil }
            if i % 7 == 6 { return #"{"page":"/x","duration":"# }
            let page = pages[i % pages.count]
            if i % 11 == 10 { return #"{"user":"u\#(i)","page":"\#(page)","ts":\#(i)}"# }
            return #"{"user":"u\#(i)","page":"\#(page)","duration":\#(i % 50),"ts":\#(i)}"#
        }
    }

    func session(_ table: PipelinedJSONTable) throws -> Session {
        let s = Session(config: SessionConfig(workerCount: 2, batchRows: 16))
        try s.read.table(table).createOrReplaceTempView("t")
        return s
    }

    /// The per-page count and duration sum the queries below must find.
    func expected(_ docs: [String?]) -> [[String]] {
        var n: [String: Int] = [:], sum: [String: Int] = [:]
        for case let d? in docs {
            guard d.hasSuffix("}") else { continue }
            let page = Self.pages.first { d.contains(#""page":"\#($0)""#) } ?? "?"
            n[page, default: 0] += 1
            if let r = d.range(of: #""duration":"#) {
                let digits = d[r.upperBound...].prefix { $0.isNumber }
                sum[page, default: 0] += Int(digits) ?? 0
            }
        }
        return n.keys.sorted().map { [$0, String(n[$0] ?? 0), String(sum[$0] ?? 0)] }
    }

    @Test func aggregateInputsRunInsideThePipelinedScan() throws {
        let docs = Self.docs(400)
        let table = PipelinedJSONTable(docs, batchRows: 32)
        let s = try session(table)
        let q = try s.sql("""
            SELECT get_json_object(v, '$.page') AS page, count(*) AS n,
                   sum(CAST(get_json_object(v, '$.duration') AS INT)) AS total
            FROM t WHERE get_json_object(v, '$.page') <> '/x' GROUP BY 1 ORDER BY 1
            """)
        let plan = try q.explainString()
        // One walk per text for both paths, in a projection under the aggregate.
        #expect(plan.contains("__json_paths(v"))
        #expect(plan.contains("HashAggregate(keys=[_groupingexpression"))
        #expect(try texts(q) == expected(docs))
        #expect(table.transformed == table.batches.count)
        // The aggregate folded every batch in where it was read: none came back from the scan.
        #expect(table.kept == 0)
        // The duration is read as an INT straight from the text (no string made and cast).
        #expect(plan.contains("'$.duration', NULL"))
    }

    /// The same batches as a table whose scan returns them all (no pipelining).
    final class PlainTable: TableProvider, @unchecked Sendable {
        let inner: PipelinedJSONTable
        init(_ inner: PipelinedJSONTable) { self.inner = inner }
        var schema: Schema { inner.schema }
        var description: String { "plain json texts" }
        var statistics: Engine.Statistics { inner.statistics }
        func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] { inner.batches }
    }

    @Test func aggregatesFoldedInTheScanMatchTheCollectedOnes() throws {
        var docs = Self.docs(500)
        // Pages that are null, empty, long, or carry zero bytes and escapes.
        for i in stride(from: 3, to: docs.count, by: 17) { docs[i] = #"{"page":null,"duration":\#(i % 9)}"# }
        for i in stride(from: 5, to: docs.count, by: 19) { docs[i] = #"{"page":"","duration":2}"# }
        for i in stride(from: 8, to: docs.count, by: 23) {
            docs[i] = #"{"page":"/a-much-longer-page-name-\#(i % 4)\u0000x","duration":\#(i % 5)}"#
        }
        let table = PipelinedJSONTable(docs, batchRows: 24)
        let s = try session(table)
        try s.read.table(PlainTable(table)).createOrReplaceTempView("p")
        let queries = [
            "SELECT get_json_object(v, '$.page') AS page, count(*), sum(CAST(get_json_object(v, '$.duration') AS BIGINT)), "
                + "min(get_json_object(v, '$.user')) FROM {t} GROUP BY 1 ORDER BY 1",
            "SELECT count(*), avg(CAST(get_json_object(v, '$.duration') AS INT)), max(get_json_object(v, '$.page')) FROM {t}",
            "SELECT CAST(get_json_object(v, '$.duration') AS INT) % 3 AS k, get_json_object(v, '$.page') AS page, count(*) "
                + "FROM {t} GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT e.page, count(*), sum(e.duration) FROM (SELECT from_json(v, 'page STRING, duration INT') AS e FROM {t}) "
                + "GROUP BY 1 ORDER BY 1",
        ]
        for q in queries {
            let folded = try texts(s.sql(q.replacingOccurrences(of: "{t}", with: "t")))
            let collected = try texts(s.sql(q.replacingOccurrences(of: "{t}", with: "p")))
            #expect(folded == collected, "\(q)")
            #expect(!folded.isEmpty)
        }
        #expect(table.kept == 0)
        // Over no rows at all, a global aggregate still gives its one row.
        let empty = PipelinedJSONTable([], batchRows: 4)
        let e = try session(empty)
        #expect(try texts(e.sql("SELECT count(*), sum(CAST(get_json_object(v, '$.a') AS INT)) FROM t")) == [["0", "NULL"]])
        #expect(try texts(e.sql("SELECT get_json_object(v, '$.a'), count(*) FROM t GROUP BY 1")).isEmpty)
    }

    @Test func aggregatesOverOtherSourcesKeepTheirInputs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).csv").path
        try "v\n1\n2\n2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = Session(config: SessionConfig(workerCount: 2, batchRows: 3))
        try s.read.option("header", "true").schema("v INT").csv(path).createOrReplaceTempView("c")
        let q = try s.sql("SELECT v + 1 AS k, count(*) FROM c GROUP BY v + 1 ORDER BY 1")
        #expect(try q.explainString().contains("HashAggregate(keys=[(v"))
        #expect(try texts(q) == [["2", "1"], ["3", "2"]])
    }

    @Test func fromJsonParsesOnlyTheFieldsRead() throws {
        let docs = Self.docs(200)
        let table = PipelinedJSONTable(docs, batchRows: 16)
        let s = try session(table)
        let schema = "'user STRING, page STRING, duration INT, ts BIGINT'"
        let q = try s.sql("""
            SELECT e.page, count(*), sum(e.duration) FROM (SELECT from_json(v, \(schema)) AS e FROM t)
            WHERE e.page <> '/x' GROUP BY 1 ORDER BY 1
            """)
        let plan = try q.explainString()
        #expect(plan.contains("from_json(v#"))
        #expect(plan.contains("'`page` STRING, `duration` INT'"))
        #expect(try texts(q) == expected(docs))
        // FAILFAST must still see every field; a whole struct keeps its schema.
        let failFast = try s.sql("""
            SELECT e.page FROM (SELECT from_json(v, \(schema), map('mode', 'FAILFAST')) AS e FROM t)
            """)
        #expect(try failFast.explainString().contains("user STRING"))
        let whole = try s.sql("SELECT e.page, e FROM (SELECT from_json(v, \(schema)) AS e FROM t)")
        #expect(try whole.explainString().contains("user STRING"))
        #expect(try whole.collect().first?.values.count == 2)
    }

    @Test func errorsOfTheWorkAboveTheScanEndTheQuery() throws {
        let table = PipelinedJSONTable([#"{"a":1}"#, #"{"a":"#], batchRows: 1)
        let s = try session(table)
        let q = try s.sql("SELECT e.a FROM (SELECT from_json(v, 'a INT', map('mode', 'FAILFAST')) AS e FROM t)")
        #expect(throws: EngineError.self) { try q.collect() }
    }
}
