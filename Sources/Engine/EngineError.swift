/// Errors the engine reports to users, with enough context to fix the query or the data.
public enum EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The query cannot be resolved or type-checked (Spark's AnalysisException).
    case analysis(String, position: SourcePosition?)
    /// A table or view name that is not in the catalog.
    case tableNotFound(String)
    /// Input data is malformed: where, and what was wrong.
    case malformedInput(file: String, line: Int, column: Int, message: String)
    /// A file could not be read or written.
    case io(path: String, message: String)
    /// A runtime failure while executing (e.g. a scalar subquery returned several rows).
    case execution(String)
    /// A feature that is recognised but not implemented yet.
    case unsupported(String)
    /// A configured limit was exceeded.
    case limitExceeded(String)

    /// A message naming what went wrong and where.
    public var description: String {
        switch self {
        case let .analysis(m, pos):
            return pos.map { "[ANALYSIS] \(m) (at \($0))" } ?? "[ANALYSIS] \(m)"
        case let .tableNotFound(n):
            return "[TABLE_OR_VIEW_NOT_FOUND] The table or view `\(n)` cannot be found."
        case let .malformedInput(f, l, c, m): return "[MALFORMED_RECORD] \(f):\(l):\(c): \(m)"
        case let .io(p, m): return "[IO] \(p): \(m)"
        case let .execution(m): return "[EXECUTION] \(m)"
        case let .unsupported(m): return "[UNSUPPORTED] \(m)"
        case let .limitExceeded(m): return "[LIMIT] \(m)"
        }
    }
}
