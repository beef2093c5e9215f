import Columnar

/// Equi-join by hashing the right (build) side and probing it with the left side's batches in
/// parallel. Supports inner, left/right/full outer, left semi and left anti joins, with an
/// optional residual condition evaluated on candidate pairs.
final class HashJoinExec: PhysicalOperator {
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let type: JoinType
    let leftKeys: [Expr]
    let rightKeys: [Expr]
    let residual: Expr?
    let output: [Attribute]
    /// Whether null keys match each other (INTERSECT / EXCEPT compare rows null-safely).
    let nullsEqual: Bool

    /// The scans below the probe side that take a filter on the built keys (empty: none).
    let runtimeFilterTargets: [RuntimeFilterTarget]

    /// A join; with `runtimeFilters`, the probe side's scans are handed a filter on the built keys
    /// where that is correct (inner and semi joins, see `RuntimeFilterTargets`) and worth it.
    init(left: any PhysicalOperator, right: any PhysicalOperator, type: JoinType, leftKeys: [Expr], rightKeys: [Expr],
         residual: Expr?, output: [Attribute], nullsEqual: Bool = false, runtimeFilters: Bool = false) {
        self.nullsEqual = nullsEqual
        runtimeFilterTargets = runtimeFilters && !nullsEqual && (type == .inner || type == .leftSemi)
            ? RuntimeFilterTargets.find(probe: left, probeKeys: leftKeys, buildKeys: rightKeys) : []
        self.left = left
        self.right = right
        self.type = type
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.output = output
        outputSources = Self.sources(of: output, left: left.output, right: right.output)
    }

    /// Where each output column comes from: a column of the probe (left) side or of the build
    /// (right) side. The output may be any subset of the two sides' columns (see `narrowed`).
    let outputSources: [(fromLeft: Bool, index: Int)]

    static func sources(of output: [Attribute], left: [Attribute], right: [Attribute]) -> [(fromLeft: Bool, index: Int)] {
        var leftIndex: [AttributeID: Int] = [:], rightIndex: [AttributeID: Int] = [:]
        for (i, a) in left.enumerated() where leftIndex[a.id] == nil { leftIndex[a.id] = i }
        for (i, a) in right.enumerated() where rightIndex[a.id] == nil { rightIndex[a.id] = i }
        // Attributes are unique per side; when both sides share one (set operations compare a
        // plan with itself), the output means the left side's.
        return output.map { a in leftIndex[a.id].map { (true, $0) } ?? (false, rightIndex[a.id] ?? 0) }
    }

    /// The same join producing only the attributes in `needed` (in output order), so columns
    /// nobody reads are never gathered; nil when it already produces nothing else.
    func narrowed(to needed: Set<AttributeID>) -> HashJoinExec? {
        let kept = output.filter { needed.contains($0.id) }
        guard kept.count < output.count else { return nil }
        return HashJoinExec(left: left, right: right, type: type, leftKeys: leftKeys, rightKeys: rightKeys, residual: residual,
                            output: kept, nullsEqual: nullsEqual, runtimeFilters: !runtimeFilterTargets.isEmpty)
    }

    /// The output columns for probe rows `pIdx` paired with build rows `bIdx` (-1: nulls);
    /// `probeInOrder` says `pIdx` is every probe row in order, so probe columns need no gather.
    func gather(_ probe: RecordBatch, _ pIdx: [Int32], _ build: RecordBatch, _ bIdx: [Int32],
                probeInOrder: Bool = false) -> [ColumnVector] {
        outputSources.map {
            $0.fromLeft ? (probeInOrder ? probe.columns[$0.index] : probe.columns[$0.index].take(pIdx))
                : build.columns[$0.index].take(bIdx)
        }
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String {
        let keys = zip(leftKeys, rightKeys).map { "\($0) = \($1)" }.joined(separator: ", ")
        return "HashJoin \(type.rawValue) [\(keys)]" + (residual.map { " residual: \($0)" } ?? "")
            + RuntimeFilterTargets.describe(runtimeFilterTargets)
    }

    /// The build side, indexed: rows with equal keys are chained.
    struct BuildTable {
        let batch: RecordBatch
        /// The key columns of `batch`.
        let keys: [ColumnVector]
        let index: JoinKeyIndex
        let chains: JoinChains
        /// Bytes reserved in the query's memory tracker.
        let reservedBytes: Int
    }

    func buildTable(_ context: ExecutionContext) throws -> BuildTable {
        let batches = try right.execute(context).filter { $0.rowCount > 0 }
        let buildSchema = right.schema
        let batch: RecordBatch
        if batches.count <= 1 {
            batch = batches.first ?? .empty(buildSchema)
        } else {
            // One column per morsel: the build side's copy into one batch runs on every worker.
            let columns = try context.pool.map(buildSchema.count) { c in
                ColumnVector.concat(batches.map { $0.columns[c] }, type: buildSchema.fields[c].type)
            }
            batch = RecordBatch(schema: buildSchema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
        }
        let n = batch.rowCount
        let evaluator = ExprEvaluator(input: right.output)
        let keyCols = try rightKeys.map { try evaluator.evaluate($0, batch) }
        let (index, groups) = JoinKeyIndex.build(keyCols, probeTypes: leftKeys.map(\.dataType), count: n,
                                                 nullsEqual: nullsEqual)
        let chains = JoinChains(groups: groups, groupCount: index.groupCount)
        let reserved = index.byteCount + chains.byteCount
        try context.memory.reserve(reserved)
        return BuildTable(batch: batch, keys: keyCols, index: index, chains: chains, reservedBytes: reserved)
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let build = try buildTable(context)
        defer { context.memory.release(build.reservedBytes) }
        // Through a filter keeping many rows, the probe reads unfiltered batches with a mask.
        let maskedFilter = MaskedJoinProbe.filter(below: left, keys: leftKeys)
        let pushed = RuntimeFilterTargets.push(runtimeFilterTargets, keys: build.keys, distinct: build.index.groupCount,
                                               buildKeys: rightKeys, build: right, context: context)
        let probeInput: [RecordBatch]
        do {
            defer { pushed.withdraw(context) }
            probeInput = try maskedFilter.map { try $0.child.execute(context) } ?? left.execute(context)
        }
        let probeEval = ExprEvaluator(input: left.output)
        // The residual sees only the columns it refers to, so candidate pairs gather just those.
        let residualRefs = residual?.references ?? []
        let pairLeft = left.output.indices.filter { residualRefs.contains(left.output[$0].id) }
        let pairRight = right.output.indices.filter { residualRefs.contains(right.output[$0].id) }
        let pairAttributes = pairLeft.map { left.output[$0] } + pairRight.map { right.output[$0] }
        let pairEval = ExprEvaluator(input: pairAttributes)
        let pairSchema = Schema(pairAttributes.map(\.field))
        let outSchema = schema
        let buildRows = build.batch.rowCount
        // Semi and anti joins without a residual need only know whether a probe row has a match.
        let firstMatchOnly = residual == nil && (type == .leftSemi || type == .leftAnti)
        struct Piece {
            var batch: RecordBatch?
            var matchedBuild: Bitmap?
        }
        let pieces = try context.pool.map(probeInput.count) { bi -> Piece in
            var probe = probeInput[bi]
            // Rows of `probe` the filter below passed (nil: every row).
            var passing: Bitmap?
            if let filter = maskedFilter {
                guard let applied = try filter.applyKeepingMask(probe, keepMaskAbove: MaskedJoinProbe.passingShareMin) else {
                    return Piece(batch: nil, matchedBuild: nil)
                }
                (probe, passing) = applied
            }
            let n = probe.rowCount
            let keyCols = try leftKeys.map { try probeEval.evaluate($0, probe) }
            let groups = build.index.probe(keyCols, count: n, nullsEqual: self.nullsEqual, passing: passing)
            var pIdx: [Int32] = []
            var bIdx: [Int32] = []
            if firstMatchOnly {
                pIdx.reserveCapacity(n)
                groups.withUnsafeBufferPointer { g in
                    for i in 0..<n where g[i] >= 0 { pIdx.append(Int32(i)) }
                }
            } else {
                (pIdx, bIdx) = build.chains.pairs(groups)
            }
            if let residual, !pIdx.isEmpty {
                let columns = pairLeft.map { probe.columns[$0].take(pIdx) } + pairRight.map { build.batch.columns[$0].take(bIdx) }
                let pairs = RecordBatch(schema: pairSchema, columns: columns, rowCount: pIdx.count)
                let mask = LogicKernel.trueMask(try pairEval.evaluate(residual, pairs))
                let keep = ColumnVector.indices(of: mask)
                pIdx = keep.map { pIdx[Int($0)] }
                bIdx = keep.map { bIdx[Int($0)] }
            }
            // Foreign-key joins often match every probe row exactly once, in order: then the
            // probe columns are output as they are, without a gather.
            let probeInOrder = pIdx.count == n && pIdx.withUnsafeBufferPointer { p in
                var i: Int32 = 0
                for x in p {
                    if x != i { return false }
                    i += 1
                }
                return true
            }
            return try Piece(batch: self.assemble(probe, n, pIdx, bIdx, build, outSchema, probeInOrder: probeInOrder,
                                                  passing: passing),
                             matchedBuild: self.type == .full ? Self.matched(bIdx, buildRows) : nil)
        }
        var out = pieces.compactMap(\.batch).filter { $0.rowCount > 0 }
        if type == .full {
            // Build rows no probe row matched, padded with nulls on the left.
            var matched = Bitmap(count: buildRows, value: false)
            for p in pieces { if let m = p.matchedBuild { matched = matched | m } }
            let unmatched = ColumnVector.indices(of: ~matched)
            if !unmatched.isEmpty {
                let columns = zip(outputSources, output).map { source, attribute in
                    source.fromLeft ? ColumnVector.nulls(attribute.type, count: unmatched.count)
                        : build.batch.columns[source.index].take(unmatched)
                }
                out.append(RecordBatch(schema: outSchema, columns: columns, rowCount: unmatched.count))
            }
        }
        return out
    }

    static func matched(_ bIdx: [Int32], _ n: Int) -> Bitmap {
        var m = Bitmap(count: n, value: false)
        for r in bIdx { m[Int(r)] = true }
        return m
    }

    /// The output rows of one probe batch given its matching pairs; `passing` marks the rows of
    /// `probe` a filter below kept (nil: all of them; pairs only ever hold such rows).
    func assemble(_ probe: RecordBatch, _ n: Int, _ pIdx: [Int32], _ bIdx: [Int32], _ build: BuildTable,
                  _ outSchema: Schema, probeInOrder: Bool, passing: Bitmap? = nil) throws -> RecordBatch? {
        switch type {
        case .inner, .cross:
            if pIdx.isEmpty { return nil }
            return RecordBatch(schema: outSchema, columns: gather(probe, pIdx, build.batch, bIdx, probeInOrder: probeInOrder),
                               rowCount: pIdx.count)
        case .leftSemi, .leftAnti:
            var hit = Bitmap(count: n, value: false)
            for p in pIdx { hit[Int(p)] = true }
            var keep = type == .leftSemi ? hit : ~hit
            if let passing { keep = keep & passing }
            let kept = keep.popcount
            if kept == 0 { return nil }
            let columns = outputSources.map { kept == n ? probe.columns[$0.index] : probe.columns[$0.index].filter(keep) }
            return RecordBatch(schema: outSchema, columns: columns, rowCount: kept)
        case .left, .full:
            // Matched pairs, then each probe row without a match once with nulls on the right.
            var hit = Bitmap(count: n, value: false)
            for p in pIdx { hit[Int(p)] = true }
            var allP = pIdx
            var allB = bIdx
            for i in ColumnVector.indices(of: passing.map { ~hit & $0 } ?? ~hit) {
                allP.append(i)
                allB.append(-1)
            }
            if allP.isEmpty { return nil }
            return RecordBatch(schema: outSchema, columns: gather(probe, allP, build.batch, allB), rowCount: allP.count)
        case .right:
            throw EngineError.execution("right joins are planned as left joins with the sides swapped")
        }
    }
}

/// Joins without equality keys: every pair of rows is tested (cross joins and theta joins).
final class NestedLoopJoinExec: PhysicalOperator {
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let type: JoinType
    let condition: Expr?
    let output: [Attribute]

    init(left: any PhysicalOperator, right: any PhysicalOperator, type: JoinType, condition: Expr?, output: [Attribute]) {
        self.left = left
        self.right = right
        self.type = type
        self.condition = condition
        self.output = output
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String { "NestedLoopJoin \(type.rawValue)" + (condition.map { " \($0)" } ?? "") }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        // Reuse the hash join's assembly by treating every build row as a candidate.
        let hj = HashJoinExec(left: left, right: right, type: type, leftKeys: [], rightKeys: [], residual: condition,
                              output: output)
        return try hj.execute(context)
    }
}
