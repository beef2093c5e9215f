/// A packed bit vector, least significant bit first, as Arrow stores validity and booleans.
///
/// Bits past `count` in the last word are kept zero so that word-wise operations (and, or,
/// popcount) need no masking.
public struct Bitmap: Hashable, Sendable {
    /// The 64-bit words holding the bits.
    public private(set) var words: [UInt64]
    /// The number of bits.
    public private(set) var count: Int

    /// A bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        let wordCount = (count + 63) >> 6
        if value {
            words = [UInt64](repeating: ~0, count: wordCount)
            clearTail()
        } else {
            words = [UInt64](repeating: 0, count: wordCount)
        }
    }

    /// Wraps existing words; bits past `count` are cleared.
    public init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) >> 6, "word count must match bit count")
        self.words = words
        self.count = count
        clearTail()
    }

    /// An empty bitmap with room for `capacity` bits.
    public init(reservingCapacity capacity: Int) {
        words = []
        words.reserveCapacity((capacity + 63) >> 6)
        count = 0
    }

    private mutating func clearTail() {
        let rem = count & 63
        if rem != 0, !words.isEmpty { words[words.count - 1] &= (UInt64(1) << UInt64(rem)) &- 1 }
    }

    /// The bit at `index`.
    public subscript(index: Int) -> Bool {
        // Inlinable: row loops in other modules test validity bit by bit (`where valid[i]`),
        // and an out-of-line call per row cost more than the test itself.
        @inlinable get { (words[index >> 6] >> UInt64(index & 63)) & 1 != 0 }
        set {
            let mask = UInt64(1) << UInt64(index & 63)
            if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
        }
    }

    /// Appends one bit.
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= UInt64(1) << UInt64(count & 63) }
        count += 1
    }

    /// The number of set bits.
    public var popcount: Int {
        var total = 0
        for w in words { total += w.nonzeroBitCount }
        return total
    }

    /// True when every bit is set.
    public var allSet: Bool { popcount == count }

    /// Bitwise and of two bitmaps of equal length.
    public static func & (a: Bitmap, b: Bitmap) -> Bitmap {
        precondition(a.count == b.count, "bitmap lengths differ")
        var out = a
        out.words.withUnsafeMutableBufferPointer { o in
            b.words.withUnsafeBufferPointer { bw in
                for i in 0..<o.count { o[i] &= bw[i] }
            }
        }
        return out
    }

    /// Bitwise or of two bitmaps of equal length.
    public static func | (a: Bitmap, b: Bitmap) -> Bitmap {
        precondition(a.count == b.count, "bitmap lengths differ")
        var out = a
        out.words.withUnsafeMutableBufferPointer { o in
            b.words.withUnsafeBufferPointer { bw in
                for i in 0..<o.count { o[i] |= bw[i] }
            }
        }
        return out
    }

    /// Bitwise negation (bits past `count` stay zero).
    public static prefix func ~ (a: Bitmap) -> Bitmap {
        var out = a
        for i in 0..<out.words.count { out.words[i] = ~out.words[i] }
        out.clearTail()
        return out
    }

    /// Builds a bitmap from a Bool per bit.
    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init(reservingCapacity: bits.underestimatedCount)
        for b in bits { append(b) }
    }
}
