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

    init(left: any PhysicalOperator, right: any PhysicalOperator, type: JoinType, leftKeys: [Expr], rightKeys: [Expr],
         residual: Expr?, output: [Attribute], nullsEqual: Bool = false) {
        self.nullsEqual = nullsEqual
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
                            output: kept, nullsEqual: nullsEqual)
    }

    /// The output columns for probe rows `pIdx` paired with build rows `bIdx` (-1: nulls).
    func gather(_ probe: RecordBatch, _ pIdx: [Int32], _ build: RecordBatch, _ bIdx: [Int32]) -> [ColumnVector] {
        outputSources.map { $0.fromLeft ? probe.columns[$0.index].take(pIdx) : build.columns[$0.index].take(bIdx) }
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String {
        let keys = zip(leftKeys, rightKeys).map { "\($0) = \($1)" }.joined(separator: ", ")
        return "HashJoin \(type.rawValue) [\(keys)]" + (residual.map { " residual: \($0)" } ?? "")
    }

    /// The build side, indexed: rows with equal keys are chained.
    struct BuildTable {
        let batch: RecordBatch
        let table: KeyTable
        let head: [Int32]
        let next: [Int32]
    }

    func buildTable(_ context: ExecutionContext) throws -> BuildTable {
        let batches = try right.execute(context)
        let batch = RecordBatch.concat(batches, schema: right.schema)
        let n = batch.rowCount
        let evaluator = ExprEvaluator(input: right.output)
        let keyCols = try rightKeys.map { try evaluator.evaluate($0, batch) }
        let keys = KeyEncoder.encode(keyCols, count: n)
        var table = KeyTable(capacity: max(16, n))
        var next = [Int32](repeating: -1, count: n)
        var head: [Int32] = []
        head.reserveCapacity(n)
        keys.bytes.withUnsafeBufferPointer { b in
            // Insert in reverse so chains list rows in input order.
            for i in stride(from: n - 1, through: 0, by: -1) {
                if !nullsEqual, let an = keys.anyNull, an[i] { continue }
                let s = keys.offsets[i], e = keys.offsets[i + 1]
                let g = Int(table.findOrInsert(UnsafeBufferPointer(rebasing: b[s..<e]),
                                               hash: KeyEncoder.hash(b, s, e)))
                if g == head.count { head.append(-1) }
                next[i] = head[g]
                head[g] = Int32(i)
            }
        }
        try context.memory.reserve(keys.bytes.count + n * 8)
        return BuildTable(batch: batch, table: table, head: head, next: next)
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let build = try buildTable(context)
        defer { context.memory.release(build.table.keys.bytes.count + build.batch.rowCount * 8) }
        let probeInput = try left.execute(context)
        let probeEval = ExprEvaluator(input: left.output)
        // Candidate pairs carry only the columns the residual reads.
        let residualRefs = residual?.references ?? []
        let pairAttributes = (left.output + right.output).filter { residualRefs.contains($0.id) }
        let pairSources = Self.sources(of: pairAttributes, left: left.output, right: right.output)
        let pairEval = ExprEvaluator(input: pairAttributes)
        let pairSchema = Schema(pairAttributes.map(\.field))
        let outSchema = schema
        let buildRows = build.batch.rowCount
        struct Piece {
            var batch: RecordBatch?
            var matchedBuild: Bitmap?
        }
        let pieces = try context.pool.map(probeInput.count) { bi -> Piece in
            let probe = probeInput[bi]
            let n = probe.rowCount
            let keyCols = try leftKeys.map { try probeEval.evaluate($0, probe) }
            let keys = KeyEncoder.encode(keyCols, count: n)
            var pIdx: [Int32] = []
            var bIdx: [Int32] = []
            pIdx.reserveCapacity(n)
            bIdx.reserveCapacity(n)
            keys.bytes.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    if !self.nullsEqual, let an = keys.anyNull, an[i] { continue }
                    let s = keys.offsets[i], e = keys.offsets[i + 1]
                    let g = build.table.find(UnsafeBufferPointer(rebasing: b[s..<e]), hash: KeyEncoder.hash(b, s, e))
                    if g < 0 { continue }
                    var r = build.head[Int(g)]
                    while r >= 0 {
                        pIdx.append(Int32(i))
                        bIdx.append(r)
                        r = build.next[Int(r)]
                    }
                }
            }
            if let residual, !pIdx.isEmpty {
                let pairColumns = pairSources.map {
                    $0.fromLeft ? probe.columns[$0.index].take(pIdx) : build.batch.columns[$0.index].take(bIdx)
                }
                let pairs = RecordBatch(schema: pairSchema, columns: pairColumns, rowCount: pIdx.count)
                let mask = LogicKernel.trueMask(try pairEval.evaluate(residual, pairs))
                let keep = ColumnVector.indices(of: mask)
                pIdx = keep.map { pIdx[Int($0)] }
                bIdx = keep.map { bIdx[Int($0)] }
            }
            return try Piece(batch: self.assemble(probe, n, pIdx, bIdx, build, outSchema),
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

    /// The output rows of one probe batch given its matching pairs.
    func assemble(_ probe: RecordBatch, _ n: Int, _ pIdx: [Int32], _ bIdx: [Int32], _ build: BuildTable,
                  _ outSchema: Schema) throws -> RecordBatch? {
        switch type {
        case .inner, .cross:
            if pIdx.isEmpty { return nil }
            return RecordBatch(schema: outSchema, columns: gather(probe, pIdx, build.batch, bIdx), rowCount: pIdx.count)
        case .leftSemi, .leftAnti:
            var hit = Bitmap(count: n, value: false)
            for p in pIdx { hit[Int(p)] = true }
            let keep = type == .leftSemi ? hit : ~hit
            if keep.popcount == 0 { return nil }
            let rows = ColumnVector.indices(of: keep)
            return RecordBatch(schema: outSchema, columns: outputSources.map { probe.columns[$0.index].take(rows) },
                               rowCount: rows.count)
        case .left, .full:
            // Matched pairs, then each probe row without a match once with nulls on the right.
            var hit = Bitmap(count: n, value: false)
            for p in pIdx { hit[Int(p)] = true }
            var allP = pIdx
            var allB = bIdx
            for i in ColumnVector.indices(of: ~hit) {
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
