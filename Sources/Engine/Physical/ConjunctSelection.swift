import Columnar

/// Finds the rows of a batch that pass a conjunction, as a mask over the batch, without
/// copying the batch's columns on the way.
///
/// Conjuncts run in order. While many rows are still selected, a conjunct runs over the whole
/// batch and its mask is and-ed in. Once few are left, a later conjunct runs only over the
/// survivors: the columns *it* reads are gathered for them (not every column of the batch), and
/// its answers are scattered back into the mask. The caller gathers the rows it keeps once, at
/// the end, so a selective filter no longer copies every column it outputs at every step.
struct ConjunctSelection {
    /// One conjunct with what it needs to run over the survivors only.
    struct Step {
        let condition: Expr
        /// Ordinals (in the filtered batch) of the columns the condition reads.
        let ordinals: [Int]
        /// Binds the condition to the narrowed batch of `ordinals`.
        let narrowEvaluator: ExprEvaluator
        let narrowSchema: Schema
        /// Cheap to run over every row: reads only fixed-width columns and calls no function,
        /// so running it over the whole batch costs about what gathering its inputs would.
        let cheap: Bool
    }

    let steps: [Step]

    init(conjuncts: [Expr], input: [Attribute]) {
        steps = conjuncts.map { c in
            let refs = c.references
            var seen = Set<AttributeID>()
            let ordinals = input.indices.filter { refs.contains(input[$0].id) && seen.insert(input[$0].id).inserted }
            let attributes = ordinals.map { input[$0] }
            let fixedWidth = attributes.allSatisfy { a in
                switch a.type {
                case .string, .binary, .array, .map, .struct: return false
                default: return true
                }
            }
            return Step(condition: c, ordinals: ordinals, narrowEvaluator: ExprEvaluator(input: attributes),
                        narrowSchema: Schema(attributes.map(\.field)), cheap: fixedWidth && !Self.callsFunction(c))
        }
    }

    /// Whether `e` calls a function (string and date functions cost far more per row than a comparison).
    private static func callsFunction(_ e: Expr) -> Bool {
        e.contains { node in
            switch node {
            case .call, .like: return true
            default: return false
            }
        }
    }

    /// The rows of `batch` passing every conjunct: nil when none does, otherwise a mask over
    /// the batch's rows (every bit set when every row passes).
    func mask(_ batch: RecordBatch, _ evaluator: ExprEvaluator) throws -> Bitmap? {
        let n = batch.rowCount
        var selected: Bitmap? = nil
        var kept = n
        for step in steps {
            var mask: Bitmap
            // Gathering a column for the survivors costs about what running a cheap conjunct
            // over every row does: gather when the survivors times the columns read (plus the
            // run over them) are fewer than the rows.
            if let s = selected, step.cheap ? kept * (step.ordinals.count + 1) <= n : kept * 2 <= n {
                mask = try survivorsMask(step, batch, s, kept)
            } else {
                mask = LogicKernel.trueMask(try evaluator.evaluate(step.condition, batch))
                if let s = selected { mask = mask & s }
            }
            kept = mask.popcount
            if kept == 0 { return nil }
            selected = mask
        }
        return selected ?? Bitmap(count: n, value: true)
    }

    /// Runs one conjunct over the rows set in `selected` only, and returns the rows of the
    /// whole batch that are selected and pass it.
    private func survivorsMask(_ step: Step, _ batch: RecordBatch, _ selected: Bitmap, _ kept: Int) throws -> Bitmap {
        let rows = ColumnVector.indices(of: selected)
        let narrow = RecordBatch(schema: step.narrowSchema, columns: step.ordinals.map { batch.columns[$0].take(rows) },
                                 rowCount: rows.count)
        let passed = LogicKernel.trueMask(try step.narrowEvaluator.evaluate(step.condition, narrow))
        var words = [UInt64](repeating: 0, count: selected.words.count)
        passed.words.withUnsafeBufferPointer { p in
            rows.withUnsafeBufferPointer { r in
                words.withUnsafeMutableBufferPointer { w in
                    for wi in 0..<p.count {
                        var word = p[wi]
                        while word != 0 {
                            let row = Int(r[wi << 6 | word.trailingZeroBitCount])
                            w[row >> 6] |= UInt64(1) << UInt64(row & 63)
                            word &= word &- 1
                        }
                    }
                }
            }
        }
        return Bitmap(words: words, count: selected.count)
    }
}
