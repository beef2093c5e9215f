import Columnar
import Foundation
import Testing
@testable import Parquet

/// Hive-style partitioned directories: written with `partitionBy`, discovered, typed and pruned.
@Suite("Parquet datasets")
struct ParquetDatasetTests {
    static let schema = Schema([
        Field("id", .int64, nullable: false), Field("region", .string), Field("day", .date), Field("amount", .float64),
    ])

    static func batch(_ rows: Range<Int>) -> RecordBatch {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
        let regions: [Scalar] = [.string("eu"), .string("us/east"), .null]
        for row in rows {
            builders[0].append(.int(Int64(row)))
            builders[1].append(regions[row % 3])
            builders[2].append(.date(Int32(19_700 + row % 2)))
            builders[3].append(.double(Double(row) * 1.5))
        }
        return RecordBatch(schema: schema, columns: builders.indices.map { builders[$0].finish() })
    }

    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("dataset-\(UUID().uuidString)").path
    }

    @Test func partitionedWriteAndRead() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = try ParquetDatasetWriter.write([Self.batch(0..<50), Self.batch(50..<90)], schema: Self.schema,
                                                   to: directory, partitionBy: ["region", "day"])
        #expect(paths.count == 6)
        #expect(FileManager.default.fileExists(atPath: directory + "/region=us%2Feast/day=2023-12-09"))
        #expect(FileManager.default.fileExists(atPath: directory + "/region=__HIVE_DEFAULT_PARTITION__/day=2023-12-10"))

        let dataset = try ParquetDataset(path: directory)
        #expect(dataset.files.count == 6)
        #expect(dataset.schema == Schema([
            Field("id", .int64, nullable: false), Field("amount", .float64), Field("region", .string), Field("day", .date),
        ]))
        let batches = try dataset.read()
        var seen: [Int64: [Scalar]] = [:]
        for batch in batches {
            for row in 0..<batch.rowCount {
                let values = batch.row(row)
                if case let .int(id) = values[0] { seen[id] = values }
            }
        }
        #expect(seen.count == 90)
        let original = Self.batch(0..<90)
        for row in 0..<90 {
            let expected = original.row(row)
            #expect(seen[Int64(row)] == [expected[0], expected[3], expected[1], expected[2]], "row \(row)")
        }
    }

    @Test func partitionPruning() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try ParquetDatasetWriter.write([Self.batch(0..<60)], schema: Self.schema, to: directory, partitionBy: ["region"])
        let dataset = try ParquetDataset(path: directory)
        #expect(dataset.files(matching: .compare(column: "region", .equal, .string("eu"))).count == 1)
        #expect(dataset.files(matching: .isNull(column: "region")).count == 1)
        #expect(dataset.files(matching: .compare(column: "REGION", .notEqual, .string("eu"))).count == 1)
        let rows = try dataset.read(columns: ["id", "region"], predicate: .compare(column: "region", .equal, .string("us/east")))
            .reduce(0) { $0 + $1.rowCount }
        #expect(rows == 20)
        // A predicate on a data column prunes by row-group statistics inside the files.
        let none = try dataset.read(predicate: .compare(column: "id", .greater, .int(1000)))
        #expect(none.isEmpty)
    }

    @Test func scanUnitsReadInParallel() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var options = ParquetWriteOptions()
        options.rowGroupRows = 7
        try ParquetDatasetWriter.write([Self.batch(0..<90)], schema: Self.schema, to: directory, partitionBy: ["region"],
                                       options: options)
        let dataset = try ParquetDataset(path: directory)
        let units = try dataset.scanUnits()
        #expect(units.reduce(0) { $0 + $1.rowCount } == 90)
        #expect(units.count == 15)  // three partitions of 30 rows in row groups of 7
        var sums = [Int64](repeating: 0, count: units.count)
        let failures = ManagedCounter()
        sums.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: units.count) { index in
                do {
                    let batch = try dataset.read(units[index], columns: ["id", "region"])
                    var total: Int64 = 0
                    for row in 0..<batch.rowCount { if case let .int(id) = batch.columns[0].scalar(at: row) { total += id } }
                    base[index] = total
                } catch {
                    failures.increment()
                }
            }
        }
        #expect(failures.value == 0)
        #expect(sums.reduce(0, +) == Int64((0..<90).reduce(0, +)))
        let pruned = try dataset.scanUnits(predicate: .compare(column: "id", .less, .int(3)))
        #expect(pruned.count >= 1 && pruned.count <= 3)
    }

    @Test func inferredPartitionTypes() {
        #expect(PartitionValues.inferType("42") == .int32)
        #expect(PartitionValues.inferType("5000000000") == .int64)
        #expect(PartitionValues.inferType("1.25") == .float64)
        #expect(PartitionValues.inferType("2024-02-29") == .date)
        #expect(PartitionValues.inferType("2024-02-29 10:11:12") == .timestamp)
        #expect(PartitionValues.inferType("abc") == .string)
        #expect(PartitionValues.inferType(PartitionValues.nullName) == nil)
        #expect(PartitionValues.widen(.int32, .int64) == .int64)
        #expect(PartitionValues.widen(.int32, .float64) == .float64)
        #expect(PartitionValues.widen(.date, .int32) == .string)
        #expect(PartitionValues.unescape(PartitionValues.escape("a/b:c=d%")) == "a/b:c=d%")
    }

    @Test("an empty string partitions like null, as Spark writes it (Spark refuses `key=` directories)")
    func emptyStringPartitionIsTheNullDirectory() {
        #expect(PartitionValues.directoryName(.string("")) == PartitionValues.nullName)
        #expect(PartitionValues.directoryName(.null) == PartitionValues.nullName)
        #expect(PartitionValues.directoryName(.string(" ")) == " ")
        #expect(PartitionValues.directoryName(.string("a/b")) == "a%2Fb")
    }

    @Test("glob patterns in the path select files and directories, as Spark's paths do")
    func globPatterns() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try ParquetDatasetWriter.write([Self.batch(0..<30)], schema: Self.schema, to: directory,
                                           partitionBy: ["region"])
        let everything = try ParquetDataset(path: directory + "/region=*")
        #expect(everything.files.count == 3)
        #expect(everything.partitionFields.isEmpty)  // each match is a root of its own
        let two = try ParquetDataset(path: directory + "/region={eu,__HIVE_DEFAULT_PARTITION__}/*")
        #expect(two.files.count == 2)
        FileManager.default.createFile(atPath: directory + "/region=eu/_SUCCESS", contents: Data())
        let bracket = try ParquetDataset(path: directory + "/region=[eu]?/*")
        #expect(bracket.files.count == 1)  // `_SUCCESS` is metadata, left out as in a listing
        #expect(try bracket.read().reduce(0) { $0 + $1.rowCount } == 10)
        #expect(throws: ParquetError.self) { try ParquetDataset(path: directory + "/nothing-*") }
    }

    @Test("part files are named by codec as parquet-mr names them")
    func partFileNamesFollowParquetMR() throws {
        let expected: [(ParquetCompression, String)] = [
            (.snappy, ".c000.snappy.parquet"), (.gzip, ".c000.gz.parquet"), (.zstd, ".c000.zstd.parquet"),
            (.lz4Raw, ".c000.lz4raw.parquet"), (.uncompressed, ".c000.parquet"),
        ]
        for (codec, ending) in expected {
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var options = ParquetWriteOptions()
            options.compression = codec
            let paths = try ParquetDatasetWriter.write([Self.batch(0..<3)], schema: Self.schema, to: directory,
                                                       partitionBy: [], options: options)
            #expect(paths.count == 1 && paths[0].hasSuffix(ending), "\(codec): \(paths)")
        }
    }

    @Test func missingPathThrows() {
        #expect(throws: ParquetError.self) { try ParquetDataset(path: "/nonexistent/tributary/dataset") }
    }
}

/// A thread-safe counter for test failures inside concurrent loops.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
