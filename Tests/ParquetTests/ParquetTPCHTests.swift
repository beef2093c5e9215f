import Columnar
import Foundation
import Testing
@testable import Parquet

/// TPC-H tables written by tpchgen-cli (the arrow-rs Parquet writer) read back equal to pyarrow.
/// Generated at test time (scale factor 0.01) when tpchgen-cli is installed in the repository's .venv.
@Suite("Parquet TPC-H files from tpchgen-cli")
struct ParquetTPCHTests {
    static let bin = Fixtures.directory.appendingPathComponent("../../../.venv/bin").standardized.path
    static let available = FileManager.default.isExecutableFile(atPath: bin + "/tpchgen-cli")
        && FileManager.default.isExecutableFile(atPath: bin + "/python")

    private func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ParquetError(.io, "\(executable) exited with \(process.terminationStatus)")
        }
        return output
    }

    @Test("all eight tables", .enabled(if: available))
    func tablesMatchPyarrow() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tpch-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try run(Self.bin + "/tpchgen-cli", ["parquet", "-s", "0.01", "--output-dir=\(directory)"])
        let script = Fixtures.directory.appendingPathComponent("../../../tests/parquet/read_with_pyarrow.py").standardized.path
        for table in ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"] {
            let path = directory + "/\(table).parquet"
            let json = directory + "/\(table).json"
            try run(Self.bin + "/python", [script, path]).write(to: URL(fileURLWithPath: json))
            let expected = try Fixtures.expected(at: json)
            let reader = try ParquetReader(path: path)
            #expect(try reader.schema().fields.map { $0.type.description } == expected.columns.map(\.type), "\(table)")
            let batches = try reader.readRowGroups(Array(0..<reader.rowGroupCount))
            for (index, column) in expected.columns.enumerated() {
                let rendered = batches.flatMap { batch in (0..<batch.rowCount).map { Fixtures.render(batch.columns[index], $0) } }
                #expect(rendered.count == expected.rowCount, "\(table).\(column.name)")
                if let row = (0..<min(rendered.count, column.values.count)).first(where: { rendered[$0] != column.values[$0] }) {
                    Issue.record("\(table).\(column.name) row \(row): ours \(rendered[row] ?? "null"), pyarrow \(column.values[row] ?? "null")")
                }
            }
        }
    }
}
