/// Equality of string (or binary) values with constants: `=`, `<>` and `IN` lists of literals.
///
/// Lengths are compared first, so most values that differ are told apart without reading their bytes;
/// the bytes of a value as long as a constant are then compared eight at a time. An IN list is judged
/// in one pass over the rows (not one comparison column per item and an OR of them all).
extension CompareKernel {
    /// Whether `a[0..<n]` and `b[0..<n]` hold the same bytes.
    @inlinable static func sameBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        while i + 8 <= n {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// For each of the `n` values `d[o[i]..<o[i + 1]]`: whether it equals `needle` (differs, when `negated`).
    static func equalBits(_ d: UnsafeBufferPointer<UInt8>, _ o: UnsafeBufferPointer<Int32>, count n: Int,
                          _ needle: UnsafeBufferPointer<UInt8>, negated: Bool) -> Bitmap {
        let m = needle.count
        if m == 0 { return makeBitmap(count: n) { i in (o[i + 1] == o[i]) != negated } }
        // No value bytes at all: every value is empty, so none equals the needle.
        guard let base = d.baseAddress, let p = needle.baseAddress else { return Bitmap(count: n, value: negated) }
        return makeBitmap(count: n) { i in
            let start = Int(o[i])
            return (Int(o[i + 1]) - start == m && sameBytes(base + start, p, m)) != negated
        }
    }

    /// `a IN (values…)` for a string or binary column and constants that are not null: true where a
    /// value equals one of them, null where the value is null. Nil when `a` does not hold bytes.
    public static func inList(_ a: ColumnVector, values: [[UInt8]]) -> ColumnVector? {
        guard case let .bytes(offsets, data) = a.storage else { return nil }
        let n = a.count
        // The constants laid out in one buffer, as (start, length) pairs.
        var flat: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        for value in values {
            spans.append((flat.count, value.count))
            flat += value
        }
        // One spare byte so that the buffer has an address even when every constant is empty.
        flat.append(0)
        let bits = data.withUnsafeBufferPointer { d in
            offsets.withUnsafeBufferPointer { o in
                flat.withUnsafeBufferPointer { f in
                    spans.withUnsafeBufferPointer { s in
                        // No value bytes at all: every value is empty.
                        guard let base = d.baseAddress, let constants = f.baseAddress else {
                            let anyEmpty = s.contains { $0.count == 0 }
                            return Bitmap(count: n, value: anyEmpty)
                        }
                        return makeBitmap(count: n) { i in
                            let start = Int(o[i])
                            let length = Int(o[i + 1]) - start
                            for k in 0..<s.count where s[k].count == length {
                                if sameBytes(base + start, constants + s[k].start, length) { return true }
                            }
                            return false
                        }
                    }
                }
            }
        }
        return ColumnVector(type: .boolean, count: n, storage: .boolean(bits), validity: a.validity)
    }
}
