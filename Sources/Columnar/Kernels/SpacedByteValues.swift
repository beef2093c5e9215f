/// Byte-array values where they lie, with a fixed gap between one value's end and the next one's
/// start: value `i` is `bytes[bounds[i] ..< bounds[i + 1] - gap]`. A Parquet PLAIN page holds its
/// values so, each after a 4-byte length (gap 4); values end to end (a string column's buffer, a
/// dictionary) have gap 0. Filters judge such values without copying them into a string column.
public struct SpacedByteValues {
    /// The bytes the values lie in.
    public var bytes: UnsafeBufferPointer<UInt8>
    /// `count + 1` ascending positions into `bytes`: each value's start, then the last value's end
    /// plus `gap`.
    public var bounds: UnsafeBufferPointer<Int32>
    /// The bytes between one value's end and the next value's start.
    public var gap: Int

    /// Values `bytes[bounds[i] ..< bounds[i + 1] - gap]`. The caller guarantees that the bounds
    /// ascend by at least `gap` and stay within `bytes` (plus `gap` for the last).
    public init(bytes: UnsafeBufferPointer<UInt8>, bounds: UnsafeBufferPointer<Int32>, gap: Int) {
        self.bytes = bytes
        self.bounds = bounds
        self.gap = gap
    }

    /// The number of values.
    public var count: Int { max(0, bounds.count - 1) }
}

extension LikeMatcher {
    /// `value LIKE pattern` (NOT LIKE when `negated`) for every value of `values` (none is null). A
    /// pattern with a middle segment searches it across all the values' bytes at once, as `apply` does.
    public func matches(_ values: SpacedByteValues, negated: Bool) -> Bitmap {
        let n = values.count
        let d = values.bytes, o = values.bounds, gap = values.gap
        guard n > 0 else { return Bitmap(count: 0, value: false) }
        guard let literals else {
            return makeBitmap(count: n) { i in matchesSegments(d, Int(o[i]), Int(o[i + 1]) - gap) != negated }
        }
        let anchor = Self.anchorSegment(literals.bounds)
        return literals.bytes.withUnsafeBufferPointer { p in
            literals.bounds.withUnsafeBufferPointer { b in
                if let anchor { return Self.scanBuffer(p, b, anchor: anchor, d, o, count: n, gap: gap, negated: negated) }
                return makeBitmap(count: n) { i in Self.matchesFlat(p, b, d, Int(o[i]), Int(o[i + 1]) - gap) != negated }
            }
        }
    }
}

extension CompareKernel {
    /// For every value of `values` (none is null): whether it equals `needle` (differs, when `negated`).
    public static func equalBits(_ values: SpacedByteValues, _ needle: [UInt8], negated: Bool) -> Bitmap {
        let n = values.count
        let o = values.bounds, gap = values.gap
        let m = needle.count
        if m == 0 { return makeBitmap(count: n) { i in (Int(o[i + 1]) - gap == Int(o[i])) != negated } }
        guard let base = values.bytes.baseAddress else { return Bitmap(count: n, value: negated) }
        return needle.withUnsafeBufferPointer { needle in
            let p = needle.baseAddress!
            return makeBitmap(count: n) { i in
                let start = Int(o[i])
                return (Int(o[i + 1]) - gap - start == m && sameBytes(base + start, p, m)) != negated
            }
        }
    }

    /// For every value of `values` (none is null): whether it equals one of `constants` (none, when
    /// `negated`), in one pass over the values.
    public static func inListBits(_ values: SpacedByteValues, _ constants: [[UInt8]], negated: Bool) -> Bitmap {
        let n = values.count
        let o = values.bounds, gap = values.gap
        var flat: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        for value in constants {
            spans.append((flat.count, value.count))
            flat += value
        }
        // One spare byte so that the buffer has an address even when every constant is empty.
        flat.append(0)
        return flat.withUnsafeBufferPointer { f in
            spans.withUnsafeBufferPointer { s in
                let constantsBase = f.baseAddress!
                let base = values.bytes.baseAddress
                return makeBitmap(count: n) { i in
                    let start = Int(o[i])
                    let length = Int(o[i + 1]) - gap - start
                    for k in 0..<s.count where s[k].count == length {
                        if length == 0 { return !negated }
                        if let base, sameBytes(base + start, constantsBase + s[k].start, length) { return !negated }
                    }
                    return negated
                }
            }
        }
    }
}
