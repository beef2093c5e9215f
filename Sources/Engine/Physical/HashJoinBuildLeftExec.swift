import Columnar

/// A left semi, left anti or left outer join that hashes the left side and probes it with the
/// right side's batches in parallel: chosen when the left side is the smaller one (`EXISTS` over
/// a large table filtered by a few outer rows, every customer with its orders), where hashing
/// the right side would index many rows that are each looked up rarely. Each right row finds the
/// left rows it matches (the residual condition is checked on the pairs); semi and anti joins
/// output the left rows marked or not marked, in their input order; the left join outputs the
/// pairs, then the unmarked left rows once with nulls on the right. Null keys match nothing.
///
/// Keys are indexed as `HashJoinExec` indexes its build side (`JoinKeyIndex`, `JoinChains`):
/// packed integer codes when every key is integer-like.
final class HashJoinBuildLeftExec: PhysicalOperator {
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let type: JoinType
    let leftKeys: [Expr]
    let rightKeys: [Expr]
    let residual: Expr?
    let output: [Attribute]
    /// Where each output column comes from: a column of the left (build) side or of the right.
    let outputSources: [(fromLeft: Bool, index: Int)]

    /// The scans below the right (probe) side that take a filter on the left side's keys: a right
    /// row whose key no left row has changes no answer of these joins.
    let runtimeFilterTargets: [RuntimeFilterTarget]

    /// A join of `type` `.leftSemi`, `.leftAnti` or `.left`; with `runtimeFilters`, the right side's
    /// scans are handed a filter on the left side's keys where worth it.
    init(left: any PhysicalOperator, right: any PhysicalOperator, type: JoinType, leftKeys: [Expr], rightKeys: [Expr],
         residual: Expr?, output: [Attribute], runtimeFilters: Bool = false) {
        runtimeFilterTargets = runtimeFilters
            ? RuntimeFilterTargets.find(probe: right, probeKeys: rightKeys, buildKeys: leftKeys) : []
        self.left = left
        self.right = right
        self.type = type
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.output = output
        outputSources = HashJoinExec.sources(of: output, left: left.output, right: right.output)
    }

    /// The same join producing only the attributes in `needed` (in output order); nil when it
    /// already produces nothing else.
    func narrowed(to needed: Set<AttributeID>) -> HashJoinBuildLeftExec? {
        let kept = output.filter { needed.contains($0.id) }
        guard kept.count < output.count else { return nil }
        return HashJoinBuildLeftExec(left: left, right: right, type: type, leftKeys: leftKeys, rightKeys: rightKeys,
                                     residual: residual, output: kept, runtimeFilters: !runtimeFilterTargets.isEmpty)
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String {
        let keys = zip(leftKeys, rightKeys).map { "\($0) = \($1)" }.joined(separator: ", ")
        return "HashJoin \(type.rawValue) build=left [\(keys)]" + (residual.map { " residual: \($0)" } ?? "")
            + RuntimeFilterTargets.describe(runtimeFilterTargets)
    }

    /// What one probe batch found: the left key groups (without a residual) or the left rows
    /// (with one) it matched, and for a left join the joined rows.
    private struct Piece {
        var matched: Bitmap
        var joined: RecordBatch?
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let inputs = try left.execute(context)
        let batch = RecordBatch.concat(inputs, schema: left.schema)
        let n = batch.rowCount
        let leftEval = ExprEvaluator(input: left.output)
        let keyCols = try leftKeys.map { try leftEval.evaluate($0, batch) }
        let (index, groups) = JoinKeyIndex.build(keyCols, probeTypes: rightKeys.map(\.dataType), count: n, nullsEqual: false)
        let chains = JoinChains(groups: groups, groupCount: index.groupCount)
        let reserved = index.byteCount + chains.byteCount
        try context.memory.reserve(reserved)
        defer { context.memory.release(reserved) }

        // Through a filter keeping many rows, the probe reads unfiltered batches with a mask.
        let maskedFilter = MaskedJoinProbe.filter(below: right, keys: rightKeys)
        let pushed = RuntimeFilterTargets.push(runtimeFilterTargets, keys: keyCols, distinct: index.groupCount,
                                               buildKeys: leftKeys, build: left, context: context)
        let probeInput: [RecordBatch]
        do {
            defer { pushed.withdraw(context) }
            probeInput = try maskedFilter.map { try $0.child.execute(context) } ?? right.execute(context)
        }
        let rightEval = ExprEvaluator(input: right.output)
        // The residual sees only the columns it refers to, so candidate pairs gather just those.
        let residualRefs = residual?.references ?? []
        let pairLeft = left.output.indices.filter { residualRefs.contains(left.output[$0].id) }
        let pairRight = right.output.indices.filter { residualRefs.contains(right.output[$0].id) }
        let pairAttributes = pairLeft.map { left.output[$0] } + pairRight.map { right.output[$0] }
        let pairEval = ExprEvaluator(input: pairAttributes)
        let pairSchema = Schema(pairAttributes.map(\.field))
        let outSchema = schema
        let outer = type == .left
        // Semi and anti joins without a residual only need to know which key groups were hit.
        let byGroup = residual == nil && !outer
        let groupCount = index.groupCount
        let pieces = try context.pool.map(probeInput.count) { bi -> Piece in
            var probe = probeInput[bi]
            var passing: Bitmap?
            if let filter = maskedFilter {
                guard let applied = try filter.applyKeepingMask(probe, keepMaskAbove: MaskedJoinProbe.passingShareMin) else {
                    return Piece(matched: Bitmap(count: byGroup ? groupCount : n, value: false), joined: nil)
                }
                (probe, passing) = applied
            }
            let m = probe.rowCount
            let found = index.probe(try rightKeys.map { try rightEval.evaluate($0, probe) }, count: m, nullsEqual: false,
                                    passing: passing)
            if byGroup {
                var hit = Bitmap(count: groupCount, value: false)
                found.withUnsafeBufferPointer { f in
                    for i in 0..<m where f[i] >= 0 { hit[Int(f[i])] = true }
                }
                return Piece(matched: hit, joined: nil)
            }
            var (rIdx, lIdx) = chains.pairs(found)
            if let residual = self.residual, !lIdx.isEmpty {
                let columns = pairLeft.map { batch.columns[$0].take(lIdx) } + pairRight.map { probe.columns[$0].take(rIdx) }
                let pairs = RecordBatch(schema: pairSchema, columns: columns, rowCount: lIdx.count)
                let keep = ColumnVector.indices(of: LogicKernel.trueMask(try pairEval.evaluate(residual, pairs)))
                lIdx = keep.map { lIdx[Int($0)] }
                rIdx = keep.map { rIdx[Int($0)] }
            }
            var matched = Bitmap(count: n, value: false)
            for r in lIdx { matched[Int(r)] = true }
            guard outer, !lIdx.isEmpty else { return Piece(matched: matched, joined: nil) }
            let columns = self.outputSources.map {
                $0.fromLeft ? batch.columns[$0.index].take(lIdx) : probe.columns[$0.index].take(rIdx)
            }
            return Piece(matched: matched, joined: RecordBatch(schema: outSchema, columns: columns, rowCount: lIdx.count))
        }
        var matched = Bitmap(count: byGroup ? groupCount : n, value: false)
        for p in pieces { matched = matched | p.matched }
        if byGroup {
            // A left row is matched when its key group was hit.
            var rows = Bitmap(count: n, value: false)
            groups.withUnsafeBufferPointer { g in
                for i in 0..<n where g[i] >= 0 && matched[Int(g[i])] { rows[i] = true }
            }
            matched = rows
        }
        if outer {
            var out = pieces.compactMap(\.joined)
            let unmatched = ColumnVector.indices(of: ~matched)
            if !unmatched.isEmpty {
                let columns = zip(outputSources, output).map { source, attribute in
                    source.fromLeft ? batch.columns[source.index].take(unmatched)
                        : ColumnVector.nulls(attribute.type, count: unmatched.count)
                }
                out.append(RecordBatch(schema: outSchema, columns: columns, rowCount: unmatched.count))
            }
            return out
        }
        let keep = type == .leftAnti ? ~matched : matched
        // The kept rows, batch by batch as the left side produced them (so work above stays parallel).
        var out: [RecordBatch] = []
        var offset = 0
        for input in inputs {
            var local: [Int32] = []
            for i in 0..<input.rowCount where keep[offset + i] { local.append(Int32(i)) }
            offset += input.rowCount
            if local.isEmpty { continue }
            let all = local.count == input.rowCount
            let columns = outputSources.map { all ? input.columns[$0.index] : input.columns[$0.index].take(local) }
            out.append(RecordBatch(schema: outSchema, columns: columns, rowCount: local.count))
        }
        return out
    }
}
