import Columnar

/// `INTERSECT ALL` and `EXCEPT ALL`: rows compared whole (null equals null), with
/// multiplicities — a row the left side has l times and the right side r times appears
/// min(l, r) times in INTERSECT ALL and max(l - r, 0) times in EXCEPT ALL, as in Spark.
final class SetOperationAllExec: PhysicalOperator {
    let left: any PhysicalOperator
    let right: any PhysicalOperator
    let intersect: Bool
    var output: [Attribute] { left.output }

    init(left: any PhysicalOperator, right: any PhysicalOperator, intersect: Bool) {
        self.left = left
        self.right = right
        self.intersect = intersect
    }

    var children: [any PhysicalOperator] { [left, right] }
    var nodeString: String { intersect ? "IntersectAll" : "ExceptAll" }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        // Count the right side's rows by key.
        var table = KeyTable()
        var counts: [Int] = []
        for b in try right.execute(context) where b.rowCount > 0 {
            let groups = table.groups(for: KeyEncoder.encode(b.columns, count: b.rowCount))
            if counts.count < table.count { counts += [Int](repeating: 0, count: table.count - counts.count) }
            for g in groups { counts[Int(g)] += 1 }
        }
        var out: [RecordBatch] = []
        let schema = self.schema
        for b in try left.execute(context) where b.rowCount > 0 {
            let keys = KeyEncoder.encode(b.columns, count: b.rowCount)
            var keep: [Int32] = []
            keys.bytes.withUnsafeBufferPointer { bytes in
                for i in 0..<b.rowCount {
                    let s = keys.offsets[i], e = keys.offsets[i + 1]
                    let g = table.find(UnsafeBufferPointer(rebasing: bytes[s..<e]), hash: KeyEncoder.hash(bytes, s, e))
                    let matched = g >= 0 && counts[Int(g)] > 0
                    if matched { counts[Int(g)] -= 1 }
                    // INTERSECT ALL keeps matched rows; EXCEPT ALL keeps the rest.
                    if matched == intersect { keep.append(Int32(i)) }
                }
            }
            if !keep.isEmpty { out.append(RecordBatch(schema: schema, columns: b.take(keep).columns, rowCount: keep.count)) }
        }
        return out
    }
}
