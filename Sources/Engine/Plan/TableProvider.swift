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
    /// processed in parallel. `filters` are predicates over those columns the source may use to
    /// skip data; the engine still applies them afterwards, so using them is optional.
    func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch]
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
