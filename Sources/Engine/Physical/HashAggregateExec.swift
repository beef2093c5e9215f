import Columnar

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
/// own table, then the partial tables are merged and the result expressions evaluated.
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
    /// integer-like (see `PackedKeyLayout`), encoded bytes otherwise.
    private enum Groups {
        case global
        case packed(PackedKeyTable)
        case bytes(KeyTable)

        var count: Int {
            switch self {
            case .global: return 1
            case let .packed(t): return t.count
            case let .bytes(t): return t.count
            }
        }
    }

    private struct Partial {
        var groups: Groups
        var accumulators: [any Accumulator]
    }

    private func newPartial(_ layout: PackedKeyLayout?, expected: Int) throws -> Partial {
        let groups: Groups
        if keys.isEmpty {
            // A global aggregate has exactly one group, even over no rows.
            groups = .global
        } else if let layout {
            groups = .packed(PackedKeyTable(domain: layout.domain, expected: expected))
        } else {
            groups = .bytes(KeyTable())
        }
        let accs = try calls.map {
            try makeAccumulator($0.name, distinct: $0.distinct, argTypes: $0.args.map(\.dataType), resultType: $0.resultType)
        }
        for a in accs { a.resize(groups.count) }
        return Partial(groups: groups, accumulators: accs)
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let input = try child.execute(context).filter { $0.rowCount > 0 }
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
                let batch = input[b]
                let n = batch.rowCount
                let groups: [Int32]
                switch p.groups {
                case .global:
                    groups = [Int32](repeating: 0, count: n)
                case var .packed(table):
                    guard let layout else { throw EngineError.execution("packed aggregate keys without a layout") }
                    p.groups = .global  // keep the table uniquely referenced while it grows
                    groups = table.groups(for: layout.pack(keyCols[b], count: n, nullsMatch: true))
                    p.groups = .packed(table)
                case var .bytes(table):
                    p.groups = .global
                    groups = table.groups(for: KeyEncoder.encode(keyCols[b], count: n))
                    p.groups = .bytes(table)
                }
                b += workers
                for (i, call) in calls.enumerated() {
                    p.accumulators[i].resize(p.groups.count)
                    let args = try call.args.map { try evaluator.evaluate($0, batch) }
                    try p.accumulators[i].update(groups, args)
                }
            }
            return p
        }
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
        case let .bytes(table):
            keyBytes = table.keys.bytes.count
            keyColumns = KeyEncoder.decode(table.keys, types: keyAttributes.map(\.type))
        }
        try context.memory.reserve(keyBytes)
        defer { context.memory.release(keyBytes) }
        let aggCols = global.accumulators.map { $0.finish(groupCount) }
        let inner = keyAttributes + calls.map(\.attribute)
        let batch = RecordBatch(schema: Schema(inner.map(\.field)), columns: keyColumns + aggCols, rowCount: groupCount)
        let resultEvaluator = ExprEvaluator(input: inner)
        let cols = try results.map { try resultEvaluator.evaluate($0, batch) }
        return [RecordBatch(schema: schema, columns: cols, rowCount: groupCount)]
    }
}
