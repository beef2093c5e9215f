import Columnar
import Parquet

/// Reads files into DataFrames (`session.read.option("header", "true").csv(path)`).
public struct DataFrameReader {
    /// The session the frames belong to.
    public let session: Session
    /// Options as Spark names them (`header`, `sep`, `inferSchema`, `mode`, `nullValue`…).
    public private(set) var options: [String: String] = [:]
    /// An explicit schema, if given.
    public private(set) var userSchema: Schema?
    /// The format named by `format(_:)`, read by `load()`.
    public var sourceFormat: String?

    /// A reader for a session.
    public init(session: Session) { self.session = session }

    /// Sets an option (keys are case-insensitive).
    public func option(_ key: String, _ value: String) -> DataFrameReader {
        var r = self
        r.options[key.lowercased()] = value
        return r
    }

    /// Sets an explicit schema.
    public func schema(_ schema: Schema) -> DataFrameReader {
        var r = self
        r.userSchema = schema
        return r
    }

    /// Sets an explicit schema from DDL text: `a INT, b STRING, c DECIMAL(15,2)`.
    public func schema(_ ddl: String) throws -> DataFrameReader { schema(try Self.parseDDL(ddl)) }

    /// Reads a CSV file (options: `header`, `sep`, `quote`, `escape`, `nullValue`, `inferSchema`,
    /// `mode`).
    /// A directory reads every data file in it, with the schema given or inferred from the first.
    public func csv(_ path: String) throws -> DataFrame {
        let csvOptions = try CSVOptions(options)
        return try files(path) { file, schema in try CSVTable(path: file, options: csvOptions, schema: schema) }
    }

    /// Reads a JSON-lines file (option `mode`).
    public func json(_ path: String) throws -> DataFrame {
        let mode = try ParseMode(rawValue: (options["mode"] ?? "PERMISSIVE").uppercased())
            ?? { throw EngineError.analysis("unknown parse mode `\(options["mode"] ?? "")`", position: nil) }()
        return try files(path) { file, schema in try JSONTable(path: file, schema: schema, mode: mode) }
    }

    /// One scan per data file of `path`, stacked; every file takes the first one's schema unless
    /// one was given.
    private func files(_ path: String, _ open: (String, Schema?) throws -> any TableProvider) throws -> DataFrame {
        let list = try DataFiles.list(path)
        guard let first = list.first else {
            guard let schema = userSchema else {
                throw EngineError.io(path: path, message: "the directory holds no data files to infer a schema from")
            }
            return try session.createDataFrame([[Scalar]](), schema: schema)
        }
        let head = try open(first, userSchema)
        let scans = try [LogicalPlan.scan(ScanRelation(table: head))]
            + list.dropFirst().map { LogicalPlan.scan(ScanRelation(table: try open($0, head.schema))) }
        return try session.dataFrame(scans.count == 1 ? scans[0] : .union(scans))
    }

    /// Reads a Parquet file, or a directory of them with Hive-style partition directories
    /// (`key=value/`), whose partition columns follow the files' columns. Parquet files carry their
    /// schema, so an explicit one is refused.
    public func parquet(_ path: String) throws -> DataFrame {
        if userSchema != nil {
            throw EngineError.analysis("a Parquet read takes its schema from the files; leave out schema()", position: nil)
        }
        do {
            return try table(try ParquetTable(path: path))
        } catch let error as ParquetError {
            throw EngineError.io(path: path, message: "cannot read Parquet: \(error)")
        }
    }

    /// Reads a table source of any format as a DataFrame.
    public func table(_ provider: any TableProvider) throws -> DataFrame {
        try session.dataFrame(.scan(ScanRelation(table: provider)))
    }

    /// Parses `name type, name type, …` (see `DDLParser`).
    public static func parseDDL(_ ddl: String) throws -> Schema { try DDLParser.parseSchema(ddl) }
}

import Foundation
