/// Choosing between columns row by row (CASE, IF, COALESCE).
public enum SelectKernel {
    /// `mask ? a : b` per row, where a null condition counts as false. `a` and `b` must have
    /// the same type.
    public static func select(_ mask: Bitmap, _ a: ColumnVector, _ b: ColumnVector) -> ColumnVector {
        let n = a.count
        if mask.allSet { return a }
        if mask.popcount == 0 { return b }
        // Gather from the concatenation [a, b]: row i comes from a[i] or b[i].
        let both = ColumnVector.concat([a, b], type: a.type)
        var idx = [Int32](repeating: 0, count: n)
        idx.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { o[i] = Int32(truncatingIfNeeded: mask[i] ? i : n + i) }
        }
        return both.take(idx)
    }

    /// The first non-null value per row.
    public static func coalesce(_ columns: [ColumnVector]) -> ColumnVector {
        guard var out = columns.last else { return ColumnVector.nulls(.null, count: 0) }
        for c in columns.dropLast().reversed() {
            out = select(Validity.of(c), c, out)
        }
        return out
    }
}
