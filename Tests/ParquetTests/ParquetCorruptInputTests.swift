import Foundation
import Testing
@testable import Parquet

/// Truncated and damaged files must throw a `ParquetError` naming where the damage is, never crash.
@Suite("Parquet corrupt input")
struct ParquetCorruptInputTests {
    static let fuzzFiles = ["fuzz_dictionary", "fuzz_delta_v2", "nested_v2"]

    private func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Fixtures.directory.appendingPathComponent(name + ".parquet")))
    }

    /// Opens and reads everything; returns the error if one was thrown.
    private func readAll(_ data: [UInt8]) -> Error? {
        do {
            let reader = try ParquetReader(bytes: data, name: "damaged.parquet")
            let fields = (0..<reader.parquetSchema.root.children.count).filter { reader.leafIndex(ofTopLevelField: $0) != nil }
            _ = try reader.readRowGroups(Array(0..<reader.rowGroupCount), fields: fields)
            // Nested fields go through record assembly (and into Columnar vectors), which must survive
            // contradictory levels.
            _ = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
            for group in 0..<reader.rowGroupCount {
                for field in 0..<reader.parquetSchema.root.children.count where reader.leafIndex(ofTopLevelField: field) == nil {
                    _ = try reader.readNested(rowGroup: group, field: field)
                }
            }
            return nil
        } catch {
            return error
        }
    }

    @Test("the fuzz fixtures read back like pyarrow", arguments: ["fuzz_dictionary", "fuzz_delta_v2"])
    func fuzzFixturesAreValid(file: String) throws {
        let expected = try Fixtures.expected("fuzz.json")
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        let batches = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
        for (index, column) in expected.columns.enumerated() {
            let rendered = batches.flatMap { batch in (0..<batch.rowCount).map { Fixtures.render(batch.columns[index], $0) } }
            #expect(rendered == column.values, "\(file) \(column.name)")
        }
    }

    @Test("every truncation throws a ParquetError", arguments: fuzzFiles)
    func truncated(file: String) throws {
        let data = try bytes(file)
        for length in stride(from: 0, to: data.count, by: 97) {
            let error = readAll(Array(data.prefix(length)))
            #expect(error is ParquetError, "\(file) cut at \(length): \(String(describing: error))")
        }
    }

    @Test("truncation names the file")
    func truncationNamesFile() throws {
        let data = try bytes("fuzz_dictionary")
        let error = readAll(Array(data.prefix(data.count - 3))) as? ParquetError
        #expect(error?.location.file == "damaged.parquet")
        #expect(error?.kind == .corrupt)
    }

    @Test("a damaged page names file, row group, column and page")
    func damagedPageLocation() throws {
        var data = try bytes("fuzz_delta_v2")
        let reader = try ParquetReader(bytes: data)
        guard let meta = reader.metadata.rowGroups[1].columns[3].metaData else {
            Issue.record("fixture lacks column metadata")
            return
        }
        // Overwrite the tail of column 3's chunk (its last page body) in row group 1.
        let end = Int(meta.dataPageOffset + meta.totalCompressedSize)
        for index in (end - 12)..<end { data[index] = 0xEE }
        let error = readAll(data) as? ParquetError
        #expect(error?.location.file == "damaged.parquet")
        #expect(error?.location.rowGroup == 1)
        #expect(error?.location.column == "s")
        #expect(error?.location.page != nil)
    }

    @Test("seeded byte mutations never crash", arguments: fuzzFiles)
    func mutations(file: String) throws {
        let original = try bytes(file)
        var state: UInt64 = 0x5EED_0001 ^ UInt64(original.count)
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 17
        }
        var failures = 0
        for round in 0..<400 {
            var data = original
            // Half the rounds aim at the footer, where one byte changes the meaning of everything after it.
            let footerBias = round % 2 == 0
            for _ in 0..<(1 + Int(next() % 4)) {
                let span = footerBias ? min(600, data.count) : data.count
                let at = data.count - 1 - Int(next() % UInt64(span))
                data[at] = UInt8(truncatingIfNeeded: next())
            }
            if let error = readAll(data), !(error is ParquetError) {
                failures += 1
                Issue.record("round \(round) of \(file): \(error)")
            }
        }
        #expect(failures == 0)
    }
}
