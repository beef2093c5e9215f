import Columnar

/// A hash join whose probe side is a filter keeping many rows probes the unfiltered batches with
/// the failing rows masked out, instead of having the filter copy the rows it keeps first: the
/// join gathers the rows it outputs from the unfiltered batch anyway (TPC-H Q3 and Q21 probe
/// with half or more of `lineitem`, whose copy cost as much as the probe).
///
/// Per batch: when the filter keeps at least `passingShareMin` of the rows, the keys of every row
/// are computed and the failing rows' keys marked to match nothing before the lookup; below that share the filter copies the
/// few passing rows as before. The join keys and the filter's projection are evaluated on the
/// failing rows too, so this runs only when those cannot fail on any input.
enum MaskedJoinProbe {
    /// The smallest share of a batch's rows the filter must keep for the batch to be probed unfiltered.
    static let passingShareMin = 0.25

    /// The filter under a join's probe side when the join may read its input unfiltered: a
    /// filter whose projection and the join's probe keys never fail, over an input that is not
    /// read batch by batch through the filter (a pipelined scan, whose rows the filter drops as
    /// they are read so they are never held whole).
    static func filter(below probe: any PhysicalOperator, keys: [Expr]) -> FilterProjectExec? {
        guard let filter = probe as? FilterProjectExec, filter.condition != nil else { return nil }
        if let scan = filter.child as? ScanExec, scan.relation.table.provider is any PipelinedTableProvider { return nil }
        guard (filter.projection ?? []).allSatisfy(MaskedAggregateInput.neverFails),
              keys.allSatisfy(MaskedAggregateInput.neverFails) else { return nil }
        return filter
    }

    /// Sets the group of every row not in `passing` to -1 (no match). Branch-free: which rows
    /// a filter passes follows no pattern a branch predictor could learn.
    static func dropFailing(_ groups: inout [Int32], _ passing: Bitmap) {
        let n = min(groups.count, passing.count)
        groups.withUnsafeMutableBufferPointer { g in
            passing.words.withUnsafeBufferPointer { w in
                for i in 0..<n {
                    let bit = Int32(truncatingIfNeeded: (w[i >> 6] >> UInt64(i & 63)) & 1)
                    g[i] |= bit &- 1  // passing: | 0 keeps the group; failing: | -1 gives -1
                }
            }
        }
    }

    /// Marks the packed code of every row not in `passing` as matching nothing (at or above
    /// `PackedKeyLayout.noMatch`), so the lookup skips it. Branch-free, as `dropFailing`.
    static func excludeFailing(_ codes: inout [UInt64], _ passing: Bitmap) {
        let n = min(codes.count, passing.count)
        codes.withUnsafeMutableBufferPointer { c in
            passing.words.withUnsafeBufferPointer { w in
                for i in 0..<n {
                    let bit = (w[i >> 6] >> UInt64(i & 63)) & 1
                    c[i] |= (bit ^ 1) << 63
                }
            }
        }
    }
}
