import Columnar
import Foundation
import Parquet
import Testing
@testable import Engine

/// The per-query cache of scan results: a second scan alike (same table, columns and filters, whatever
/// the attribute ids) gets the first one's batches; anything else, or a new query, scans again.
@Suite("Scan result cache")
struct ScanResultCacheTests {
    private func withFile(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scancache-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("k", .int32, nullable: false), Field("v", .int64)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 100
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int32, capacity: 500)
        var values = ColumnBuilder(type: .int64, capacity: 500)
        for k in 0..<500 {
            keys.append(.int(Int64(k)))
            values.append(.int(Int64(k * 10)))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), values.finish()], rowCount: 500))
        try writer.close()
        try body(path)
    }

    private func context() -> ExecutionContext {
        ExecutionContext(pool: WorkerPool(workerCount: 2), memory: MemoryTracker(limitBytes: 1 << 30))
    }

    /// `k < limit` over a fresh attribute (a fresh id, as each use of a view gets).
    private func below(_ limit: Int) -> Expr {
        .binary(.less, .attribute(Attribute(name: "k", type: .int32)), .literal(.int(Int64(limit)), .int32))
    }

    private func rows(_ batches: [RecordBatch]) -> Int { batches.reduce(0) { $0 + $1.rowCount } }

    @Test func aSecondScanAlikeReadsTheFirstOnesBatches() throws {
        try withFile { path in
            let table = try ParquetTable(path: path)
            let query = context()
            let first = try table.scan(columns: [0, 1], filters: [below(250)], context: query)
            #expect(rows(first) == 250)
            let kept = query.scanCache.storedBytes
            #expect(kept > 0)
            // Same columns and filter with other attribute ids: served from the cache, nothing added.
            let second = try table.scan(columns: [0, 1], filters: [below(250)], context: query)
            #expect(rows(second) == 250)
            #expect(query.scanCache.storedBytes == kept)
            #expect(second.map(\.rowCount) == first.map(\.rowCount))
            // Another filter or other columns scan again (and are kept too).
            #expect(rows(try table.scan(columns: [0, 1], filters: [below(120)], context: query)) == 120)
            #expect(query.scanCache.storedBytes > kept)
            let onlyK = try table.scan(columns: [0], filters: [below(250)], context: query)
            #expect(onlyK.first?.columns.count == 1)
            // A new query starts empty.
            #expect(context().scanCache.storedBytes == 0)
        }
    }

    @Test func keysIgnoreAttributeIdsButNotNamesOrLiterals() throws {
        let table = NSObject()
        let a = ScanResultCache.Key(table: table, columns: [0], filters: [below(5)])
        #expect(a == ScanResultCache.Key(table: table, columns: [0], filters: [below(5)]))
        #expect(a != ScanResultCache.Key(table: table, columns: [0], filters: [below(6)]))
        #expect(a != ScanResultCache.Key(table: table, columns: [1], filters: [below(5)]))
        #expect(a != ScanResultCache.Key(table: NSObject(), columns: [0], filters: [below(5)]))
        let other = Expr.binary(.less, .attribute(Attribute(name: "v", type: .int32)), .literal(.int(5), .int32))
        #expect(a != ScanResultCache.Key(table: table, columns: [0], filters: [other]))
    }

    @Test func resultsOverTheBudgetAreNotKept() throws {
        try withFile { path in
            let table = try ParquetTable(path: path)
            let cache = ScanResultCache(bytesMax: 100)
            let batches = try table.scan(columns: [0, 1], filters: [], context: context())
            let key = ScanResultCache.Key(table: table, columns: [0, 1], filters: [])
            cache.store(batches, for: key)
            #expect(cache.batches(for: key) == nil)
            #expect(cache.storedBytes == 0)
            let small = ScanResultCache(bytesMax: 1 << 20)
            small.store(batches, for: key)
            #expect(small.batches(for: key)?.count == batches.count)
        }
    }
}
