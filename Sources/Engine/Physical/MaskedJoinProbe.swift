import Columnar

/// A hash join whose probe side is a filter keeping many rows probes the unfiltered batches with
/// the failing rows masked out, instead of having the filter copy the rows it keeps first: the
/// join gathers the rows it outputs from the unfiltered batch anyway (TPC-H Q3 and Q21 probe
/// with half or more of `lineitem`, whose copy cost as much as the probe).
///
/// Per batch: when the filter keeps at least `passingShareMin` of the rows, the keys of every row
/// are looked up and the failing rows' lookups discarded; below that share the filter copies the
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

    /// Sets the group of every row not in `passing` to -1 (no match).
    static func dropFailing(_ groups: inout [Int32], _ passing: Bitmap) {
        let n = min(groups.count, passing.count)
        groups.withUnsafeMutableBufferPointer { g in
            for i in 0..<n where !passing[i] { g[i] = -1 }
        }
    }
}
