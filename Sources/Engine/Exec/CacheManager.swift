import Columnar
import Foundation

/// Keeps the results of cached DataFrames in memory, columnar, and substitutes them into
/// later queries whose plans contain the cached plan.
///
/// Caching is lazy, as in Spark: `cache()` only marks the plan; the first query that uses it
/// computes and keeps the batches. Evicted data is recomputed from the plan (its lineage) the
/// next time it is needed.
public final class CacheManager: @unchecked Sendable {
    private final class Entry {
        let canonical: LogicalPlan
        let plan: LogicalPlan
        var data: LocalData?
        init(canonical: LogicalPlan, plan: LogicalPlan) {
            self.canonical = canonical
            self.plan = plan
        }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []

    /// An empty cache.
    public init() {}

    /// Marks an analyzed plan for caching (no-op if already marked).
    public func cache(_ plan: LogicalPlan) {
        let canonical = FreshInstance.canonical(plan)
        lock.lock()
        defer { lock.unlock() }
        if !entries.contains(where: { $0.canonical == canonical }) {
            entries.append(Entry(canonical: canonical, plan: plan))
        }
    }

    /// Removes a plan from the cache; returns whether it was cached.
    @discardableResult public func uncache(_ plan: LogicalPlan) -> Bool {
        let canonical = FreshInstance.canonical(plan)
        lock.lock()
        defer { lock.unlock() }
        let before = entries.count
        entries.removeAll { $0.canonical == canonical }
        return entries.count != before
    }

    /// Whether a plan is marked for caching.
    public func isCached(_ plan: LogicalPlan) -> Bool {
        let canonical = FreshInstance.canonical(plan)
        lock.lock()
        defer { lock.unlock() }
        return entries.contains { $0.canonical == canonical }
    }

    /// Whether a cached plan's data is currently held in memory.
    public func isMaterialized(_ plan: LogicalPlan) -> Bool {
        let canonical = FreshInstance.canonical(plan)
        lock.lock()
        defer { lock.unlock() }
        return entries.first { $0.canonical == canonical }?.data != nil
    }

    /// Forgets every entry and its data (`CLEAR CACHE`).
    public func clear() {
        lock.lock()
        entries.removeAll()
        lock.unlock()
    }

    /// Drops the in-memory data of every entry; entries stay marked and are recomputed on use.
    public func evictAll() {
        lock.lock()
        for e in entries { e.data = nil }
        lock.unlock()
    }

    /// The bytes held by cached batches (estimate).
    public var cachedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.reduce(0) { total, e in
            total + (e.data?.batches.reduce(0) { $0 + $1.estimatedBytes } ?? 0)
        }
    }

    /// `plan` with cached subtrees replaced by in-memory relations, computing any that are not
    /// materialized yet with `compute`.
    func substitute(_ plan: LogicalPlan, compute: (LogicalPlan) throws -> [RecordBatch]) throws -> LogicalPlan {
        lock.lock()
        let snapshot = entries
        lock.unlock()
        if snapshot.isEmpty { return plan }
        return try replace(plan, snapshot, compute)
    }

    private func replace(_ plan: LogicalPlan, _ entries: [Entry], _ compute: (LogicalPlan) throws -> [RecordBatch]) throws
        -> LogicalPlan {
        if case .localRelation = plan { return plan }
        let canonical = FreshInstance.canonical(plan)
        if let entry = entries.first(where: { $0.canonical == canonical }) {
            lock.lock()
            var data = entry.data
            lock.unlock()
            if data == nil {
                let computed = LocalData(try compute(entry.plan))
                lock.lock()
                entry.data = computed
                lock.unlock()
                data = computed
            }
            return .localRelation(output: plan.output, data: data!)
        }
        // Subquery plans inside expressions may read cached data too.
        var node = plan
        if plan.expressions.contains(where: \.hasSubquery) {
            node = try FreshInstanceMap.mapExpressions(plan) { e in
                try e.transformUp { x -> Expr? in
                    switch x {
                    case let .exists(p, n): return .exists(try replace(p, entries, compute), negated: n)
                    case let .inSubquery(v, p, n): return .inSubquery(v, try replace(p, entries, compute), negated: n)
                    case let .scalarSubquery(p): return .scalarSubquery(try replace(p, entries, compute))
                    default: return nil
                    }
                }
            }
        }
        let kids = node.children
        if kids.isEmpty { return node }
        return node.withChildren(try kids.map { try replace($0, entries, compute) })
    }
}

extension RecordBatch {
    /// The approximate bytes held by the batch's buffers.
    public var estimatedBytes: Int {
        columns.reduce(0) { total, c in
            total + c.estimatedBytes
        }
    }
}

extension ColumnVector {
    /// The approximate bytes held by the vector's buffers, children included.
    public var estimatedBytes: Int {
        var bytes = (count + 7) / 8
        switch storage {
        case .null: break
        case .boolean: bytes += (count + 7) / 8
        case .int8: bytes += count
        case .int16: bytes += count * 2
        case .int32, .float32: bytes += count * 4
        case .int64, .float64: bytes += count * 8
        case .decimal: bytes += count * 16
        case let .bytes(offsets, data): bytes += offsets.count * 4 + data.count
        case let .list(offsets, values): bytes += offsets.count * 4 + values.estimatedBytes
        case let .struct(children): bytes += children.reduce(0) { $0 + $1.estimatedBytes }
        }
        return bytes
    }
}
