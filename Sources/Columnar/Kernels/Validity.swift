/// Combining validity bitmaps.
public enum Validity {
    /// The validity of a value computed from two inputs: present only where both are.
    public static func and(_ a: Bitmap?, _ b: Bitmap?) -> Bitmap? {
        switch (a, b) {
        case (nil, nil): return nil
        case let (x?, nil): return x
        case let (nil, y?): return y
        case let (x?, y?): return x & y
        }
    }

    /// The validity of `column`, materialised (all set when it has no nulls).
    public static func of(_ column: ColumnVector) -> Bitmap {
        if case .null = column.storage { return Bitmap(count: column.count, value: false) }
        return column.validity ?? Bitmap(count: column.count, value: true)
    }
}

/// Builds a bitmap from a per-index predicate, 64 bits at a time.
@inlinable func makeBitmap(count n: Int, _ bit: (Int) -> Bool) -> Bitmap {
    var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
    words.withUnsafeMutableBufferPointer { w in
        var i = 0
        var wi = 0
        while i < n {
            let end = min(i + 64, n)
            var word: UInt64 = 0
            var k: UInt64 = 0
            while i < end {
                // Branch-free: filters keep rows in no predictable pattern, and a mispredicted
                // branch per row cost more than the comparison itself.
                word |= UInt64(truncatingIfNeeded: unsafeBitCast(bit(i), to: UInt8.self)) << k
                k += 1
                i += 1
            }
            w[wi] = word
            wi += 1
        }
    }
    return Bitmap(words: words, count: n)
}
