import Columnar
import Foundation

/// One aggregate function call computed by a HashAggregateExec.
struct AggregateCall {
    let name: String
    let args: [Expr]
    let distinct: Bool
    let resultType: DataType
    /// The attribute the result is known by in the result expressions.
    let attribute: Attribute
}

/// Two-phase hash aggregation: each worker aggregates a share of the input batches into its
/// own table, then the partial tables are merged and the result expressions evaluated. Over a
/// pipelined source the batches are folded in as they are read (see `executePipelined`).
final class HashAggregateExec: PhysicalOperator {
    let keys: [Expr]
    let keyAttributes: [Attribute]
    let calls: [AggregateCall]
    let results: [Expr]
    let child: any PhysicalOperator
    let output: [Attribute]

    init(keys: [Expr], keyAttributes: [Attribute], calls: [AggregateCall], results: [Expr], child: any PhysicalOperator) {
        self.keys = keys
        self.keyAttributes = keyAttributes
        self.calls = calls
        self.results = results
        self.child = child
        output = results.compactMap(\.toAttribute)
    }

    var children: [any PhysicalOperator] { [child] }
    var nodeString: String {
        "HashAggregate(keys=[\(keys.map(\.description).joined(separator: ", "))], "
            + "functions=[\(calls.map { "\($0.name)(\($0.distinct ? "DISTINCT " : "")\($0.args.map(\.description).joined(separator: ", ")))" }.joined(separator: ", "))])"
    }

    /// How a partial table finds the groups of rows: packed integer codes when every key is
    /// integer-like (see `PackedKeyLayout`), the raw bytes of a single string key, encoded bytes
    /// otherwise.
    private enum Groups {
        case global
        case packed(PackedKeyTable)
        case string(StringGroupTable)
        case bytes(KeyTable)

        var count: Int {
            switch self {
            case .global: return 1
            case let .packed(t): return t.count
            case let .string(t): return t.count
            case let .bytes(t): return t.count
            }
        }
    }

    private struct Partial {
        var groups: Groups
        var accumulators: [any Accumulator]
        /// The group of each row of the batch being folded in (reused from batch to batch).
        var rowGroups: [Int32] = []
    }

    /// Whether the rows are grouped by one string or binary key (see `StringGroupTable`).
    private var singleStringKey: Bool {
        keyAttributes.count == 1 && (keyAttributes[0].type == .string || keyAttributes[0].type == .binary)
    }

    private func newPartial(_ layout: PackedKeyLayout?, expected: Int) throws -> Partial {
        let groups: Groups
        if keys.isEmpty {
            // A global aggregate has exactly one group, even over no rows.
            groups = .global
        } else if let layout {
            groups = .packed(PackedKeyTable(domain: layout.domain, expected: expected))
        } else if singleStringKey {
            groups = .string(StringGroupTable())
        } else {
            groups = .bytes(KeyTable())
        }
        let accs = try calls.map {
            try makeAccumulator($0.name, distinct: $0.distinct, argTypes: $0.args.map(\.dataType), resultType: $0.resultType)
        }
        for a in accs { a.resize(groups.count) }
        return Partial(groups: groups, accumulators: accs)
    }

    /// Folds one batch, whose key columns are `keyCols`, into a partial table; with a `mask`,
    /// only the rows whose bit is set (see `MaskedAggregateInput`).
    private func accumulate(_ p: inout Partial, _ batch: RecordBatch, keyCols: [ColumnVector], layout: PackedKeyLayout?,
                            _ evaluator: ExprEvaluator, mask: Bitmap? = nil) throws {
        var batch = batch, keyCols = keyCols, mask = mask
        if let m = mask {
            switch p.groups {
            case .global, .packed: break
            case .string, .bytes:
                // These tables would give the skipped rows' keys groups of their own: gather instead.
                batch = batch.filter(m)
                keyCols = keyCols.map { $0.filter(m) }
                mask = nil
            }
        }
        let n = batch.rowCount
        switch p.groups {
        case .global:
            if p.rowGroups.count != n { p.rowGroups = [Int32](repeating: 0, count: n) }
        case var .packed(table):
            guard let layout else { throw EngineError.execution("packed aggregate keys without a layout") }
            var codes = layout.pack(keyCols, count: n, nullsMatch: true)
            if let mask { MaskedAggregateInput.redirectSkippedKeys(&codes, mask) }
            p.groups = .global  // keep the table uniquely referenced while it grows
            p.rowGroups = table.groups(for: codes)
            p.groups = .packed(table)
        case var .string(table):
            p.groups = .global
            table.groups(for: keyCols[0], into: &p.rowGroups)
            p.groups = .string(table)
        case var .bytes(table):
            p.groups = .global
            p.rowGroups = table.groups(for: KeyEncoder.encode(keyCols, count: n))
            p.groups = .bytes(table)
        }
        for (i, call) in calls.enumerated() {
            p.accumulators[i].resize(p.groups.count)
            var args = try call.args.map { try evaluator.evaluate($0, batch) }
            if let mask { args = args.map { MaskedAggregateInput.nullingSkipped($0, mask) } }
            try p.accumulators[i].update(p.rowGroups, args)
        }
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        if let out = try executePipelined(context) { return out }
        var input: [RecordBatch]
        var masks: [Bitmap?] = []
        if let filter = child as? FilterProjectExec, MaskedAggregateInput.canSkipRows(self, below: filter) {
            // Most rows passing the filter are not copied: the aggregate skips the others.
            let raw = try filter.child.execute(context)
            let applied = try context.pool.map(raw.count) { try filter.applyKeepingMask(raw[$0]) }.compactMap { $0 }
            input = applied.map(\.batch)
            masks = applied.map(\.mask)
        } else {
            input = try child.execute(context).filter { $0.rowCount > 0 }
        }
        let evaluator = ExprEvaluator(input: child.output)
        let totalRows = input.reduce(0) { $0 + $1.rowCount }
        // Key columns of every batch first: their value ranges decide whether keys pack into integers.
        let keyCols: [[ColumnVector]] = keys.isEmpty ? [] : try context.pool.map(input.count) { b in
            try self.keys.map { try evaluator.evaluate($0, input[b]) }
        }
        let layout = keys.isEmpty ? nil : PackedKeyLayout.make(types: keyAttributes.map(\.type), columns: keyCols)
        let workers = max(1, min(context.pool.workerCount, input.count))
        let partials = try context.pool.map(workers) { w -> Partial in
            var p = try newPartial(layout, expected: totalRows)
            var b = w
            while b < input.count {
                try accumulate(&p, input[b], keyCols: keys.isEmpty ? [] : keyCols[b], layout: layout, evaluator,
                               mask: masks.isEmpty ? nil : masks[b])
                b += workers
            }
            return p
        }
        return [try finish(partials, layout: layout, context)]
    }

    /// Over a source that reads batch by batch (`BatchPipeline`), folds each batch into a partial
    /// table on the worker that read it, as soon as it is read and projected, so the input is
    /// never held whole; the partials are merged at the end. Nil when the child cannot run so.
    private func executePipelined(_ context: ExecutionContext) throws -> [RecordBatch]? {
        guard let below = child as? any BatchPipeline else { return nil }
        let evaluator = ExprEvaluator(input: child.output)
        // Key ranges are unknown until the end, so keys are never packed here.
        let idle = PartialShelf()
        let ran = try below.executePipelined(context) { batch in
            guard batch.rowCount > 0 else { return nil }
            var p = try idle.take() ?? self.newPartial(nil, expected: 0)
            do {
                let keyCols = try self.keys.map { try evaluator.evaluate($0, batch) }
                try self.accumulate(&p, batch, keyCols: keyCols, layout: nil, evaluator)
            } catch {
                idle.put(p)
                throw error
            }
            idle.put(p)
            return nil
        }
        guard ran != nil else { return nil }
        var partials = idle.all()
        if partials.isEmpty { partials = [try newPartial(nil, expected: 0)] }
        return [try finish(partials, layout: nil, context)]
    }

    /// The partial tables not in use by a worker: a worker takes one for each batch and puts it
    /// back after, so there are never more partials than workers folding at once.
    private final class PartialShelf: @unchecked Sendable {
        private let lock = NSLock()
        private var shelf: [Partial] = []

        func take() -> Partial? {
            lock.lock()
            defer { lock.unlock() }
            return shelf.popLast()
        }

        func put(_ p: Partial) {
            lock.lock()
            shelf.append(p)
            lock.unlock()
        }

        func all() -> [Partial] {
            lock.lock()
            defer { lock.unlock() }
            return shelf
        }
    }

    /// Merges the partial tables into the first and evaluates the result expressions.
    private func finish(_ partials: [Partial], layout: PackedKeyLayout?, _ context: ExecutionContext) throws -> RecordBatch {
        var global = partials[0]
        for other in partials.dropFirst() {
            let mapping: [Int32]
            switch (global.groups, other.groups) {
            case (.global, .global):
                mapping = [0]
            case (var .packed(table), let .packed(o)):
                global.groups = .global
                mapping = table.groups(for: o.codes)
                global.groups = .packed(table)
            case (var .string(table), let .string(o)):
                global.groups = .global
                mapping = table.merge(o)
                global.groups = .string(table)
            case (var .bytes(table), let .bytes(o)):
                global.groups = .global
                let keysOther = o.keys
                var m = [Int32](repeating: 0, count: o.count)
                keysOther.bytes.withUnsafeBufferPointer { b in
                    for g in 0..<o.count {
                        let s = keysOther.offsets[g], e = keysOther.offsets[g + 1]
                        m[g] = table.findOrInsert(UnsafeBufferPointer(rebasing: b[s..<e]), hash: o.hashes[g])
                    }
                }
                mapping = m
                global.groups = .bytes(table)
            default:
                throw EngineError.execution("partial aggregate tables of different kinds")
            }
            for (i, acc) in global.accumulators.enumerated() {
                acc.resize(global.groups.count)
                acc.merge(other.accumulators[i], mapping: mapping)
            }
        }
        let groupCount = global.groups.count
        let keyColumns: [ColumnVector]
        let keyBytes: Int
        switch global.groups {
        case .global:
            keyColumns = []
            keyBytes = 0
        case let .packed(table):
            keyBytes = table.count * 8
            keyColumns = layout?.unpack(table.codes) ?? []
        case let .string(table):
            keyBytes = table.keyBytes
            keyColumns = [table.keyColumn(keyAttributes[0].type)]
        case let .bytes(table):
            keyBytes = table.keys.bytes.count
            keyColumns = KeyEncoder.decode(table.keys, types: keyAttributes.map(\.type))
        }
        try context.memory.reserve(keyBytes)
        defer { context.memory.release(keyBytes) }
        for acc in global.accumulators { acc.resize(groupCount) }
        let aggCols = global.accumulators.map { $0.finish(groupCount) }
        let inner = keyAttributes + calls.map(\.attribute)
        let batch = RecordBatch(schema: Schema(inner.map(\.field)), columns: keyColumns + aggCols, rowCount: groupCount)
        let resultEvaluator = ExprEvaluator(input: inner)
        let cols = try results.map { try resultEvaluator.evaluate($0, batch) }
        return RecordBatch(schema: schema, columns: cols, rowCount: groupCount)
    }
}
