import Columnar
import Foundation
import Testing
@testable import Parquet

/// Row tests of fixed-width columns judged on the column's dictionary: they keep exactly the rows a
/// row-by-row test keeps (nulls, decimals, dates, selections left by earlier tests), and they are
/// judged on the dictionary only when it is no larger than the rows in play.
@Suite("Parquet numeric dictionary tests")
struct ParquetNumericDictionaryTests {
    static let rows = 3000

    /// Three row groups of 1000 rows, pages of 64: `k` = row, `m` = row % 37 (null every 11th row),
    /// `x` = (row % 50) * 0.07, `d` = a date among 20.
    private func writeFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("numdict-\(UUID().uuidString).parquet").path
        let schema = Schema([
            Field("k", .int64, nullable: false), Field("m", .int32), Field("x", .decimal(precision: 12, scale: 2)),
            Field("d", .date),
        ])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 1000
        options.pageRowsMax = 64
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int64)
        var small = ColumnBuilder(type: .int32)
        var amounts = ColumnBuilder(type: .decimal(precision: 12, scale: 2))
        var dates = ColumnBuilder(type: .date)
        for row in 0..<Self.rows {
            keys.append(.int(Int64(row)))
            small.append(row % 11 == 0 ? .null : .int(Int64(row % 37)))
            amounts.append(.decimal(DecimalValue(unscaled: Int128(row % 50 * 7), scale: 2)))
            dates.append(.date(Int32(9000 + row % 20)))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), small.finish(), amounts.finish(), dates.finish()]))
        try writer.close()
        return path
    }

    /// Counts the rows or values the tests were shown, from the scan's worker threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        func add(_ count: Int) { lock.lock(); total += count; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return total }
    }

    /// A test of one column passing the values `keep` admits (nulls pass when `nullsPass`).
    private func test(_ column: String, valueWise: Bool, seen: Counter, nullsPass: Bool = false,
                      _ keep: @escaping (Scalar) -> Bool) -> ParquetRowTest {
        ParquetRowTest(columns: [column], valueWise: valueWise) { batch in
            seen.add(batch.rowCount)
            return Bitmap((0..<batch.rowCount).map { row in
                let value = batch.columns[0].scalar(at: row)
                return value.isNull ? nullsPass : keep(value)
            })
        }
    }

    private func keys(_ dataset: ParquetDataset, _ tests: [ParquetRowTest]) throws -> [Int64] {
        var out: [Int64] = []
        for unit in try dataset.scanUnits() {
            let batch = try dataset.read(unit, columns: ["k", "x"], predicate: nil, tests: tests).batch
            for row in 0..<batch.rowCount {
                guard case let .int(key) = batch.columns[0].scalar(at: row) else { continue }
                out.append(key)
            }
        }
        return out
    }

    private static func small(_ value: Scalar) -> Bool {
        if case let .int(v) = value { return v % 3 == 1 }
        return false
    }

    private static func amount(_ value: Scalar) -> Bool {
        if case let .decimal(v) = value { return v.unscaled >= 70 && v.unscaled < 210 }
        return false
    }

    private static func date(_ value: Scalar) -> Bool {
        if case let .date(v) = value { return v >= 9005 && v < 9012 }
        return false
    }

    @Test func valueWiseTestsKeepTheRowsRowByRowTestsKeep() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = try ParquetDataset(path: path)
        for nullsPass in [false, true] {
            let wanted = (0..<Self.rows).filter { row in
                let small = row % 11 == 0 ? nullsPass : (row % 37) % 3 == 1
                return small && row % 50 * 7 >= 70 && row % 50 * 7 < 210 && 9000 + row % 20 >= 9005 && 9000 + row % 20 < 9012
            }.map { Int64($0) }
            #expect(!wanted.isEmpty)
            for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
                var results: [[Int64]] = []
                for valueWise in [false, true] {
                    let seen = Counter()
                    let all = [
                        test("m", valueWise: valueWise, seen: seen, nullsPass: nullsPass, Self.small),
                        test("x", valueWise: valueWise, seen: seen, Self.amount),
                        test("d", valueWise: valueWise, seen: seen, Self.date),
                    ]
                    results.append(try keys(dataset, order.map { all[$0] }))
                    if valueWise {
                        // Judged on dictionaries (at most 50 values and a null per test and row group),
                        // never on the 1000 rows of a row group.
                        #expect(seen.value <= 3 * 3 * 51, "order \(order)")
                    } else {
                        #expect(seen.value >= Self.rows, "order \(order)")
                    }
                }
                #expect(results[0] == wanted, "row by row, order \(order), nulls pass \(nullsPass)")
                #expect(results[1] == wanted, "on the dictionary, order \(order), nulls pass \(nullsPass)")
            }
        }
    }

    @Test func aDictionaryLargerThanTheRowsInPlayIsNotJudged() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = try ParquetDataset(path: path)
        let seen = Counter()
        // The first test leaves 10 rows per row group; `x` has 50 distinct values, so the second
        // test sees those 10 rows, not the dictionary.
        let first = test("k", valueWise: false, seen: Counter()) { value in
            if case let .int(v) = value { return v % 100 == 0 }
            return false
        }
        let second = test("x", valueWise: true, seen: seen) { _ in true }
        let got = try keys(dataset, [first, second])
        #expect(got == stride(from: 0, to: Int64(Self.rows), by: 100).map { $0 })
        #expect(seen.value == Self.rows / 100)
    }

    @Test func readerRefusesADictionaryOverTheLimit() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ParquetReader(path: path)
        guard let field = reader.topLevelFieldIndex(named: "m") else {
            Issue.record("no column m")
            return
        }
        let pass: (ColumnVector) -> Bitmap = { Bitmap(count: $0.count, value: true) }
        #expect(try reader.dictionaryMask(rowGroup: 0, field: field, selection: nil, dictionaryValuesMax: 36, test: pass) == nil)
        let mask = try reader.dictionaryMask(rowGroup: 0, field: field, selection: nil, dictionaryValuesMax: 37, test: pass)
        #expect(mask?.count == 1000)
    }
}
