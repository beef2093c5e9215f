import Columnar
import Foundation
import Parquet

/// What to do when the output path exists (Spark's `mode`).
public enum SaveMode: String, Sendable {
    /// Fail (Spark's default, `errorifexists`).
    case errorIfExists = "errorifexists"
    /// Replace the existing output.
    case overwrite
    /// Add another part file.
    case append
    /// Do nothing.
    case ignore
}

/// Writes a DataFrame as files (`df.write.option("header", "true").csv(dir)`): like Spark, the
/// path is a directory holding part files and an empty `_SUCCESS` marker.
public struct DataFrameWriter {
    /// The frame to write.
    public let frame: DataFrame
    /// Options (`header`, `sep`, `nullValue`).
    public private(set) var options: [String: String] = [:]
    /// Behaviour when the path exists.
    public private(set) var saveMode: SaveMode = .errorIfExists
    /// The format named by `format(_:)`, written by `save()`.
    public var sinkFormat: String?
    /// Columns whose values name the directories rows go to (`key=value/`), Parquet only.
    public private(set) var partitionColumns: [String] = []

    /// A writer for a frame.
    public init(frame: DataFrame) { self.frame = frame }

    /// Sets an option.
    public func option(_ key: String, _ value: String) -> DataFrameWriter {
        var w = self
        w.options[key.lowercased()] = value
        return w
    }

    /// Sets the save mode by Spark name (`overwrite`, `append`, `ignore`, `error`).
    public func mode(_ name: String) throws -> DataFrameWriter {
        var w = self
        let n = name.lowercased()
        guard let m = SaveMode(rawValue: n == "error" ? "errorifexists" : n) else {
            throw EngineError.analysis("unknown save mode `\(name)`", position: nil)
        }
        w.saveMode = m
        return w
    }

    /// Partitions the output by `columns`, Hive-style: each distinct combination of values becomes a
    /// directory `a=1/b=x/` and those columns leave the files.
    public func partitionBy(_ columns: String...) -> DataFrameWriter { partitionBy(columns) }

    /// Partitions the output by `columns` (see the variadic form).
    public func partitionBy(_ columns: [String]) -> DataFrameWriter {
        var w = self
        w.partitionColumns = columns
        return w
    }

    /// Writes Parquet part files (`part-00000-<uuid>.c000.snappy.parquet`), typed so that Spark,
    /// pyarrow and DuckDB read the columns back with the same types. Option `compression`: `snappy`
    /// (default), `zstd`, `gzip`, `lz4_raw`, `none`.
    public func parquet(_ path: String) throws {
        var settings = ParquetWriteOptions()
        settings.compression = try Self.parquetCompression(options["compression"] ?? "snappy")
        if saveMode == .ignore && FileManager.default.fileExists(atPath: path) { return }
        // The rows are computed before an existing output is removed: the query may read it.
        let batches = try frame.collectBatches()
        guard try prepareDirectory(path) != nil else { return }
        do {
            try ParquetDatasetWriter.write(batches, schema: frame.schema, to: path, partitionBy: partitionColumns,
                                           options: settings)
        } catch let error as ParquetError {
            throw EngineError.io(path: path, message: "cannot write Parquet: \(error)")
        }
    }

    static func parquetCompression(_ name: String) throws -> ParquetCompression {
        switch name.lowercased() {
        case "none", "uncompressed": return .uncompressed
        case "snappy": return .snappy
        case "gzip": return .gzip
        case "zstd": return .zstd
        case "lz4_raw", "lz4raw": return .lz4Raw
        default:
            throw EngineError.analysis("unsupported Parquet compression `\(name)` (snappy, zstd, gzip, lz4_raw, none)",
                                       position: nil)
        }
    }

    /// Writes CSV part files.
    public func csv(_ path: String) throws {
        let opts = try CSVOptions(options)
        try CSVTable.checkSupported(frame.schema)
        try write(path, ext: "csv") { batches in
            var out: [UInt8] = []
            let d = opts.delimiter
            if opts.header {
                out.append(contentsOf: Self.csvLine(frame.columns.map { Array($0.utf8) }, d, opts.quote))
            }
            for b in batches {
                for i in 0..<b.rowCount {
                    let cells = b.columns.map { c -> [UInt8] in c.isNull(i) ? opts.nullValue : Array(c.scalar(at: i).description.utf8) }
                    out.append(contentsOf: Self.csvLine(cells, d, opts.quote))
                }
            }
            return out
        }
    }

    /// Writes JSON-lines part files (null fields are left out, as Spark does).
    public func json(_ path: String) throws {
        try write(path, ext: "json") { batches in
            var out: [UInt8] = []
            let names = frame.columns
            let types = frame.schema.fields.map(\.type)
            for b in batches {
                for i in 0..<b.rowCount {
                    out.append(contentsOf: Array((SparkJSON.object(names: names, types: types, values: b.row(i)) + "\n").utf8))
                }
            }
            return out
        }
    }

    /// Applies the save mode to `path` and creates the directory. Returns the number of part files
    /// already there (to name the next one), or nil when mode `ignore` leaves an existing path alone.
    private func prepareDirectory(_ path: String) throws -> Int? {
        let fm = FileManager.default
        var index = 0
        if fm.fileExists(atPath: path) {
            switch saveMode {
            case .errorIfExists:
                throw EngineError.io(path: path, message: "path already exists; use mode overwrite or append")
            case .ignore: return nil
            case .overwrite:
                do {
                    try fm.removeItem(atPath: path)
                } catch {
                    throw EngineError.io(path: path, message: "cannot remove the existing output: \(error)")
                }
            case .append:
                index = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("part-") }.count
            }
        }
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw EngineError.io(path: path, message: "cannot create directory: \(error)")
        }
        return index
    }

    private func write(_ path: String, ext: String, _ render: ([RecordBatch]) throws -> [UInt8]) throws {
        if !partitionColumns.isEmpty {
            throw EngineError.unsupported("partitionBy is supported for Parquet output only")
        }
        if saveMode == .ignore && FileManager.default.fileExists(atPath: path) { return }
        // The rows are computed before an existing output is removed: the query may read it.
        let bytes = try render(try frame.collectBatches())
        guard let index = try prepareDirectory(path) else { return }
        let name = String(format: "part-%05d.%@", index, ext)
        try FileBytes.write(path + "/" + name, bytes)
        try FileBytes.write(path + "/_SUCCESS", [])
    }

    static func csvLine(_ cells: [[UInt8]], _ d: UInt8, _ q: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        for (k, cell) in cells.enumerated() {
            if k > 0 { out.append(d) }
            let needsQuotes = cell.contains { $0 == d || $0 == q || $0 == 0x0A || $0 == 0x0D }
            if needsQuotes {
                out.append(q)
                for byte in cell {
                    if byte == q { out.append(q) }
                    out.append(byte)
                }
                out.append(q)
            } else {
                out.append(contentsOf: cell)
            }
        }
        out.append(0x0A)
        return out
    }
}

extension DataFrame {
    /// A writer for this frame.
    public var write: DataFrameWriter { DataFrameWriter(frame: self) }
}
