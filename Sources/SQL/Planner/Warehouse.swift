import Columnar
import Engine
import Foundation

/// The session's persistent tables, kept as Spark keeps managed tables: each in a directory of
/// the warehouse (`spark.sql.warehouse.dir`, by default `spark-warehouse` in the working
/// directory), written in its format, with its definition beside it in `<name>.table.json`
/// (format, schema, options, partition columns, and the data's location when it was given).
final class Warehouse: PersistentTables, @unchecked Sendable {
    /// A table's definition as stored.
    struct Definition: Codable {
        var format: String
        /// The columns in DDL (`a INT, b STRING`), partition columns last.
        var schema: String
        var options: [String: String]
        var partitionColumns: [String]
        /// Where the data lives when it was given with LOCATION (the table is then external:
        /// dropping it leaves the files).
        var location: String?
    }

    private weak var session: Session?

    init(session: Session) { self.session = session }

    /// The warehouse directory.
    var root: String { session?.conf.get("spark.sql.warehouse.dir") ?? "spark-warehouse" }

    private func definitionPath(_ name: String) -> String { root + "/" + name.lowercased() + ".table.json" }

    /// Where the table's files are.
    func dataPath(_ name: String, _ d: Definition) -> String { d.location ?? root + "/" + name.lowercased() }

    /// The table name `parts` means (`t`, `default.t`, `spark_catalog.default.t`), or nil for
    /// names of other namespaces.
    static func tableName(_ parts: [String]) -> String? {
        let lower = parts.map { $0.lowercased() }
        switch lower.count {
        case 1: return lower[0]
        case 2 where lower[0] == "default": return lower[1]
        case 3 where lower[0] == "spark_catalog" && lower[1] == "default": return lower[2]
        default: return nil
        }
    }

    /// The definition of table `name`, or nil when there is none.
    func definition(_ name: String) throws -> Definition? {
        let path = definitionPath(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(Definition.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw EngineError.io(path: path, message: "cannot read the table definition: \(error)")
        }
    }

    func save(_ name: String, _ d: Definition) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(d).write(to: URL(fileURLWithPath: definitionPath(name)), options: .atomic)
    }

    /// Forgets table `name`, deleting its files unless they were given with LOCATION.
    func drop(_ name: String) throws {
        guard let d = try definition(name) else { return }
        try FileManager.default.removeItem(atPath: definitionPath(name))
        if d.location == nil, FileManager.default.fileExists(atPath: dataPath(name, d)) {
            try FileManager.default.removeItem(atPath: dataPath(name, d))
        }
    }

    /// The table names, sorted.
    func names() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.filter { $0.hasSuffix(".table.json") }.map { String($0.dropLast(".table.json".count)) }.sorted()
    }

    func plan(_ parts: [String]) throws -> LogicalPlan? {
        guard let name = Self.tableName(parts), let d = try definition(name), let session else { return nil }
        let schema = try DDLParser.parseSchema(d.schema)
        let path = dataPath(name, d)
        if !DataFiles.holdsData(path) {
            // A table with no rows yet.
            return try session.createDataFrame([[Scalar]](), schema: schema).plan
        }
        var reader = session.read.format(d.format)
        for (key, value) in d.options { reader = reader.option(key, value) }
        // Parquet files carry their own schema; CSV and JSON are read with the table's.
        if d.format != "parquet" { reader = reader.schema(schema) }
        return try reader.load(path).plan
    }

    /// Writes `frame` into table `name`: its columns taken by position and cast to the table's
    /// types, appended or replacing what is there.
    func write(_ frame: DataFrame, into name: String, _ d: Definition, overwrite: Bool) throws {
        let schema = try DDLParser.parseSchema(d.schema)
        let output = frame.plan.output
        guard output.count == schema.fields.count else {
            throw EngineError.analysis("table `\(name)` has \(schema.fields.count) columns, but the query gives \(output.count)",
                                       position: nil)
        }
        let projected = try frame.session.dataFrame(.project(zip(output, schema.fields).map { a, f in
            .alias(a.type == f.type ? .attribute(a) : .cast(.attribute(a), f.type), name: f.name)
        }, frame.plan))
        var writer = try projected.write.mode(overwrite ? "overwrite" : "append").format(d.format)
        for (key, value) in d.options { writer = writer.option(key, value) }
        if !d.partitionColumns.isEmpty { writer = writer.partitionBy(d.partitionColumns) }
        try writer.save(dataPath(name, d))
    }

    /// A schema in the DDL the definition stores.
    static func ddl(_ schema: Schema) -> String {
        schema.fields.map { "`\($0.name.replacingOccurrences(of: "`", with: "``"))` \($0.type.sqlName)" }.joined(separator: ", ")
    }
}
