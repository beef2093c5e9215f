import Columnar
import Foundation
import Testing
@testable import Parquet

/// Files we write read back equal through our reader and through pyarrow.
@Suite("Parquet writer")
struct ParquetWriterTests {
    static let schema = Schema([
        Field("b", .boolean), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32),
        Field("i64", .int64, nullable: false), Field("f32", .float32), Field("f64", .float64),
        Field("dec9", .decimal(precision: 9, scale: 2)), Field("dec18", .decimal(precision: 18, scale: 4)),
        Field("dec38", .decimal(precision: 38, scale: 10)), Field("s", .string), Field("bin", .binary),
        Field("d", .date), Field("ts", .timestamp), Field("nothing", .int32),
    ])

    /// Rows `start..<start+count` of a deterministic table with nulls in every nullable column.
    static func batch(start: Int, count: Int) -> RecordBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type, capacity: count) }
        for row in start..<(start + count) {
            let null = row % 7 == 3
            func add(_ column: Int, _ value: Scalar) { builders[column].append(null ? .null : value) }
            add(0, .boolean(row % 3 == 0))
            add(1, .int(Int64(row % 200 - 100)))
            add(2, .int(Int64(row * 37 % 60000 - 30000)))
            add(3, .int(Int64(Int32(truncatingIfNeeded: row &* 2_654_435_761))))
            builders[4].append(.int(Int64(row) * 1_000_003 - 7_000_000_000))
            add(5, .double(Double(Float(row) * 0.25 - 100.5)))
            add(6, .double(Double(row - 1500) / 7.0))
            add(7, .decimal(DecimalValue(unscaled: Int128(row * 1234 - 99999), scale: 2)))
            add(8, .decimal(DecimalValue(unscaled: Int128(row) * 123_456_789 - 1_000_000_000_000, scale: 4)))
            add(9, .decimal(DecimalValue(unscaled: (Int128(row) - 1500) * 1_000_000_000_000_000_000_000_000_000 + Int128(row), scale: 10)))
            add(10, .string("row-\(row % 50)-" + String(repeating: "x", count: row % 11)))
            add(11, .binary(Array(repeating: UInt8(row % 256), count: row % 4)))
            add(12, .date(Int32(row * 13 - 20000)))
            add(13, .timestamp(Int64(row) * 123_456_789_123 - 100_000_000_000_000))
            builders[14].append(.null)
        }
        return RecordBatch(schema: schema, columns: builders.indices.map { builders[$0].finish() })
    }

    private func temporaryPath(_ name: String) -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-parquet-tests")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("\(name)-\(UUID().uuidString).parquet").path
    }

    private func writeSample(_ path: String, options: ParquetWriteOptions, rows: Int = 2000) throws {
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: options)
        var start = 0
        while start < rows {
            let count = min(300, rows - start)
            try writer.write(Self.batch(start: start, count: count))
            start += count
        }
        try writer.close()
    }

    static let codecs: [ParquetCompression] = [.uncompressed, .snappy, .gzip, .zstd, .lz4Raw]

    @Test("round trip through our reader", arguments: codecs, [true, false])
    func roundTrip(codec: ParquetCompression, dictionary: Bool) throws {
        var options = ParquetWriteOptions()
        options.compression = codec
        options.dictionary = dictionary
        options.rowGroupRows = 700
        options.pageBytes = 512
        let path = temporaryPath("roundtrip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeSample(path, options: options)

        let reader = try ParquetReader(path: path)
        #expect(reader.rowGroupCount == 3)
        #expect(reader.rowCount == 2000)
        #expect(try reader.schema() == Self.schema)
        let expected = Self.batch(start: 0, count: 2000)
        var row = 0
        for batch in try reader.readRowGroups(Array(0..<reader.rowGroupCount)) {
            for index in 0..<batch.rowCount {
                #expect(batch.row(index) == expected.row(row + index), "row \(row + index)")
            }
            row += batch.rowCount
        }
        #expect(row == 2000)
    }

    @Test func statisticsAndPageIndex() throws {
        var options = ParquetWriteOptions()
        options.rowGroupRows = 1000
        options.pageBytes = 1024
        let path = temporaryPath("stats")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeSample(path, options: options)
        let reader = try ParquetReader(path: path)
        let chunk = reader.metadata.rowGroups[1].columns[4]
        let stats = chunk.metaData?.statistics
        let low = stats?.minValue.map { $0.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }
        let high = stats?.maxValue.map { $0.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }
        #expect(low == 1000 * 1_000_003 - 7_000_000_000)
        #expect(high == 1999 * 1_000_003 - 7_000_000_000)
        #expect(stats?.nullCount == 0)
        #expect(reader.metadata.rowGroups[0].columns[3].metaData?.statistics?.nullCount == 143)
        #expect(reader.metadata.columnOrders?.count == Self.schema.count)
        #expect(chunk.columnIndexOffset != nil && chunk.offsetIndexOffset != nil)
        #expect(reader.metadata.rowGroups[0].columns[14].metaData?.statistics?.minValue == nil)
    }

    @Test func emptyFileHasOneEmptyRowGroup() throws {
        let path = temporaryPath("empty")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        try writer.close()
        let reader = try ParquetReader(path: path)
        #expect(reader.rowCount == 0)
        #expect(try reader.readRowGroups(Array(0..<reader.rowGroupCount)).allSatisfy { $0.rowCount == 0 })
    }

    @Test func nullsInNotNullColumnAreRefused() throws {
        let path = temporaryPath("notnull")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let schema = Schema([Field("x", .int64, nullable: false)])
        var builder = ColumnBuilder(type: .int64)
        builder.append(.null)
        let writer = try ParquetWriter(path: path, schema: schema)
        #expect(throws: ParquetError.self) {
            try writer.write(RecordBatch(schema: schema, columns: [builder.finish()]))
        }
    }

    static let python = Fixtures.directory.appendingPathComponent("../../../.venv/bin/python").standardized.path

    @Test("pyarrow and DuckDB read what we write", .enabled(if: FileManager.default.isExecutableFile(atPath: python)),
          arguments: codecs, ["pyarrow", "duckdb"])
    func othersReadOurFiles(codec: ParquetCompression, engine: String) throws {
        var options = ParquetWriteOptions()
        options.compression = codec
        options.rowGroupRows = 700
        options.pageBytes = 512
        let path = temporaryPath("pyarrow")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeSample(path, options: options)

        let script = Fixtures.directory.appendingPathComponent("../../../tests/parquet/read_with_pyarrow.py").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = engine == "duckdb" ? [script, "--duckdb", path] : [script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let jsonPath = temporaryPath("pyarrow-json")
        defer { try? FileManager.default.removeItem(atPath: jsonPath) }
        try output.write(to: URL(fileURLWithPath: jsonPath))
        let expected = try Fixtures.expected(at: jsonPath)
        #expect(expected.rowCount == 2000)
        #expect(expected.rowGroupCount == 3)
        #expect(process.terminationStatus == 0, "\(engine) failed")
        let ours = Self.batch(start: 0, count: 2000)
        for (index, column) in expected.columns.enumerated() {
            let field = Self.schema.fields[index]
            #expect(column.name == field.name)
            // pyarrow has no void column type for an int column of nulls: it reads int32.
            #expect(column.type == field.type.description, "\(field.name)")
            let rendered = (0..<ours.rowCount).map { Fixtures.render(ours.columns[index], $0) }
            #expect(rendered.count == column.values.count)
            if let row = (0..<min(rendered.count, column.values.count)).first(where: { rendered[$0] != column.values[$0] }) {
                Issue.record("\(engine) \(codec) \(field.name) row \(row): ours \(rendered[row] ?? "null"), pyarrow \(column.values[row] ?? "null")")
            }
        }
    }
}
