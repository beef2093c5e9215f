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
    public func csv(_ path: String) throws -> DataFrame {
        let table = try CSVTable(path: path, options: try CSVOptions(options), schema: userSchema)
        return try session.dataFrame(.scan(ScanRelation(table: table)))
    }

    /// Reads a JSON-lines file (option `mode`).
    public func json(_ path: String) throws -> DataFrame {
        let mode = try ParseMode(rawValue: (options["mode"] ?? "PERMISSIVE").uppercased())
            ?? { throw EngineError.analysis("unknown parse mode `\(options["mode"] ?? "")`", position: nil) }()
        let table = try JSONTable(path: path, schema: userSchema, mode: mode)
        return try session.dataFrame(.scan(ScanRelation(table: table)))
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
