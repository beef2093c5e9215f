import Columnar

/// A left semi, left anti or left outer join that hashes the left side and probes it with the
/// right side's batches in parallel: chosen when the left side is the smaller one (`EXISTS` over
/// a large table filtered by a few outer rows, every customer with its orders), where hashing
/// the right side would index many rows that are each looked up rarely. Each right row finds the
/// left rows it matches (the residual condition is checked on the pairs); semi and anti joins
/// output the left rows marked or not marked, in their input order; the left join outputs the
/// pairs, then the unmarked left rows once with nulls on the right. Null keys match nothing.
final class HashJoinBuildLeftExec: PhysicalOperator {
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let type: JoinType
    let leftKeys: [Expr]
    let rightKeys: [Expr]
    let residual: Expr?
    let output: [Attribute]

    /// A join of `type` `.leftSemi`, `.leftAnti` or `.left`.
    init(left: any PhysicalOperator, right: any PhysicalOperator, type: JoinType, leftKeys: [Expr], rightKeys: [Expr],
         residual: Expr?, output: [Attribute]) {
        self.left = left
        self.right = right
        self.type = type
        self.leftKeys = leftKeys
        self.rightKeys = rightKeys
        self.residual = residual
        self.output = output
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String {
        let keys = zip(leftKeys, rightKeys).map { "\($0) = \($1)" }.joined(separator: ", ")
        return "HashJoin \(type.rawValue) build=left [\(keys)]" + (residual.map { " residual: \($0)" } ?? "")
    }

    /// What one probe batch found: the left rows it matched, and for a left join the joined rows.
    private struct Piece {
        var matched: [Int32]
        var joined: RecordBatch?
    }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let inputs = try left.execute(context)
        let batch = RecordBatch.concat(inputs, schema: left.schema)
        let n = batch.rowCount
        let leftEval = ExprEvaluator(input: left.output)
        let keys = KeyEncoder.encode(try leftKeys.map { try leftEval.evaluate($0, batch) }, count: n)
        var table = KeyTable(capacity: max(16, n))
        var next = [Int32](repeating: -1, count: n)
        var head: [Int32] = []
        head.reserveCapacity(n)
        keys.bytes.withUnsafeBufferPointer { b in
            // Inserted in reverse so that chains list rows in input order.
            for i in stride(from: n - 1, through: 0, by: -1) {
                if let an = keys.anyNull, an[i] { continue }
                let s = keys.offsets[i], e = keys.offsets[i + 1]
                let g = Int(table.findOrInsert(UnsafeBufferPointer(rebasing: b[s..<e]), hash: KeyEncoder.hash(b, s, e)))
                if g == head.count { head.append(-1) }
                next[i] = head[g]
                head[g] = Int32(i)
            }
        }
        let index = table, chainHead = head, chainNext = next
        let reserved = keys.bytes.count + n * 8
        try context.memory.reserve(reserved)
        defer { context.memory.release(reserved) }

        let probeInput = try right.execute(context)
        let rightEval = ExprEvaluator(input: right.output)
        let pairEval = ExprEvaluator(input: left.output + right.output)
        let pairSchema = Schema((left.output + right.output).map(\.field))
        let outSchema = schema
        let outer = type == .left
        let pieces = try context.pool.map(probeInput.count) { bi -> Piece in
            let probe = probeInput[bi]
            let m = probe.rowCount
            let pk = KeyEncoder.encode(try rightKeys.map { try rightEval.evaluate($0, probe) }, count: m)
            var lIdx: [Int32] = []
            var rIdx: [Int32] = []
            pk.bytes.withUnsafeBufferPointer { b in
                for i in 0..<m {
                    if let an = pk.anyNull, an[i] { continue }
                    let s = pk.offsets[i], e = pk.offsets[i + 1]
                    let g = index.find(UnsafeBufferPointer(rebasing: b[s..<e]), hash: KeyEncoder.hash(b, s, e))
                    if g < 0 { continue }
                    var r = chainHead[Int(g)]
                    while r >= 0 {
                        lIdx.append(r)
                        rIdx.append(Int32(i))
                        r = chainNext[Int(r)]
                    }
                }
            }
            if let residual = self.residual, !lIdx.isEmpty {
                let pairs = RecordBatch(schema: pairSchema, columns: batch.take(lIdx).columns + probe.take(rIdx).columns,
                                        rowCount: lIdx.count)
                let keep = ColumnVector.indices(of: LogicKernel.trueMask(try pairEval.evaluate(residual, pairs)))
                lIdx = keep.map { lIdx[Int($0)] }
                rIdx = keep.map { rIdx[Int($0)] }
            }
            guard outer, !lIdx.isEmpty else { return Piece(matched: lIdx, joined: nil) }
            let joined = RecordBatch(schema: outSchema, columns: batch.take(lIdx).columns + probe.take(rIdx).columns,
                                     rowCount: lIdx.count)
            return Piece(matched: lIdx, joined: joined)
        }
        var matched = Bitmap(count: n, value: false)
        for p in pieces { for r in p.matched { matched[Int(r)] = true } }
        if outer {
            var out = pieces.compactMap(\.joined)
            let unmatched = ColumnVector.indices(of: ~matched)
            if !unmatched.isEmpty {
                let nulls = right.output.map { ColumnVector.nulls($0.type, count: unmatched.count) }
                out.append(RecordBatch(schema: outSchema, columns: batch.take(unmatched).columns + nulls,
                                       rowCount: unmatched.count))
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
            if local.count == input.rowCount {
                out.append(input)
            } else if !local.isEmpty {
                out.append(input.take(local))
            }
        }
        return out
    }
}
