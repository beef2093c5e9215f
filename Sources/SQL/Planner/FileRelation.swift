import Columnar
import Engine
import Parquet

/// Plans reads of files named in SQL: ``csv.`path` `` and `CREATE TEMP VIEW … USING csv OPTIONS (path …)`.
enum FileRelation {
    /// Formats SQL can name.
    static let formats: Set<String> = ["csv", "json", "parquet"]

    /// The plan reading `path` in `format` with Spark reader options (`header`, `sep`, …).
    static func plan(session: Session, format: String, path: String, options: [(key: String, value: String)],
                     schema: Schema?, at location: SourceLocation) throws -> LogicalPlan {
        let lower = format.lowercased()
        guard formats.contains(lower) else {
            throw SQLError("unknown data source format '\(format)' (expected csv, json or parquet)", at: location)
        }
        var reader = session.read
        for (key, value) in options where key.lowercased() != "path" { reader = reader.option(key, value) }
        if let schema { reader = reader.schema(schema) }
        switch lower {
        case "csv":
            return try reader.csv(path).plan
        case "json":
            return try reader.json(path).plan
        case "parquet":
            if schema != nil {
                throw SQLError("a Parquet view takes its columns from the files; leave out the column list",
                               at: location)
            }
            do {
                return try reader.parquet(path).plan
            } catch let error as EngineError {
                throw SQLError("\(error)", at: location)
            }
        default:
            throw SQLError("unknown data source format '\(format)' (expected csv, json or parquet)", at: location)
        }
    }
}
