import Columnar
import Foundation
@testable import Engine

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, suffix: String = ".csv") throws -> String {
    let dir = FileManager.default.temporaryDirectory
    let url = dir.appendingPathComponent("tributary-\(UUID().uuidString)\(suffix)")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// A session with two workers, so parallel paths run even on small inputs.
func testSession(batchRows: Int = 3) -> Session {
    Session(config: SessionConfig(workerCount: 2, batchRows: batchRows))
}

/// The rows of a frame as printed strings, for compact assertions.
func texts(_ df: DataFrame) throws -> [[String]] {
    try df.collect().map { $0.values.map(\.description) }
}
