import Columnar
import Foundation
@testable import Parquet

/// Locates the fixtures next to this file and renders values the way tests/parquet/make_fixtures.py does.
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Expected columns: name, Spark type name, canonical values.
    struct ExpectedColumn {
        var name: String
        var type: String
        var values: [String?]
    }

    struct Expected {
        var rowCount: Int
        var rowGroupCount: Int
        var columns: [ExpectedColumn]
    }

    static func expected(_ name: String) throws -> Expected {
        try expected(at: directory.appendingPathComponent(name).path)
    }

    static func expected(at path: String) throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rows = root["num_rows"] as? Int, let groups = root["row_groups"] as? Int,
              let columns = root["columns"] as? [[String: Any]]
        else { throw ParquetError(.invalidArgument, "bad fixture json \(path)") }
        return Expected(rowCount: rows, rowGroupCount: groups, columns: columns.map { column in
            ExpectedColumn(
                name: column["name"] as? String ?? "", type: column["type"] as? String ?? "",
                values: (column["values"] as? [Any] ?? []).map { $0 as? String })
        })
    }

    /// Renders value `index` of `vector` as the fixture generator does.
    static func render(_ vector: ColumnVector, _ index: Int) -> String? {
        if vector.isNull(index) { return nil }
        switch vector.storage {
        case .null: return nil
        case let .boolean(bits): return bits[index] ? "true" : "false"
        case let .int8(v): return String(v[index])
        case let .int16(v): return String(v[index])
        case let .int32(v): return String(v[index])
        case let .int64(v): return String(v[index])
        case let .float32(v): return hex(littleEndian: v[index].bitPattern)
        case let .float64(v): return hex(littleEndian: v[index].bitPattern)
        case let .decimal(v): return String(v[index])
        case let .bytes(offsets, data):
            let bytes = data[Int(offsets[index])..<Int(offsets[index + 1])]
            if vector.type == .binary { return bytes.map { String(format: "%02x", $0) }.joined() }
            return String(decoding: bytes, as: UTF8.self)
        case .list, .struct: return vector.scalar(at: index).description
        }
    }

    private static func hex<T: FixedWidthInteger>(littleEndian value: T) -> String {
        withUnsafeBytes(of: value.littleEndian) { $0.map { String(format: "%02x", $0) }.joined() }
    }
}
