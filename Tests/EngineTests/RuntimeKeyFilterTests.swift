import Columnar
import Foundation
import Parquet
import Testing
@testable import Engine

/// Runtime key filters: a hash join hands its probe side's scans a filter on the built keys
/// (`RuntimeKeyFilter`, `RuntimeFilterTargets`). Answers are the same with the filter on and off,
/// the scans really drop the rows, and outer joins' preserved sides are never filtered.
@Suite struct RuntimeKeyFilterTests {
    private func int64Column(_ values: [Int64?]) -> ColumnVector {
        var b = ColumnBuilder(type: .int64, capacity: values.count)
        for v in values { b.append(v.map { .int($0) } ?? .null) }
        return b.finish()
    }

    private func passing(_ filter: RuntimeKeyFilter, _ values: [Int64?]) -> [Bool] {
        let out = filter.test(int64Column(values))
        guard case let .boolean(bits) = out.storage else { return [] }
        #expect(out.validity == nil)
        return values.indices.map { bits[$0] }
    }

    @Test func bitmapFormIsExactAndRejectsNulls() throws {
        let filter = try #require(RuntimeKeyFilter.make(int64Column([5, 9, nil, 5, 70]), distinct: 3))
        guard case .bits = filter.form else { Issue.record("expected the bitmap form"); return }
        let probe: [Int64?] = [4, 5, 6, 9, nil, 70, 71, -3, 1 << 40]
        #expect(passing(filter, probe) == [false, true, false, true, false, true, false, false, false])
    }

    @Test func bloomFormNeverRejectsABuiltKey() throws {
        // Keys spread far apart: too wide a range for the bitmap form.
        let keys = (0..<5000).map { Int64($0) * 1_000_003 + 17 }
        let filter = try #require(RuntimeKeyFilter.make(int64Column(keys), distinct: keys.count))
        guard case .bloom = filter.form else { Issue.record("expected the Bloom form"); return }
        #expect(passing(filter, keys).allSatisfy { $0 })
        // Other keys mostly fail (a Bloom filter may pass a few).
        let others = (0..<5000).map { Int64($0) * 1_000_003 + 18 }
        let passed = passing(filter, others).filter { $0 }.count
        #expect(passed < 250)
        #expect(passing(filter, [nil, Int64.min, Int64.max]) == [false, false, false])
    }

    @Test func emptyBuildPassesNothing() throws {
        let filter = try #require(RuntimeKeyFilter.make(int64Column([nil, nil]), distinct: 0))
        #expect(passing(filter, [0, 1, nil, -1]) == [false, false, false, false])
    }

    @Test func int32AndDateColumnsAreTested() throws {
        var b = ColumnBuilder(type: .date, capacity: 3)
        for d in [100, 200, 300] { b.append(.date(Int32(d))) }
        let filter = try #require(RuntimeKeyFilter.make(b.finish(), distinct: 3))
        var p = ColumnBuilder(type: .date, capacity: 4)
        for d in [100, 150, 300, 301] { p.append(.date(Int32(d))) }
        guard case let .boolean(bits) = filter.test(p.finish()).storage else { Issue.record("not boolean"); return }
        #expect((0..<4).map { bits[$0] } == [true, false, true, false])
        #expect(RuntimeKeyFilter.make(ColumnVector.constant(.string("x"), type: .string, count: 2), distinct: 1) == nil)
    }

    /// A Parquet file of `rows` rows: key = i % 1000 (null every 97th), pad = i.
    private func factFile(rows: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).parquet").path
        let schema = Schema([Field("fkey", .int64), Field("pad", .int64)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 1000
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int64, capacity: rows)
        var pads = ColumnBuilder(type: .int64, capacity: rows)
        for i in 0..<rows {
            keys.append(i % 97 == 0 ? .null : .int(Int64(i % 1000)))
            pads.append(.int(Int64(i)))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), pads.finish()], rowCount: rows))
        try writer.close()
        return path
    }

    /// A Parquet file of the dimension: id 0..<1000 (each twice: duplicate build keys), grp = id % 50.
    private func dimFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString).parquet").path
        let schema = Schema([Field("id", .int64), Field("grp", .int64)])
        let writer = try ParquetWriter(path: path, schema: schema, options: ParquetWriteOptions())
        var ids = ColumnBuilder(type: .int64, capacity: 2000)
        var groups = ColumnBuilder(type: .int64, capacity: 2000)
        for i in 0..<2000 {
            ids.append(.int(Int64(i % 1000)))
            groups.append(.int(Int64(i % 1000 % 50)))
        }
        try writer.write(RecordBatch(schema: schema, columns: [ids.finish(), groups.finish()], rowCount: 2000))
        try writer.close()
        return path
    }

    private func withTables(_ body: (Session, Int) throws -> Void) throws {
        let rows = 20_000
        let fact = try factFile(rows: rows), dim = try dimFile()
        defer {
            try? FileManager.default.removeItem(atPath: fact)
            try? FileManager.default.removeItem(atPath: dim)
        }
        let s = testSession(batchRows: 512)
        try s.read.parquet(fact).createOrReplaceTempView("fact")
        try s.read.parquet(dim).createOrReplaceTempView("dim")
        try body(s, rows)
    }

    private func sortedTexts(_ df: DataFrame) throws -> [[String]] { try texts(df).sorted { $0.lexicographicallyPrecedes($1) } }

    /// The answer with runtime filters on, checked equal to the answer with them off.
    private func answer(_ s: Session, _ make: () throws -> DataFrame) throws -> (rows: [[String]], plan: String) {
        try s.conf.set(RuntimeConfig.runtimeKeyFilterKey, "false")
        let off = try sortedTexts(try make())
        let offPlan = try make().explainString()
        #expect(!offPlan.contains("RuntimeFilter"))
        s.conf.unset(RuntimeConfig.runtimeKeyFilterKey)
        let df = try make()
        let on = try sortedTexts(df)
        #expect(on == off)
        return (on, try df.explainString())
    }

    @Test func innerJoinAnswersAreExactWithTheFilter() throws {
        try withTables { s, rows in
            for group in [3, 60] {  // 60: no dimension row, an empty build
                let (on, plan) = try answer(s) {
                    try s.table("fact").join(s.table("dim").filter(col("grp") == lit(group)), on: col("fkey") == col("id"))
                        .select(col("pad"), col("id"))
                }
                #expect(plan.contains("RuntimeFilter: [fkey"))
                // Every fact row with key % 50 == group, twice (the dimension holds each id twice).
                var expected: [[String]] = []
                for i in 0..<rows where i % 97 != 0 && i % 1000 % 50 == group {
                    let row = [String(i), String(i % 1000)]
                    expected.append(row)
                    expected.append(row)
                }
                expected.sort { $0.lexicographicallyPrecedes($1) }
                #expect(on == expected)
            }
        }
    }

    @Test func semiJoinAnswersAreExactWithTheFilter() throws {
        try withTables { s, rows in
            let (on, _) = try answer(s) {
                try s.table("fact").join(s.table("dim").filter(col("grp") == lit(7)), on: col("fkey") == col("id"),
                                         how: "left_semi").select(col("pad"))
            }
            #expect(on.count == (0..<rows).filter { $0 % 97 != 0 && $0 % 1000 % 50 == 7 }.count)
        }
    }

    @Test func outerAndAntiJoinsKeepTheirPreservedSide() throws {
        try withTables { s, rows in
            for how in ["left_outer", "left_anti", "full_outer"] {
                let (on, plan) = try answer(s) {
                    try s.table("fact").join(s.table("dim").filter(col("grp") == lit(7)), on: col("fkey") == col("id"),
                                             how: how).select(col("pad"))
                }
                #expect(!plan.contains("RuntimeFilter: [fkey"))
                let matching = (0..<rows).filter { $0 % 97 != 0 && $0 % 1000 % 50 == 7 }.count
                switch how {
                case "left_anti": #expect(on.count == rows - matching)
                default:
                    // Matched rows twice (each id is in the dimension twice); every id has fact rows.
                    #expect(on.count == rows + matching)
                }
            }
        }
    }

    /// Cached data is not filtered (its joins' lookups of missing keys cost less than a filter).
    @Test func cachedTablesAreNotFiltered() throws {
        try withTables { s, rows in
            try s.table("fact").cache()
            try s.table("dim").cache()
            let (on, plan) = try answer(s) {
                try s.table("fact").join(s.table("dim").filter(col("grp") == lit(11)), on: col("fkey") == col("id"))
                    .select(col("pad"))
            }
            #expect(plan.contains("LocalTableScan"))
            #expect(!plan.contains("RuntimeFilter: [fkey"))
            #expect(on.count == 2 * (0..<rows).filter { $0 % 97 != 0 && $0 % 1000 % 50 == 11 }.count)
        }
    }

    @Test func filtersAreMadeOnlyForSelectiveBuilds() throws {
        try withTables { s, _ in
            func join(_ dim: DataFrame) throws -> HashJoinExec? {
                let df = try s.table("fact").join(dim, on: col("fkey") == col("id")).select(col("pad"))
                let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
                var op: any PhysicalOperator = try PhysicalPlanner(context: s.makeContext(), session: s).plan(optimized)
                while !(op is HashJoinExec), let child = op.children.first { op = child }
                return op as? HashJoinExec
            }
            let filtered = try #require(try join(s.table("dim").filter(col("grp") < lit(10))))
            let target = try #require(filtered.runtimeFilterTargets.first)
            // 200 of the dimension's 2000 rows' keys: a tenth.
            let share = RuntimeFilterTargets.expectedShare(buildKeys: 200, rangeShare: 0.05, buildKey: filtered.rightKeys[0],
                                                           build: filtered.right, probeScan: target.scan)
            #expect(share == 0.1)
            #expect(RuntimeFilterTargets.expectedShare(buildKeys: 200, rangeShare: 0.2, buildKey: filtered.rightKeys[0],
                                                       build: filtered.right, probeScan: target.scan) == 0.2)
            // Half the keys pass: not worth it, whichever guess says so.
            #expect(RuntimeFilterTargets.expectedShare(buildKeys: 1000, rangeShare: 0.05, buildKey: filtered.rightKeys[0],
                                                       build: filtered.right, probeScan: target.scan) == nil)
            #expect(RuntimeFilterTargets.expectedShare(buildKeys: 200, rangeShare: 0.5, buildKey: filtered.rightKeys[0],
                                                       build: filtered.right, probeScan: target.scan) == nil)
            // An unfiltered dimension holds every key: no filter, however few its distinct keys.
            let whole = try #require(try join(s.table("dim")))
            if let t = whole.runtimeFilterTargets.first {
                #expect(RuntimeFilterTargets.expectedShare(buildKeys: 100, rangeShare: 0.1, buildKey: whole.rightKeys[0],
                                                           build: whole.right, probeScan: t.scan) == nil)
            }
        }
    }

    /// Two scans alike share one read (`ScanResultCache`); filtering either would read twice.
    @Test func scansAlikeTakeNoFilter() throws {
        try withTables { s, _ in
            let small = try s.table("dim").filter(col("grp") == lit(5))
            let df = try s.table("fact").join(small, on: col("fkey") == col("id")).select(col("pad"))
                .union(try s.table("fact").join(small, on: col("fkey") == col("id")).select(col("pad")))
            let optimized = try QueryExecution(session: s, analyzed: df.plan).optimized()
            let root = try PhysicalPlanner(context: s.makeContext(), session: s).plan(optimized)
            var scans: [ScanExec] = []
            func walk(_ op: any PhysicalOperator) {
                if let scan = op as? ScanExec, scan.output.contains(where: { $0.name == "fkey" }) { scans.append(scan) }
                op.children.forEach(walk)
            }
            walk(root)
            #expect(scans.count == 2)
            #expect(scans.allSatisfy { !$0.takesRuntimeFilters })
            let (on, _) = try answer(s) { df }
            #expect(on.count == 2 * 2 * (0..<20_000).filter { $0 % 97 != 0 && $0 % 1000 % 50 == 5 }.count)
        }
    }

    @Test func theScanDropsRowsThatCannotMatch() throws {
        try withTables { s, rows in
            // The scan of `fact` given the filter of keys 0..<10 keeps only their rows (nulls dropped).
            let fact = try s.read.parquet(try factFile(rows: rows))
            guard case let .scan(relation) = fact.plan else { Issue.record("not a scan"); return }
            let filter = try #require(RuntimeKeyFilter.make(int64Column((0..<10).map { Int64($0) }), distinct: 10))
            let number = RuntimeKeyFilters.register(filter)
            defer { RuntimeKeyFilters.unregister(number) }
            let expr = RuntimeKeyFilters.expression(relation.output[0], number: number)
            let scanned = try relation.table.provider.scan(columns: [0, 1], filters: [expr], context: s.makeContext())
            let kept = scanned.reduce(0) { $0 + $1.rowCount }
            #expect(kept == (0..<rows).filter { $0 % 97 != 0 && $0 % 1000 < 10 }.count)
            // Once the join is done the expression passes every row.
            RuntimeKeyFilters.unregister(number)
            let all = try relation.table.provider.scan(columns: [0, 1], filters: [expr], context: s.makeContext())
            #expect(all.reduce(0) { $0 + $1.rowCount } == rows)
        }
    }

    @Test func csvScansTakeTheFilterToo() throws {
        var text = "k,pad\n"
        for i in 0..<3000 { text += (i % 13 == 0 ? "" : String(i % 300)) + ",padding-\(i)\n" }
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let s = testSession(batchRows: 256)
        let df = try s.read.option("header", "true").schema("k BIGINT, pad STRING").csv(path)
        guard case let .scan(relation) = df.plan else { Issue.record("not a scan"); return }
        let filter = try #require(RuntimeKeyFilter.make(int64Column([1, 2, 299]), distinct: 3))
        let number = RuntimeKeyFilters.register(filter)
        defer { RuntimeKeyFilters.unregister(number) }
        let expr = RuntimeKeyFilters.expression(relation.output[0], number: number)
        let scanned = try relation.table.provider.scan(columns: [0, 1], filters: [expr], context: s.makeContext())
        #expect(scanned.reduce(0) { $0 + $1.rowCount } == (0..<3000).filter { $0 % 13 != 0 && [1, 2, 299].contains($0 % 300) }.count)
    }
}
