import Columnar

/// The rows of a hash join's build side chained by key group: the build and probe core shared
/// by `HashJoinExec` and `HashJoinBuildLeftExec`.
///
/// Built from each build row's group in a `JoinKeyIndex` (-1 for rows whose key matches
/// nothing); a group's rows are listed in input order.
struct JoinChains {
    /// The first build row of each key group (rows of a group are chained by `next`).
    let head: [Int32]
    /// The next build row of the same group, -1 at a chain's end.
    let next: [Int32]
    /// The number of build rows in each key group.
    let sizes: [Int32]

    /// Chains `groups.count` build rows into `groupCount` groups.
    init(groups: [Int32], groupCount: Int) {
        let n = groups.count
        var next = [Int32](repeating: -1, count: n)
        var head = [Int32](repeating: -1, count: groupCount)
        var sizes = [Int32](repeating: 0, count: groupCount)
        head.withUnsafeMutableBufferPointer { h in
            next.withUnsafeMutableBufferPointer { nx in
                sizes.withUnsafeMutableBufferPointer { sz in
                    groups.withUnsafeBufferPointer { g in
                        // Chain in reverse so each chain lists its rows in input order.
                        for i in stride(from: n - 1, through: 0, by: -1) where g[i] >= 0 {
                            let k = Int(g[i])
                            nx[i] = h[k]
                            h[k] = Int32(i)
                            sz[k] += 1
                        }
                    }
                }
            }
        }
        self.head = head
        self.next = next
        self.sizes = sizes
    }

    /// Bytes held (for memory accounting).
    var byteCount: Int { (head.count + next.count + sizes.count) * 4 }

    /// Every (probe row, build row) pair with equal keys given the probe rows' groups, probe rows
    /// in order and the build rows of each in input order; sized exactly first from the groups'
    /// sizes.
    func pairs(_ groups: [Int32]) -> (probe: [Int32], build: [Int32]) {
        var total = 0
        groups.withUnsafeBufferPointer { g in
            sizes.withUnsafeBufferPointer { sz in
                for x in g where x >= 0 { total += Int(sz[Int(x)]) }
            }
        }
        var pIdx = [Int32](repeating: 0, count: total)
        var bIdx = [Int32](repeating: 0, count: total)
        pIdx.withUnsafeMutableBufferPointer { p in
            bIdx.withUnsafeMutableBufferPointer { b in
                groups.withUnsafeBufferPointer { g in
                    head.withUnsafeBufferPointer { head in
                        next.withUnsafeBufferPointer { next in
                            var at = 0
                            for i in 0..<g.count where g[i] >= 0 {
                                var r = head[Int(g[i])]
                                while r >= 0 {
                                    p[at] = Int32(i)
                                    b[at] = r
                                    at += 1
                                    r = next[Int(r)]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (pIdx, bIdx)
    }
}
