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

    private struct Partial {
        var table: KeyTable
        var accumulators: [any Accumulator]
    }

    private func newPartial() throws -> Partial {
        var table = KeyTable()
        if keys.isEmpty {
            // A global aggregate has exactly one group, even over no rows.
            _ = [UInt8]().withUnsafeBufferPointer { table.findOrInsert($0, hash: 0) }
        }
        let accs = try calls.map {
            try makeAccumulator($0.name, distinct: $0.distinct, argTypes: $0.args.map(\.dataType), resultType: $0.resultType)
        }
        for a in accs { a.resize(table.count) }
        return Partial(table: table, accumulators: accs)
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let input = try child.execute(context)
        let evaluator = ExprEvaluator(input: child.output)
        let workers = max(1, min(context.pool.workerCount, input.count))
        let partials = try context.pool.map(workers) { w -> Partial in
            var p = try newPartial()
            var b = w
            while b < input.count {
                let batch = input[b]
                b += workers
                let n = batch.rowCount
                if n == 0 { continue }
                let groups: [Int32]
                if keys.isEmpty {
                    groups = [Int32](repeating: 0, count: n)
                } else {
                    let keyCols = try keys.map { try evaluator.evaluate($0, batch) }
                    groups = p.table.groups(for: KeyEncoder.encode(keyCols, count: n))
                }
                for (i, call) in calls.enumerated() {
                    p.accumulators[i].resize(p.table.count)
                    let args = try call.args.map { try evaluator.evaluate($0, batch) }
                    try p.accumulators[i].update(groups, args)
                }
            }
            return p
        }
        var global = partials[0]
        for other in partials.dropFirst() {
            let keysOther = other.table.keys
            var mapping = [Int32](repeating: 0, count: other.table.count)
            keysOther.bytes.withUnsafeBufferPointer { b in
                for g in 0..<other.table.count {
                    let s = keysOther.offsets[g], e = keysOther.offsets[g + 1]
                    mapping[g] = global.table.findOrInsert(UnsafeBufferPointer(rebasing: b[s..<e]), hash: other.table.hashes[g])
                }
            }
            for (i, acc) in global.accumulators.enumerated() {
                acc.resize(global.table.count)
                acc.merge(other.accumulators[i], mapping: mapping)
            }
        }
        let groupCount = global.table.count
        try context.memory.reserve(global.table.keys.bytes.count)
        defer { context.memory.release(global.table.keys.bytes.count) }
        let keyCols = keys.isEmpty ? [] : KeyEncoder.decode(global.table.keys, types: keyAttributes.map(\.type))
        let aggCols = global.accumulators.map { $0.finish(groupCount) }
        let inner = keyAttributes + calls.map(\.attribute)
        let batch = RecordBatch(schema: Schema(inner.map(\.field)), columns: keyCols + aggCols, rowCount: groupCount)
        let resultEvaluator = ExprEvaluator(input: inner)
        let cols = try results.map { try resultEvaluator.evaluate($0, batch) }
        return [RecordBatch(schema: schema, columns: cols, rowCount: groupCount)]
    }
}
