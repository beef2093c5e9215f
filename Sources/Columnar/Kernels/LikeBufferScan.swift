import CTributary

/// LIKE over a whole string column at once, for patterns of plain segments (`%a%b%`, `a%b`, `%a`).
///
/// A value matches only if it holds every middle segment, so the longest one (the anchor) is searched
/// for across the column's contiguous value bytes in one vectorised scan, not value by value: a row in
/// which it does not occur is decided at once, and only the rows it occurs in are matched in full.
/// Patterns without a middle segment (equality, prefix, suffix, prefix and suffix) are decided per row
/// by their lengths first, then their bytes.
extension LikeMatcher {
    /// The index (into `literals.bounds`) of the longest non-empty middle segment, the one searched for
    /// across the buffer; nil when the pattern has none.
    static func anchorSegment(_ bounds: [(start: Int, end: Int)]) -> Int? {
        guard bounds.count >= 3 else { return nil }
        var best: Int? = nil
        var bestLength = 0
        for k in 1..<(bounds.count - 1) where bounds[k].end - bounds[k].start > bestLength {
            best = k
            bestLength = bounds[k].end - bounds[k].start
        }
        return best
    }

    /// `value LIKE pattern` (or NOT LIKE when `negated`) for rows `0..<count` of values
    /// `d[o[i]..<o[i + 1] - gap]`, searching the anchor segment `anchor` across the buffer. With a gap
    /// (the length before each value of a Parquet PLAIN page), a hit may start in it: the row it is
    /// taken for is then matched in full, or left alone when the hit runs past the row's end.
    static func scanBuffer(_ pattern: UnsafeBufferPointer<UInt8>, _ bounds: UnsafeBufferPointer<(start: Int, end: Int)>,
                           anchor: Int, _ d: UnsafeBufferPointer<UInt8>, _ o: UnsafeBufferPointer<Int32>, count n: Int,
                           gap: Int = 0, negated: Bool) -> Bitmap {
        var words = [UInt64](repeating: negated ? ~0 : 0, count: (n + 63) >> 6)
        // Without value bytes no row holds the (non-empty) anchor: every row is decided already.
        guard n > 0, let base = d.baseAddress, let needle = pattern.baseAddress.map({ $0 + bounds[anchor].start })
        else { return Bitmap(words: words, count: n) }
        let m = bounds[anchor].end - bounds[anchor].start
        words.withUnsafeMutableBufferPointer { w in
            var row = 0
            var position = Int(o[0])
            let stop = Int(o[n]) - gap
            while stop - position >= m {
                let found = tributary_find_bytes(base + position, Int64(stop - position), needle, Int64(m))
                if found < 0 { break }
                let at = position + Int(found)
                // The row holding byte `at`; empty rows in between are skipped as any other.
                while Int(o[row + 1]) <= at { row += 1 }
                let rowEnd = Int(o[row + 1]) - gap
                // A hit that runs into the next value is no hit: and no later start in this row can fit.
                if at + m <= rowEnd, matchesFlat(pattern, bounds, d, Int(o[row]), rowEnd) {
                    w[row >> 6] ^= UInt64(1) << UInt64(row & 63)
                }
                position = rowEnd
                row += 1
            }
        }
        return Bitmap(words: words, count: n)
    }
}
