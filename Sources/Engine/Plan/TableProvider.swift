import Columnar

/// Size facts about a relation, used to order joins and pick build sides.
public struct Statistics: Hashable, Sendable {
    /// Estimated number of rows, when known.
    public var rowCount: Int?
    /// Estimated size in bytes, when known.
    public var sizeBytes: Int?

    /// Creates statistics.
    public init(rowCount: Int? = nil, sizeBytes: Int? = nil) {
        self.rowCount = rowCount
        self.sizeBytes = sizeBytes
    }
}

/// A source of batches: a file format reader, an in-memory table, a topic.
///
/// Sources are reference types shared by plans; they must be safe to read from several
/// workers at once.
public protocol TableProvider: AnyObject, Sendable {
    /// The full schema of the source.
    var schema: Schema { get }
    /// A short description for `explain()`, e.g. `csv [lineitem.csv]`.
    var description: String { get }
    /// What is known about the size of the source.
    var statistics: Statistics { get }
    /// Reads the columns at `columns` (indices into `schema`), split into batches that may be
    /// processed in parallel. `filters` are predicates over columns of `schema` the source may use to
    /// skip data; the engine applies them again above the scan, except those `appliesExactly` claims.
    /// A filter may read columns that are not in `columns` only when it is one of those: the source
    /// then reads such columns for the filter without outputting them.
    func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch]
    /// For each of `filters`, whether a scan given them (and possibly other filters before them, such
    /// as runtime key filters) applies it exactly: every row it returns passes the filter and every
    /// row it drops fails it (a null answer fails), as Spark's `SupportsPushDownFilters` tells the
    /// filters it handles from those still to evaluate. Pruning by statistics alone is not exact. The
    /// planner keeps a Filter above the scan only for the filters not applied exactly.
    func appliesExactly(_ filters: [Expr]) -> [Bool]
}

extension TableProvider {
    /// No filter is applied exactly: the engine evaluates every one above the scan.
    public func appliesExactly(_ filters: [Expr]) -> [Bool] { filters.map { _ in false } }
}

/// A `TableProvider` with identity equality, so that plans holding one stay `Hashable`.
public struct TableRef: Hashable, Sendable {
    /// The source.
    public let provider: any TableProvider

    /// Wraps a source.
    public init(_ provider: any TableProvider) { self.provider = provider }

    /// Two references are equal when they name the same source object.
    public static func == (a: TableRef, b: TableRef) -> Bool { a.provider === b.provider }
    /// Hashes the object identity.
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(provider)) }
}
