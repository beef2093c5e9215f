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

    @Test("nested fields read as Columnar arrays, structs and maps", arguments: ["nested_v1", "nested_v2"])
    func nestedFieldsAreColumnarVectors(file: String) throws {
        let expected = try Fixtures.expected("nested.json")
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        let schema = try reader.schema()
        #expect(schema.fields.map(\.type.description) == [
            "array<bigint>", "array<string>", "struct<x:int,label:string>", "map<string,int>",
            "array<struct<id:int,parts:array<smallint>>>", "struct<inner:struct<z:double>>", "array<array<int>>",
        ])
        #expect(try reader.schema(skippingNested: true).count == 0)
        let batches = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
        for (field, column) in expected.columns.enumerated() {
            let rendered = batches.flatMap { batch in (0..<batch.rowCount).map { Self.render(batch.columns[field], $0) } }
            if let row = rendered.indices.first(where: { rendered[$0] != column.values[$0] }) {
                Issue.record("\(file) \(column.name) row \(row): ours \(rendered[row]), pyarrow \(column.values[row] ?? "nil")")
            }
            #expect(rendered.count == column.values.count)
        }
    }

    /// A Columnar value in the text of `NestedColumn.render` (and of make_fixtures.py).
    static func render(_ vector: ColumnVector, _ index: Int) -> String {
        if vector.isNull(index) { return "null" }
        switch (vector.storage, vector.type) {
        case let (.list(offsets, values), .map):
            guard case let .struct(parts) = values.storage else { return "?" }
            let entries = (Int(offsets[index])..<Int(offsets[index + 1])).map { "\(render(parts[0], $0)) -> \(render(parts[1], $0))" }
            return "{" + entries.joined(separator: ", ") + "}"
        case let (.list(offsets, values), _):
            return "[" + (Int(offsets[index])..<Int(offsets[index + 1])).map { render(values, $0) }.joined(separator: ", ") + "]"
        case let (.struct(children), .struct(fields)):
            return "{" + zip(fields, children).map { "\($0.0.name): \(render($0.1, index))" }.joined(separator: ", ") + "}"
        default:
            return Fixtures.render(vector, index) ?? "null"
        }
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
