import Columnar
import Foundation
import Testing
@testable import Parquet

/// Nested columns written with definition and repetition levels read back as the same values, by
/// our reader here and by pyarrow, DuckDB and PySpark in `tests/parquet/test_pyspark.py`.
@Suite("Parquet nested writer")
struct ParquetNestedWriteTests {
    static let schema = Schema([
        Field("id", .int64, nullable: false),
        Field("ints", .array(element: .int32, containsNull: true)),
        Field("point", .struct([StructField("x", .int64, nullable: false), StructField("label", .string)])),
        Field("tags", .map(key: .string, value: .int32, valueContainsNull: true)),
        Field("lines", .array(element: .struct([
            StructField("n", .int32), StructField("parts", .array(element: .string, containsNull: true)),
        ]), containsNull: false)),
        Field("required_list", .array(element: .int64, containsNull: false), nullable: false),
    ])

    /// Row `i`: nulls, empty lists and null elements at every level, varying by row.
    static func row(_ i: Int) -> [Scalar] {
        let ints: Scalar = i % 7 == 3 ? .null : (i % 5 == 0 ? .array([]) : .array([.int(Int64(i)), .null, .int(Int64(2 * i))]))
        let point: Scalar = i % 6 == 1 ? .null : .struct([.int(Int64(i)), i % 4 == 0 ? .null : .string("p\(i)")])
        let tags: Scalar = i % 8 == 2 ? .null : .map(keys: [.string("k\(i % 3)"), .string("z")],
                                                    values: [.int(Int64(i)), i % 2 == 0 ? .null : .int(-1)])
        let lines: Scalar = i % 9 == 4 ? .null : .array([
            .struct([.int(Int64(i)), .array([.string("a\(i)"), .null])]),
            .struct([.null, .null]),
            .struct([.int(7), .array([])]),
        ])
        let required: Scalar = .array((0..<(i % 4)).map { .int(Int64($0)) })
        return [.int(Int64(i)), ints, point, tags, lines, required]
    }

    static func batch(rows: Range<Int>) -> RecordBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for i in rows {
            for (k, value) in row(i).enumerated() { builders[k].append(value) }
        }
        return RecordBatch(schema: schema, columns: builders.map { builder in var b = builder; return b.finish() }, rowCount: rows.count)
    }

    @Test("nested columns round trip", arguments: [ParquetCompression.uncompressed, .snappy], [true, false])
    func roundTrip(codec: ParquetCompression, dictionary: Bool) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nested-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = ParquetWriteOptions()
        options.compression = codec
        options.dictionary = dictionary
        options.rowGroupRows = 70
        options.pageRowsMax = 16
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: options)
        try writer.write(Self.batch(rows: 0..<50))
        try writer.write(Self.batch(rows: 50..<200))
        try writer.close()

        let reader = try ParquetReader(path: path)
        #expect(try reader.schema() == Self.schema)
        #expect(reader.rowGroupCount == 3)
        let batches = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
        var next = 0
        for batch in batches {
            for r in 0..<batch.rowCount {
                #expect(batch.row(r) == Self.row(next), "row \(next)")
                next += 1
            }
        }
        #expect(next == 200)
        // The levels went into pages of at most 16 rows, split at row boundaries.
        let lines = try #require(reader.parquetSchema.columns.firstIndex { $0.dottedPath == "lines.list.element.parts.list.element" })
        #expect(reader.parquetSchema.columns[lines].maxRepetitionLevel == 2)
        let offsets = try #require(try reader.offsetIndex(rowGroup: 0, column: lines))
        #expect(offsets.pageLocations.map(\.firstRowIndex) == [0, 16, 32, 48, 64])
    }

    @Test func nullInNotNullNestedFieldIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nested-\(UUID().uuidString).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("l", .array(element: .int32, containsNull: false))])
        var builder = ColumnBuilder(type: schema.fields[0].type, capacity: 1)
        builder.append(.array([.int(1), .null]))
        let writer = try ParquetWriter(path: path, schema: schema)
        #expect(throws: ParquetError.self) {
            try writer.write(RecordBatch(schema: schema, columns: [builder.finish()], rowCount: 1))
        }
    }
}
