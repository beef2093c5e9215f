import Columnar
import Foundation
import Testing
@testable import Parquet

/// Lists, structs and maps written by pyarrow assemble to what pyarrow reads.
@Suite("Parquet nested columns")
struct ParquetNestedReadTests {
    @Test("nested columns match pyarrow", arguments: ["nested_v1", "nested_v2"])
    func nestedMatchesPyarrow(file: String) throws {
        let expected = try Fixtures.expected("nested.json")
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        #expect(reader.rowGroupCount == expected.rowGroupCount)
        for (field, column) in expected.columns.enumerated() {
            var rendered: [String] = []
            for group in 0..<reader.rowGroupCount {
                let nested = try reader.readNested(rowGroup: group, field: field)
                #expect(nested.count == reader.rowCount(rowGroup: group), "\(column.name)")
                for row in 0..<nested.count {
                    rendered.append(nested.render(row) { Fixtures.render($0, $1) ?? "null" })
                }
            }
            #expect(rendered.count == column.values.count, "\(column.name)")
            if let row = (0..<min(rendered.count, column.values.count)).first(where: { rendered[$0] != column.values[$0] }) {
                Issue.record("\(file) \(column.name) row \(row): ours \(rendered[row]), pyarrow \(column.values[row] ?? "nil")")
            }
        }
    }

    @Test func nestedFieldsAreNotFlatColumns() throws {
        let reader = try ParquetReader(path: Fixtures.path("nested_v1.parquet"))
        #expect(throws: ParquetError.self) { try reader.schema() }
        #expect(try reader.schema(skippingNested: true).count == 0)
        #expect(throws: ParquetError.self) { try reader.readRowGroup(0, fields: [0]) }
    }

    @Test func flatColumnsReadNestedToo() throws {
        let reader = try ParquetReader(path: Fixtures.path("plain_snappy.parquet"))
        let nested = try reader.readNested(rowGroup: 0, field: 12)
        guard case let .leaf(vector) = nested else {
            Issue.record("a primitive column should assemble to a leaf")
            return
        }
        #expect(vector.type == .string)
        #expect(vector.count == reader.rowCount(rowGroup: 0))
    }
}
