import Columnar
import Foundation
import Testing
@testable import Parquet

/// Files written by pyarrow (tests/parquet/make_fixtures.py) read back equal to what pyarrow reads.
@Suite("Parquet reader against pyarrow files")
struct ParquetFixtureReadTests {
    static let baseFiles = [
        "plain_none", "plain_snappy", "plain_gzip", "plain_zstd", "plain_lz4", "plain_v2_uncompressed",
        "dictionary_v1", "dictionary_v2", "dictionary_fallback", "delta_v1", "delta_v2", "byte_stream_split", "duckdb_zstd",
    ]

    private func check(file: String, expectedName: String) throws {
        let expected = try Fixtures.expected(expectedName)
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        #expect(reader.rowCount == expected.rowCount)
        // DuckDB sizes row groups itself; the pyarrow files have the row groups the JSON records.
        if !file.hasPrefix("duckdb") { #expect(reader.rowGroupCount == expected.rowGroupCount) }
        let schema = try reader.schema()
        #expect(schema.names == expected.columns.map(\.name))
        #expect(schema.fields.map { $0.type.description } == expected.columns.map(\.type), "\(file)")
        let batches = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
        for (columnIndex, column) in expected.columns.enumerated() {
            var rendered: [String?] = []
            for batch in batches {
                let vector = batch.columns[columnIndex]
                for row in 0..<vector.count { rendered.append(Fixtures.render(vector, row)) }
            }
            #expect(rendered.count == column.values.count, "\(file) \(column.name)")
            if let mismatch = zip(rendered, column.values).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
                Issue.record("\(file) column \(column.name) row \(mismatch.offset): read \(mismatch.element.0 ?? "null"), pyarrow \(mismatch.element.1 ?? "null")")
            }
        }
    }

    @Test("every codec, page version and encoding", arguments: baseFiles)
    func readsBaseTable(file: String) throws {
        try check(file: file, expectedName: "base.json")
    }

    @Test func readsInt96Timestamps() throws {
        try check(file: "int96", expectedName: "int96.json")
    }

    @Test func selectedColumnsOnly() throws {
        let reader = try ParquetReader(path: Fixtures.path("plain_snappy.parquet"))
        guard let s = reader.topLevelFieldIndex(named: "S"), let i64 = reader.topLevelFieldIndex(named: "i64") else {
            Issue.record("columns not found")
            return
        }
        let batch = try reader.readRowGroup(1, fields: [s, i64])
        #expect(batch.schema.names == ["s", "i64"])
        #expect(batch.rowCount == reader.rowCount(rowGroup: 1))
        let expected = try Fixtures.expected("base.json")
        let offset = reader.rowCount(rowGroup: 0)
        let column = expected.columns.first { $0.name == "s" }
        for row in 0..<batch.rowCount {
            #expect(Fixtures.render(batch.columns[0], row) == column?.values[offset + row])
        }
    }

    @Test func footerNamesTheWriter() throws {
        let reader = try ParquetReader(path: Fixtures.path("plain_none.parquet"))
        #expect(reader.metadata.createdBy?.contains("parquet-cpp") == true)
        #expect(reader.parquetSchema.columns.count == 25)
    }
}
