/// A position in SQL source text, 1-based, as editors count.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column number, counted in characters.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// "line L, column C".
    public var description: String { "line \(line), column \(column)" }
}

/// An error in a SQL statement: a lexing, parsing or planning problem, located at the offending token.
public struct SQLError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What went wrong, without the location.
    public var message: String
    /// Where it went wrong; nil when the problem has no single place (e.g. an engine failure).
    public var location: SourceLocation?

    /// Creates an error.
    public init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    /// "line L, column C: message", or the bare message without a location.
    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }
}
