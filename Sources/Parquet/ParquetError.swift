/// Where in a Parquet file something went wrong. Every field is optional because an error can be
/// found before the row group, column or page is known (a bad footer names only the file).
public struct ParquetLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file path, if the data came from a file.
    public var file: String?
    /// The row group index.
    public var rowGroup: Int?
    /// The column path, dotted (`a.b.c`).
    public var column: String?
    /// The index of the page within its column chunk (the dictionary page counts as page 0 if present).
    public var page: Int?

    /// Creates a location.
    public init(file: String? = nil, rowGroup: Int? = nil, column: String? = nil, page: Int? = nil) {
        self.file = file
        self.rowGroup = rowGroup
        self.column = column
        self.page = page
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append("file \(file)") }
        if let rowGroup { parts.append("row group \(rowGroup)") }
        if let column { parts.append("column \(column)") }
        if let page { parts.append("page \(page)") }
        return parts.isEmpty ? "parquet data" : parts.joined(separator: ", ")
    }
}

/// An error reading or writing Parquet: what was wrong, and where.
public struct ParquetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public enum Kind: Sendable, Equatable {
        /// The bytes are not valid Parquet (bad magic, truncated, inconsistent metadata, bad encoding).
        case corrupt
        /// Valid Parquet that this reader does not handle (an encoding, codec or type it lacks).
        case unsupported
        /// The file could not be opened, read or written.
        case io
        /// The caller asked for something that does not exist (a column name, a row group index).
        case invalidArgument
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong, in words.
    public var message: String
    /// Where it went wrong.
    public var location: ParquetLocation

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, at location: ParquetLocation = ParquetLocation()) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    /// A corrupt-data error.
    static func corrupt(_ message: String) -> ParquetError { ParquetError(.corrupt, message) }
    /// An unsupported-feature error.
    static func unsupported(_ message: String) -> ParquetError { ParquetError(.unsupported, message) }

    /// The same error with the location fields that are still unknown filled in from `outer`.
    func located(_ outer: ParquetLocation) -> ParquetError {
        var copy = self
        copy.location.file = copy.location.file ?? outer.file
        copy.location.rowGroup = copy.location.rowGroup ?? outer.rowGroup
        copy.location.column = copy.location.column ?? outer.column
        copy.location.page = copy.location.page ?? outer.page
        return copy
    }

    public var description: String {
        let kindText: String
        switch kind {
        case .corrupt: kindText = "corrupt parquet"
        case .unsupported: kindText = "unsupported parquet feature"
        case .io: kindText = "parquet i/o error"
        case .invalidArgument: kindText = "invalid parquet request"
        }
        return "\(kindText) (\(location)): \(message)"
    }
}

/// Runs `body`, attaching `location` to any `ParquetError` it throws and wrapping other errors
/// (compression failures) as corrupt data at that location.
@inline(__always)
func withLocation<T>(_ location: ParquetLocation, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ParquetError {
        throw error.located(location)
    } catch let signal as ColumnChunkDecoder.NotDictionaryEncoded {
        // Not a failure: the caller falls back to decoding values.
        throw signal
    } catch let signal as ColumnChunkDecoder.DictionaryTooLarge {
        // Not a failure either: the caller judges the rows instead.
        throw signal
    } catch {
        throw ParquetError(.corrupt, "\(error)", at: location)
    }
}
