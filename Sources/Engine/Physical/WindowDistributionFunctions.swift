import Columnar

/// The window functions that place a row within its partition: `ntile`, `percent_rank`,
/// `cume_dist`, and `nth_value`, which reads the n-th row of the row's frame.
///
/// All work on the partition-sorted positions `WindowExec` computes: `partitionOf[k]` and
/// `peerStart[k]` for sorted position `k`, and `sorted[k]`, the input row there.
struct WindowPositions {
    let sorted: [Int32]
    let partitionOf: [Int32]
    let peerStart: [Int]
    /// The first and one-past-last sorted position of each position's partition and peer group.
    let partStart: [Int], partEnd: [Int], peerEnd: [Int]

    init(sorted: [Int32], partitionOf: [Int32], peerStart: [Int]) {
        let n = sorted.count
        self.sorted = sorted
        self.partitionOf = partitionOf
        self.peerStart = peerStart
        var partStart = [Int](repeating: 0, count: n), partEnd = [Int](repeating: n, count: n)
        var peerEnd = [Int](repeating: n, count: n)
        for k in 0..<n { partStart[k] = k > 0 && partitionOf[k - 1] == partitionOf[k] ? partStart[k - 1] : k }
        var k = n - 1
        while k >= 0 {
            let lastOfPart = k == n - 1 || partitionOf[k + 1] != partitionOf[k]
            partEnd[k] = lastOfPart ? k + 1 : partEnd[k + 1]
            peerEnd[k] = lastOfPart || peerStart[k + 1] != peerStart[k] ? k + 1 : peerEnd[k + 1]
            k -= 1
        }
        self.partStart = partStart
        self.partEnd = partEnd
        self.peerEnd = peerEnd
    }

    var count: Int { sorted.count }

    /// `ntile(buckets)`: the 1-based bucket of the row when its partition is cut into `buckets`
    /// groups of sizes differing by at most one, the larger ones first.
    func ntile(_ buckets: Int) -> ColumnVector {
        var values = [Int32](repeating: 0, count: count)
        for k in 0..<count {
            let rows = partEnd[k] - partStart[k], i = k - partStart[k]
            let size = rows / buckets, larger = rows % buckets
            let bucket = i < larger * (size + 1) ? i / (size + 1) : larger + (i - larger * (size + 1)) / max(size, 1)
            values[Int(sorted[k])] = Int32(bucket + 1)
        }
        return ColumnVector(type: .int32, count: count, storage: .int32(values), validity: nil)
    }

    /// `percent_rank()`: (rank − 1) / (rows − 1), 0 in a partition of one row.
    func percentRank() -> ColumnVector {
        var values = [Double](repeating: 0, count: count)
        for k in 0..<count {
            let rows = partEnd[k] - partStart[k]
            values[Int(sorted[k])] = rows > 1 ? Double(peerStart[k] - partStart[k]) / Double(rows - 1) : 0
        }
        return ColumnVector(type: .float64, count: count, storage: .float64(values), validity: nil)
    }

    /// `cume_dist()`: the share of the partition's rows ordered at or before the row (its peers included).
    func cumeDist() -> ColumnVector {
        var values = [Double](repeating: 0, count: count)
        for k in 0..<count {
            values[Int(sorted[k])] = Double(peerEnd[k] - partStart[k]) / Double(partEnd[k] - partStart[k])
        }
        return ColumnVector(type: .float64, count: count, storage: .float64(values), validity: nil)
    }

    /// `nth_value(x, n)`: `x` at the n-th row of each row's frame `[lo, hi)` of sorted positions,
    /// null when the frame is shorter.
    func nthValue(_ value: ColumnVector, _ n: Int, frames: [(lo: Int, hi: Int)]) -> ColumnVector {
        var idx = [Int32](repeating: -1, count: count)
        for k in 0..<count {
            let (lo, hi) = frames[k]
            if n - 1 < hi - lo { idx[Int(sorted[k])] = sorted[lo + n - 1] }
        }
        return value.take(idx)
    }

    /// The default frames: the whole partition without ORDER BY, else from the partition's start
    /// to the end of the row's peer group.
    func defaultFrames(ordered: Bool) -> [(lo: Int, hi: Int)] {
        (0..<count).map { k in (partStart[k], ordered ? peerEnd[k] : partEnd[k]) }
    }
}
