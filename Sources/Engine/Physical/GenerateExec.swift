import Columnar

/// `explode` / `posexplode` (and their `_outer` forms): each input row is repeated once per
/// element (map entry) of the generator's argument, followed by the position (posexplode) and
/// the element, or the key and value for maps. Batches are processed in parallel.
final class GenerateExec: PhysicalOperator {
    let generator: Expr
    let outer: Bool
    let generatorOutput: [Attribute]
    let child: any PhysicalOperator
    let output: [Attribute]

    init(generator: Expr, outer: Bool, generatorOutput: [Attribute], child: any PhysicalOperator) {
        self.generator = generator
        self.outer = outer
        self.generatorOutput = generatorOutput
        self.child = child
        output = child.output + generatorOutput
    }

    var children: [any PhysicalOperator] { [child] }
    var nodeString: String {
        "Generate \(generator), outer=\(outer), [\(generatorOutput.map(\.description).joined(separator: ", "))]"
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        guard case let .call(name, args, _) = generator, let argument = args.first else {
            throw EngineError.execution("Generate without a generator call")
        }
        let withPosition = name.hasPrefix("posexplode")
        let input = try child.execute(context)
        let evaluator = ExprEvaluator(input: child.output)
        let schema = self.schema
        return try context.pool.map(input.count) { b -> RecordBatch in
            let batch = input[b]
            let source = try evaluator.evaluate(argument, batch)
            var rows: [Int32] = []
            var elements: [Int32] = []
            var positions: [Int32] = []
            rows.reserveCapacity(batch.rowCount)
            elements.reserveCapacity(batch.rowCount)
            guard case let .list(offsets, values) = source.storage else {
                return RecordBatch.empty(schema)
            }
            for i in 0..<batch.rowCount {
                let s = offsets[i], e = offsets[i + 1]
                if source.isNull(i) || e == s {
                    if outer {
                        rows.append(Int32(i))
                        elements.append(-1)
                        positions.append(-1)
                    }
                    continue
                }
                for j in s..<e {
                    rows.append(Int32(i))
                    elements.append(j)
                    positions.append(j - s)
                }
            }
            var cols = batch.columns.map { $0.take(rows) }
            if withPosition {
                let pos = ColumnVector(type: .int32, count: positions.count, storage: .int32(positions.map { max($0, 0) }),
                                       validity: Bitmap(positions.map { $0 >= 0 }))
                cols.append(pos)
            }
            if case .map = source.type, let keys = values.field(0), let vals = values.field(1) {
                cols.append(keys.take(elements))
                cols.append(vals.take(elements))
            } else {
                cols.append(values.take(elements))
            }
            return RecordBatch(schema: schema, columns: cols, rowCount: rows.count)
        }
    }
}
