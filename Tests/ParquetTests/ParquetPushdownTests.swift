import Columnar
import Foundation
import Testing
@testable import Parquet

/// Row groups and pages are skipped only when their statistics rule a predicate out.
@Suite("Parquet statistics pushdown")
struct ParquetPushdownTests {
    /// pyarrow fixture: 1000 rows in row groups of 400, `i64_sorted` = row * 1000 + row % 5.
    private func fixture() throws -> ParquetReader {
        try ParquetReader(path: Fixtures.path("plain_none.parquet"))
    }

    @Test func rowGroupsPrunedByRange() throws {
        let reader = try fixture()
        #expect(reader.rowGroupCount == 3)
        #expect(reader.rowGroups(matching: .compare(column: "i64_sorted", .less, .int(1000))) == [0])
        #expect(reader.rowGroups(matching: .compare(column: "i64_sorted", .greaterOrEqual, .int(800_000))) == [2])
        #expect(reader.rowGroups(matching: .compare(column: "i64_sorted", .equal, .int(450_000))) == [1])
        #expect(reader.rowGroups(matching: .compare(column: "i64_sorted", .greater, .int(10_000_000))) == [])
        #expect(reader.rowGroups(matching: .isIn(column: "I64_SORTED", [.int(5), .int(999_004)])) == [0, 2])
    }

    @Test func combinationsAndNulls() throws {
        let reader = try fixture()
        let low = ParquetPredicate.compare(column: "i64_sorted", .less, .int(1000))
        let high = ParquetPredicate.compare(column: "i64_sorted", .greater, .int(900_000))
        #expect(reader.rowGroups(matching: .or([low, high])) == [0, 2])
        #expect(reader.rowGroups(matching: .and([low, high])) == [])
        #expect(reader.rowGroups(matching: .isNotNull(column: "all_null")) == [])
        #expect(reader.rowGroups(matching: .isNull(column: "all_null")) == [0, 1, 2])
        #expect(reader.rowGroups(matching: .isNull(column: "s_required")) == [])
        // Unknown columns and incomparable literals keep everything.
        #expect(reader.rowGroups(matching: .compare(column: "nope", .equal, .int(1))) == [0, 1, 2])
        #expect(reader.rowGroups(matching: .compare(column: "i64_sorted", .equal, .string("x"))) == [0, 1, 2])
    }

    @Test func typedBounds() throws {
        let reader = try fixture()
        // Strings compare byte-wise; dates and decimals in their own types.
        #expect(reader.rowGroups(matching: .compare(column: "s_required", .less, .string("k0000"))) == [])
        #expect(reader.rowGroups(matching: .compare(column: "d", .less, .date(-20000))) == [])
        #expect(reader.rowGroups(matching: .compare(column: "d", .lessOrEqual, .date(-20000))) == [0])
        let smallest = DecimalValue(unscaled: -99999, scale: 2)
        #expect(reader.rowGroups(matching: .compare(column: "dec9", .less, .decimal(smallest))) == [])
        #expect(reader.rowGroups(matching: .compare(column: "dec9", .lessOrEqual, .decimal(smallest))) == [0])
    }

    @Test func pageIndexNarrowsRows() throws {
        // Our writer writes a page index; small pages make several pages per row group.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pushdown-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("k", .int64, nullable: false), Field("v", .string)])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 1000
        options.pageRowsMax = 100
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int64)
        var values = ColumnBuilder(type: .string)
        for row in 0..<2000 {
            keys.append(.int(Int64(row)))
            values.append(.string("v\(row)"))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), values.finish()]))
        try writer.close()

        let reader = try ParquetReader(path: path)
        let predicate = ParquetPredicate.and([
            .compare(column: "k", .greaterOrEqual, .int(1250)), .compare(column: "k", .less, .int(1420)),
        ])
        #expect(reader.rowGroups(matching: predicate) == [1])
        #expect(try reader.candidateRowRanges(rowGroup: 1, matching: predicate) == [200..<500])
        #expect(try reader.candidateRowRanges(rowGroup: 0, matching: predicate) == [])
        let pages = try reader.columnIndex(rowGroup: 0, column: 0)
        #expect(pages?.nullPages.count == 10)

        // Reading with the predicate decodes only the candidate pages and returns exactly their rows.
        let batch = try reader.readRowGroup(1, fields: [0, 1], matching: predicate)
        #expect(batch.rowCount == 300)
        #expect(batch.columns[0].scalar(at: 0) == .int(1200))
        #expect(batch.columns[1].scalar(at: 299) == .string("v1499"))

        // Skipped pages are not decoded at all.
        let second = try reader.readLeaf(rowGroup: 1, column: 0, keepDataPage: [false, true] + Array(repeating: false, count: 8))
        #expect(second.slotCount == 100)
        #expect(second.values.int64s.first == 1100)

        // Arbitrary ranges crossing page boundaries.
        let ranges = [5..<7, 150..<420, 999..<1000]
        let picked = try reader.readRowGroup(0, fields: [1, 0], rows: ranges)
        let wanted = ranges.flatMap { Array($0) }
        #expect(picked.rowCount == wanted.count)
        for (position, row) in wanted.enumerated() {
            #expect(picked.columns[1].scalar(at: position) == .int(Int64(row)))
            #expect(picked.columns[0].scalar(at: position) == .string("v\(row)"))
        }
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0, fields: [0], rows: [10..<20, 5..<8]) }
    }

    @Test func rowRangesWithoutPageIndex() throws {
        // pyarrow writes no offset index by default: every page is decoded, then rows are picked.
        let reader = try fixture()
        let expected = try Fixtures.expected("base.json")
        guard let field = reader.topLevelFieldIndex(named: "s"), let column = expected.columns.first(where: { $0.name == "s" }) else {
            Issue.record("column s missing")
            return
        }
        let batch = try reader.readRowGroup(1, fields: [field], rows: [3..<9, 200..<210])
        let offset = reader.rowCount(rowGroup: 0)
        let rows = Array(3..<9) + Array(200..<210)
        #expect(batch.rowCount == rows.count)
        for (position, row) in rows.enumerated() {
            #expect(Fixtures.render(batch.columns[0], position) == column.values[offset + row])
        }
    }
}
