import Columnar
import Foundation

/// The batches of file scans already run by one query, so that a query reading the same table with
/// the same columns and pushed filters twice (a view used in the main query and in a subquery, as in
/// TPC-H Q15) decodes the files once. It lives in the query's `ExecutionContext` and goes with it
/// when the query ends; it holds at most `bytesMax` bytes of batches (a scan larger than what is left
/// is simply not kept).
public final class ScanResultCache: @unchecked Sendable {
    // Guarded by `lock`: scans run on the worker threads.
    private let lock = NSLock()
    private var entries: [Key: [RecordBatch]] = [:]
    private var bytes = 0
    /// The most bytes of batches kept.
    public let bytesMax: Int

    /// What a scan read: the table (by identity), its columns and its pushed filters, the filters
    /// with attribute ids and qualifiers left out (each use of a view gets fresh ids).
    public struct Key: Hashable {
        let table: ObjectIdentifier
        let columns: [Int]
        let filters: [Expr]

        /// The key of a scan of `table`.
        public init(table: AnyObject, columns: [Int], filters: [Expr]) {
            self.table = ObjectIdentifier(table)
            self.columns = columns
            self.filters = filters.map { filter in
                filter.transformUp { expr in
                    guard case var .attribute(attribute) = expr else { return nil }
                    attribute.id = AttributeID(raw: 0)
                    attribute.qualifier = []
                    attribute.name = attribute.name.lowercased()
                    return .attribute(attribute)
                }
            }
        }
    }

    /// An empty cache holding up to `bytesMax` bytes.
    public init(bytesMax: Int = EngineLimits.scanCacheBytesMax) {
        self.bytesMax = bytesMax
    }

    /// The batches of an earlier scan with `key`, if kept.
    public func batches(for key: Key) -> [RecordBatch]? {
        lock.lock()
        defer { lock.unlock() }
        return entries[key]
    }

    /// Keeps `batches` for `key` when they fit in what is left of the budget.
    public func store(_ batches: [RecordBatch], for key: Key) {
        let size = batches.reduce(0) { $0 + $1.estimatedBytes }
        lock.lock()
        defer { lock.unlock() }
        guard entries[key] == nil, size <= bytesMax - bytes else { return }
        entries[key] = batches
        bytes += size
    }

    /// A scan through the cache: the batches of an earlier scan of `table` with the same columns
    /// and filters, or those `read` gives, kept for the next one.
    public func scan(_ table: AnyObject, columns: [Int], filters: [Expr], read: () throws -> [RecordBatch]) rethrows -> [RecordBatch] {
        let key = Key(table: table, columns: columns, filters: filters)
        if let cached = batches(for: key) { return cached }
        let batches = try read()
        store(batches, for: key)
        return batches
    }

    /// Bytes of batches kept.
    public var storedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }
}
