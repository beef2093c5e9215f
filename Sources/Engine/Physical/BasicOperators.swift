import Columnar

/// Reads a table source.
final class ScanExec: PhysicalOperator {
    let relation: ScanRelation
    /// Whether joins above may hand this scan runtime key filters: not when another scan of the
    /// plan reads the same table, columns and filters, since both then share one read through the
    /// query's `ScanResultCache` and a filter would make them read twice (set by the planner).
    var takesRuntimeFilters = true
    init(_ relation: ScanRelation) { self.relation = relation }
    var output: [Attribute] { relation.output }
    var children: [any PhysicalOperator] { [] }
    var nodeString: String {
        var s = "Scan \(relation.table.provider.description) [\(relation.output.map(\.description).joined(separator: ","))]"
        if !relation.filters.isEmpty { s += " PushedFilters: [\(relation.filters.map(\.description).joined(separator: ", "))]" }
        return s
    }
    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        // The key filters of joins above that have built their tables come first: a key test is one
        // lookup per row, and the scan evaluates its filters in order (cheapest kinds first).
        let runtime = takesRuntimeFilters ? context.scanFilters.filters(for: self) : []
        let batches = try relation.table.provider.scan(columns: relation.columns, filters: runtime + relation.filters,
                                                       context: context)
        let schema = self.schema
        // Sources return their own column names; give batches the plan's schema.
        return batches.map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }
    }
}

/// Emits batches held in memory.
final class LocalExec: PhysicalOperator {
    let output: [Attribute]
    let data: LocalData
    init(output: [Attribute], data: LocalData) {
        self.output = output
        self.data = data
    }
    var children: [any PhysicalOperator] { [] }
    var nodeString: String { "LocalTableScan [\(output.map(\.description).joined(separator: ", "))]" }
    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let schema = self.schema
        return data.batches.map { RecordBatch(schema: schema, columns: $0.columns, rowCount: $0.rowCount) }
    }
}

/// Keeps the rows for which a predicate is true; also computes a projection in the same pass
/// when one sits on top (filter and project are fused into one pipeline step).
final class FilterProjectExec: PhysicalOperator {
    let condition: Expr?
    let projection: [Expr]?
    let child: any PhysicalOperator
    let output: [Attribute]

    /// The input columns the condition and projection read (nil: all of them, as a filter
    /// without a projection outputs every column). Only these are gathered when the filter
    /// drops rows: a filter right above a wide table should not copy columns nobody reads.
    let readOrdinals: [Int]?
    /// Binds expressions to the input as `apply` sees it (narrowed to `readOrdinals`).
    let inputEvaluator: ExprEvaluator
    let readSchema: Schema?
    /// Finds the rows that pass the condition (see `ConjunctSelection`).
    let selection: ConjunctSelection

    init(condition: Expr?, projection: [Expr]?, child: any PhysicalOperator) {
        self.condition = condition
        self.projection = projection
        self.child = child
        output = projection.map { $0.compactMap(\.toAttribute) } ?? child.output
        var ordinals: [Int]? = nil
        if let projection {
            let refs = projection.reduce(condition?.references ?? []) { $0.union($1.references) }
            var seen = Set<AttributeID>()
            let read = child.output.indices.filter { refs.contains(child.output[$0].id) && seen.insert(child.output[$0].id).inserted }
            if read.count < child.output.count { ordinals = read }
        }
        readOrdinals = ordinals
        let readAttributes = ordinals.map { $0.map { child.output[$0] } } ?? child.output
        inputEvaluator = ExprEvaluator(input: readAttributes)
        readSchema = ordinals == nil ? nil : Schema(readAttributes.map(\.field))
        selection = ConjunctSelection(conjuncts: condition?.conjuncts ?? [], input: readAttributes)
    }
    var children: [any PhysicalOperator] { [child] }
    var nodeString: String {
        var parts: [String] = []
        if let p = projection { parts.append("Project [\(p.map(\.description).joined(separator: ", "))]") }
        if let c = condition { parts.append("Filter \(c)") }
        return parts.joined(separator: " <- ")
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        // Over a scan that can run it batch by batch, as the batches are read.
        if let out = try executePipelined(context, then: { $0 }) { return out }
        let input = try child.execute(context)
        let results = try context.pool.map(input.count) { i -> RecordBatch? in try apply(input[i]) }
        return results.compactMap { $0 }
    }

    /// The filter and projection of one input batch; nil when no row passes the filter.
    func apply(_ input: RecordBatch) throws -> RecordBatch? {
        try applyKeepingMask(input, keepMaskAbove: nil)?.batch
    }

    /// The filter and projection of one input batch, nil when no row passes. When the share
    /// of rows passing is at least `keepMaskAbove`, every row is projected and the mask of the
    /// passing ones is returned instead of gathering them (for a consumer that can skip rows);
    /// otherwise the mask is nil and the batch holds the passing rows only.
    func applyKeepingMask(_ input: RecordBatch, keepMaskAbove: Double? = 0.75) throws -> (batch: RecordBatch, mask: Bitmap?)? {
        var read = input
        if let readOrdinals, let readSchema {
            read = RecordBatch(schema: readSchema, columns: readOrdinals.map { input.columns[$0] }, rowCount: input.rowCount)
        }
        guard let mask = try selection.mask(read, inputEvaluator) else { return nil }
        var batch = read
        var kept: Bitmap? = nil
        if !mask.allSet {
            if let share = keepMaskAbove, Double(mask.popcount) >= share * Double(read.rowCount) {
                kept = mask
            } else {
                batch = read.filter(mask)
            }
        }
        guard let p = projection else { return (batch, kept) }
        let cols = try p.map { try inputEvaluator.evaluate($0, batch) }
        return (RecordBatch(schema: schema, columns: cols, rowCount: batch.rowCount), kept)
    }
}

/// `LIMIT n OFFSET m`.
final class LimitExec: PhysicalOperator {
    let limit: Int
    let offset: Int
    let child: any PhysicalOperator
    init(limit: Int, offset: Int, child: any PhysicalOperator) {
        self.limit = limit
        self.offset = offset
        self.child = child
    }
    var output: [Attribute] { child.output }
    var children: [any PhysicalOperator] { [child] }
    var nodeString: String { offset > 0 ? "Limit \(limit) Offset \(offset)" : "Limit \(limit)" }
    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        var skip = offset
        var remaining = limit
        var out: [RecordBatch] = []
        for b in try child.execute(context) {
            if remaining == 0 { break }
            var start = 0
            if skip > 0 {
                start = min(skip, b.rowCount)
                skip -= start
            }
            let take = min(remaining, b.rowCount - start)
            if take <= 0 { continue }
            if start == 0 && take == b.rowCount {
                out.append(b)
            } else {
                out.append(b.take((start..<(start + take)).map { Int32($0) }))
            }
            remaining -= take
        }
        return out
    }
}

/// `UNION ALL`.
final class UnionExec: PhysicalOperator {
    let inputs: [any PhysicalOperator]
    let output: [Attribute]
    init(_ inputs: [any PhysicalOperator], output: [Attribute]) {
        self.inputs = inputs
        self.output = output
    }
    var children: [any PhysicalOperator] { inputs }
    var nodeString: String { "Union" }
    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let schema = self.schema
        var out: [RecordBatch] = []
        for c in inputs {
            for b in try c.execute(context) { out.append(RecordBatch(schema: schema, columns: b.columns, rowCount: b.rowCount)) }
        }
        return out
    }
}

/// `ORDER BY`, optionally keeping only the first `limit` rows (top-k).
final class SortExec: PhysicalOperator {
    let orders: [SortOrder]
    let limit: Int?
    let child: any PhysicalOperator
    init(orders: [SortOrder], limit: Int?, child: any PhysicalOperator) {
        self.orders = orders
        self.limit = limit
        self.child = child
    }
    var output: [Attribute] { child.output }
    var children: [any PhysicalOperator] { [child] }
    var nodeString: String {
        (limit.map { "TakeOrdered \($0) " } ?? "Sort ") + "[\(orders.map(\.description).joined(separator: ", "))]"
    }
    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let input = try child.execute(context)
        let all = RecordBatch.concat(input, schema: schema)
        let n = all.rowCount
        if n == 0 { return [] }
        let evaluator = ExprEvaluator(input: child.output)
        let keyCols = try orders.map { try evaluator.evaluate($0.expr, all) }
        let keys = KeyEncoder.encode(keyCols, count: n,
                                     orders: orders.map { KeyOrder(descending: !$0.ascending, nullsFirst: $0.nullsFirst) })
        let idx = SortKernel.sortedIndices(keys, limit: limit)
        return [all.take(idx)]
    }
}

/// Sorting row indices by encoded keys.
enum SortKernel {
    /// Row indices in key order (stable); only the first `limit` when given.
    static func sortedIndices(_ keys: EncodedKeys, limit: Int?) -> [Int32] {
        let n = keys.count
        var idx = (0..<n).map { Int32($0) }
        keys.bytes.withUnsafeBufferPointer { b in
            keys.offsets.withUnsafeBufferPointer { off in
                func less(_ x: Int32, _ y: Int32) -> Bool {
                    let xs = off[Int(x)], xe = off[Int(x) + 1], ys = off[Int(y)], ye = off[Int(y) + 1]
                    let c = CompareKernel.compareBytes(b, xs, xe, b, ys, ye)
                    return c < 0 || (c == 0 && x < y)
                }
                if let k = limit, k < n / 8 {
                    // Top-k: keep a sorted buffer of the best k.
                    var best: [Int32] = []
                    best.reserveCapacity(k + 1)
                    for i in idx {
                        if best.count == k, let last = best.last, !less(i, last) { continue }
                        var lo = 0, hi = best.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if less(best[mid], i) { lo = mid + 1 } else { hi = mid }
                        }
                        best.insert(i, at: lo)
                        if best.count > k { best.removeLast() }
                    }
                    idx = best
                } else {
                    idx.sort(by: less)
                    if let k = limit, k < idx.count { idx.removeLast(idx.count - k) }
                }
            }
        }
        return idx
    }
}
