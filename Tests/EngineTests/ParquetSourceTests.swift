import Columnar
import Foundation
import Parquet
import Testing
@testable import Engine

/// The Parquet table source: filters pushed into row-group and page pruning, parallel scans, and
/// answers that stay exact whatever was pruned.
@Suite("Parquet source")
struct ParquetSourceTests {
    /// Ten row groups of 100 rows: `k` runs 0..<1000 in order, `tag` is `even`/`odd` by row group.
    private func withTenRowGroups(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("k", .int32, nullable: false), Field("tag", .string)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 100
        options.pageRowsMax = 10
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int32, capacity: 1000)
        var tags = ColumnBuilder(type: .string, capacity: 1000)
        for k in 0..<1000 {
            keys.append(.int(Int64(k)))
            tags.append(.string((k / 100) % 2 == 0 ? "even" : "odd"))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), tags.finish()], rowCount: 1000))
        try writer.close()
        try body(path)
    }

    private func attribute(_ name: String, _ type: DataType) -> Expr {
        .attribute(Attribute(name: name, type: type))
    }

    /// The rows the scan returns: those that pass the filters (late materialisation filters in the scan).
    private func scannedRows(_ table: ParquetTable, _ filters: [Expr]) throws -> Int {
        let context = ExecutionContext(pool: WorkerPool(workerCount: 2), memory: MemoryTracker(limitBytes: 1 << 30))
        return try table.scan(columns: [0, 1], filters: filters, context: context).reduce(0) { $0 + $1.rowCount }
    }

    /// The rows left once row groups and pages are pruned by statistics for the translated filters.
    private func prunedRows(_ table: ParquetTable, _ filters: [Expr]) throws -> Int {
        let dataset = try ParquetDataset(path: table.path)
        let predicate = ParquetFilterTranslation.predicate(filters)
        return try dataset.scanUnits(predicate: predicate).reduce(0) {
            $0 + (try dataset.read($1, columns: ["k"], predicate: predicate)).rowCount
        }
    }

    @Test func comparisonsPruneRowGroupsAndPages() throws {
        try withTenRowGroups { path in
            let table = try ParquetTable(path: path)
            let k = attribute("k", .int32)
            #expect(try scannedRows(table, []) == 1000)
            // k >= 950: one row group, and within it the pages from row 950.
            let atLeast950 = Expr.binary(.greaterOrEqual, k, .literal(.int(950), .int32))
            #expect(try prunedRows(table, [atLeast950]) == 50)
            #expect(try scannedRows(table, [atLeast950]) == 50)
            // 5 > k, written literal first: the first page is left, and the scan keeps its first 5 rows.
            let below5 = Expr.binary(.greater, .literal(.int(5), .int32), k)
            #expect(try prunedRows(table, [below5]) == 10)
            #expect(try scannedRows(table, [below5]) == 5)
            // A widening cast keeps the pruning; OR of two prunable sides prunes too.
            let widened = Expr.cast(k, .int64)
            let either = Expr.binary(.or, .binary(.less, widened, .literal(.int(10), .int64)),
                                     .binary(.equal, k, .literal(.int(995), .int32)))
            #expect(try prunedRows(table, [either]) == 20)
            #expect(try scannedRows(table, [either]) == 11)
            // Nothing matches: no rows, but still the schema.
            #expect(try scannedRows(table, [.between(k, low: .literal(.int(2000), .int32), high: .literal(.int(3000), .int32), negated: false)]) == 0)
        }
    }

    @Test func untranslatableFiltersPruneNothing() throws {
        try withTenRowGroups { path in
            let table = try ParquetTable(path: path)
            let k = attribute("k", .int32)
            let arithmetic = Expr.binary(.greater, .binary(.add, k, .literal(.int(1), .int32)), .literal(.int(990), .int32))
            #expect(try prunedRows(table, [arithmetic]) == 1000)
            // The scan still evaluates what it cannot prune by: k + 1 > 990.
            #expect(try scannedRows(table, [arithmetic]) == 10)
            // An OR with one untranslatable side cannot prune.
            let mixed = Expr.binary(.or, .binary(.less, k, .literal(.int(10), .int32)), arithmetic)
            #expect(try prunedRows(table, [mixed]) == 1000)
            #expect(try scannedRows(table, [mixed]) == 20)
            // A narrowing cast is not looked through.
            let narrowed = Expr.binary(.equal, .cast(k, .int8), .literal(.int(1), .int8))
            #expect(try prunedRows(table, [narrowed]) == 1000)
        }
    }

    @Test func scanKeepsExactlyTheRowsThatPass() throws {
        try withTenRowGroups { path in
            let table = try ParquetTable(path: path)
            let k = attribute("k", .int32)
            let tag = attribute("tag", .string)
            let odd = Expr.binary(.equal, tag, .literal(.string("odd"), .string))
            #expect(try scannedRows(table, [odd]) == 500)
            // A string test listed first still sees only what the numeric one keeps, and the answer holds.
            #expect(try scannedRows(table, [odd, .binary(.less, k, .literal(.int(150), .int32))]) == 50)
            #expect(try scannedRows(table, [.binary(.equal, k, .literal(.int(999), .int32))]) == 1)
            #expect(try scannedRows(table, [.isNull(tag, negated: false)]) == 0)
            #expect(try scannedRows(table, [.isNull(tag, negated: true)]) == 1000)
            // The surviving rows carry their own values in every column.
            let context = ExecutionContext(pool: WorkerPool(workerCount: 2), memory: MemoryTracker(limitBytes: 1 << 30))
            let sparse = Expr.binary(.equal, .binary(.add, k, .literal(.int(0), .int32)), .literal(.int(345), .int32))
            let batches = try table.scan(columns: [1, 0], filters: [sparse], context: context).filter { $0.rowCount > 0 }
            #expect(batches.count == 1)
            #expect(batches.first?.columns[0].scalar(at: 0) == .string("odd"))
            #expect(batches.first?.columns[1].scalar(at: 0) == .int(345))
        }
    }

    @Test func disjunctionsOverColumnsAddTheSingleColumnConditionsTheyImply() throws {
        try withTenRowGroups { path in
            let table = try ParquetTable(path: path)
            let k = attribute("k", .int32)
            let tag = attribute("tag", .string)
            func tagIs(_ value: String) -> Expr { .binary(.equal, tag, .literal(.string(value), .string)) }
            func kIs(_ op: BinaryOperator, _ value: Int64) -> Expr { .binary(op, k, .literal(.int(value), .int32)) }
            // (tag = 'even' AND k < 50) OR (tag = 'odd' AND k >= 950): rows 0..<50 and 950..<1000.
            let either = Expr.binary(.or, .binary(.and, tagIs("even"), kIs(.less, 50)),
                                     .binary(.and, tagIs("odd"), kIs(.greaterOrEqual, 950)))
            let tests = ParquetRowFilter.tests([either], schema: table.schema)
            // One implied test per column (the string one first), then the disjunction itself.
            #expect(tests.count == 3)
            #expect(tests.map(\.columns).prefix(2) == [["tag"], ["k"]])
            #expect(Set(tests.last?.columns ?? []) == ["tag", "k"])
            #expect(tests[0].valueWise && tests[1].valueWise)
            #expect(try scannedRows(table, [either]) == 100)
            // A branch without a condition of its own on `k` implies nothing about `k`.
            let loose = Expr.binary(.or, tagIs("even"), .binary(.and, tagIs("odd"), kIs(.less, 950)))
            #expect(ParquetRowFilter.tests([loose], schema: table.schema).map(\.columns).first == ["tag"])
            #expect(ParquetRowFilter.tests([loose], schema: table.schema).count == 2)
            #expect(try scannedRows(table, [loose]) == 500 + 450)
        }
    }

    @Test func queryAnswersAreExactWithPushedFilters() throws {
        try withTenRowGroups { path in
            let s = testSession(batchRows: 64)
            try s.read.parquet(path).createOrReplaceTempView("t")
            let plan = try s.read.parquet(path)
            #expect(plan.schema.names == ["k", "tag"])
            let q = try s.table("t").filter(col("k") >= 95).filter(col("k") < 205).filter(col("tag") == lit("odd"))
            #expect(try q.count() == 100)
            #expect(try q.explainString(extended: false).contains("PushedFilters"))
        }
    }

    @Test func exactWideningCasts() {
        #expect(ParquetFilterTranslation.isExactWidening(.int32, .int64))
        #expect(ParquetFilterTranslation.isExactWidening(.int32, .float64))
        #expect(!ParquetFilterTranslation.isExactWidening(.int64, .float64))
        #expect(!ParquetFilterTranslation.isExactWidening(.int64, .int32))
        #expect(ParquetFilterTranslation.isExactWidening(.decimal(precision: 10, scale: 2), .decimal(precision: 12, scale: 3)))
        #expect(!ParquetFilterTranslation.isExactWidening(.decimal(precision: 10, scale: 3), .decimal(precision: 10, scale: 2)))
        #expect(!ParquetFilterTranslation.isExactWidening(.float64, .float32))
    }

    @Test func missingPathIsAnIOError() {
        #expect(throws: EngineError.self) { try testSession().read.parquet("/no/such/dir/x.parquet") }
    }
}
