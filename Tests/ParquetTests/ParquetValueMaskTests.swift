import Columnar
import Foundation
import Testing
@testable import Parquet

/// Judging a string test on a column's values where they lie in the pages (`ParquetReader.valueMask`)
/// answers as the same test over the decoded column does, for every encoding, page version and codec
/// (PLAIN, dictionary, a chunk whose dictionary falls back to PLAIN, DELTA), with nulls and row selections.
@Suite("Parquet value masks")
struct ParquetValueMaskTests {
    @Test("value masks equal the test over the decoded column", arguments: ParquetRowSelectionTests.files)
    func valueMasksMatchDecodedColumns(file: String) throws {
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        let schema = try reader.schema()
        let fields = schema.fields.indices.filter {
            schema.fields[$0].type == .string && reader.leafIndex(ofTopLevelField: $0) != nil
        }
        var judged = 0
        for group in 0..<reader.rowGroupCount {
            let rows = reader.rowCount(rowGroup: group)
            var selections: [[Int32]?] = [nil]
            selections += ParquetRowSelectionTests.selections(rows: rows).values.map { Optional($0) }
            for field in fields {
                for pattern in ["%a%", "%1%2%", "b%", "%"] {
                    let matcher = LikeMatcher(pattern: Array(pattern.utf8))
                    for selection in selections {
                        for nullPasses in [false, true] {
                            guard let mask = try reader.valueMask(rowGroup: group, field: field, selection: selection,
                                                                  nullPasses: nullPasses,
                                                                  test: { matcher.matches($0, negated: false) })
                            else { continue }
                            judged += 1
                            let column = try selection.map { try reader.readColumn(rowGroup: group, field: field, selection: $0) }
                                ?? reader.readColumn(rowGroup: group, field: field, rows: [0..<rows])
                            let answers = matcher.apply(column, negated: false)
                            guard case let .boolean(bits) = answers.storage else { continue }
                            #expect(mask.count == column.count)
                            let want = (0..<column.count).map { column.isNull($0) ? nullPasses : bits[$0] }
                            #expect((0..<min(mask.count, want.count)).map { mask[$0] } == want,
                                    "\(file) rg \(group) field \(field) \(pattern)")
                        }
                    }
                }
            }
        }
        #expect(judged > 0)
    }

    @Test func columnsThatAreNotByteArraysAreNotJudged() throws {
        let reader = try ParquetReader(path: Fixtures.path("plain_none.parquet"))
        let schema = try reader.schema()
        let other = try #require(schema.fields.indices.first { schema.fields[$0].type == .int64 })
        #expect(try reader.valueMask(rowGroup: 0, field: other, selection: nil, nullPasses: false,
                                     test: { Bitmap(count: $0.count, value: true) }) == nil)
    }
}
