import Columnar

extension DataFrameReader {
    /// Names the source format for `load()`: `csv`, `json`, `parquet`, or a plugged-in one such as `kafka`.
    public func format(_ name: String) -> DataFrameReader {
        var r = self
        r.sourceFormat = name.lowercased()
        return r
    }

    /// Reads the format named by `format(_:)` (`path` is the file for csv and json).
    public func load(_ path: String? = nil) throws -> DataFrame {
        guard let name = sourceFormat else {
            throw EngineError.analysis("load() needs a format: read.format(\"csv\"|\"json\"|…)", position: nil)
        }
        var options = self.options
        if let path { options["path"] = path }
        switch name {
        case "csv", "json", "parquet":
            guard let file = options["path"] else {
                throw EngineError.analysis("format \(name) needs a path", position: nil)
            }
            switch name {
            case "csv": return try csv(file)
            case "json": return try json(file)
            default: return try parquet(file)
            }
        default:
            guard let plugged = session.catalog.format(name) else {
                throw EngineError.analysis("unknown data source format `\(name)`", position: nil)
            }
            return try table(try plugged.openTable(options: options, schema: userSchema))
        }
    }
}

extension DataFrameWriter {
    /// Names the sink format for `save()`: `csv`, `json`, `parquet`, or a plugged-in one such as `kafka`.
    public func format(_ name: String) -> DataFrameWriter {
        var w = self
        w.sinkFormat = name.lowercased()
        return w
    }

    /// Writes the frame in the format named by `format(_:)`.
    public func save(_ path: String? = nil) throws {
        guard let name = sinkFormat else {
            throw EngineError.analysis("save() needs a format: write.format(\"csv\"|\"json\"|…)", position: nil)
        }
        var options = self.options
        if let path { options["path"] = path }
        switch name {
        case "csv", "json", "parquet":
            guard let dir = options["path"] else { throw EngineError.analysis("format \(name) needs a path", position: nil) }
            switch name {
            case "csv": try csv(dir)
            case "json": try json(dir)
            default: try parquet(dir)
            }
        default:
            guard let plugged = frame.session.catalog.format(name) else {
                throw EngineError.analysis("unknown data source format `\(name)`", position: nil)
            }
            try plugged.write(frame, options: options, mode: saveMode)
        }
    }
}
