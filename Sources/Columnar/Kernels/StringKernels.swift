/// String functions over UTF-8 columns, with Spark's character-based positions.
public enum StringKernel {
    /// Applies a byte-level transform to every value, building a new string column.
    @inlinable static func mapBytes(_ c: ColumnVector,
                                    _ body: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void) -> ColumnVector {
        guard case let .bytes(offsets, data) = c.storage else { return ColumnVector.nulls(.string, count: c.count) }
        var newOffsets = [Int32]()
        newOffsets.reserveCapacity(c.count + 1)
        newOffsets.append(0)
        var out = [UInt8]()
        out.reserveCapacity(data.count)
        data.withUnsafeBufferPointer { d in
            for i in 0..<c.count {
                let s = Int(offsets[i]), e = Int(offsets[i + 1])
                body(UnsafeBufferPointer(rebasing: d[s..<e]), &out)
                newOffsets.append(Int32(truncatingIfNeeded: out.count))
            }
        }
        return ColumnVector(type: .string, count: c.count, storage: .bytes(offsets: newOffsets, data: out), validity: c.validity)
    }

    /// The byte offset of character `charIndex` (0-based) within a UTF-8 slice, or its end.
    @inlinable static func byteOffset(_ b: UnsafeBufferPointer<UInt8>, chars: Int) -> Int {
        var i = 0, k = 0
        while i < b.count && k < chars {
            i += 1
            while i < b.count && b[i] & 0xC0 == 0x80 { i += 1 }
            k += 1
        }
        return i
    }

    /// The number of characters of a UTF-8 slice.
    @inlinable static func charCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var k = 0
        for x in b where x & 0xC0 != 0x80 { k += 1 }
        return k
    }

    /// `substring(s, pos, len)`: 1-based `pos`; 0 acts as 1; negative counts from the end.
    public static func substring(_ c: ColumnVector, pos: Int, len: Int?) -> ColumnVector {
        mapBytes(c) { b, out in
            let chars = charCount(b)
            // Spark's rule: the end comes from the unclamped start; sums saturate rather than trap.
            var start = pos > 0 ? pos - 1 : (pos < 0 ? chars + pos : 0)
            var end = chars
            if let len {
                let (e, overflow) = start.addingReportingOverflow(len)
                end = overflow ? (len > 0 ? Int.max : Int.min) : e
            }
            start = max(start, 0)
            end = min(end, chars)
            guard start < end else { return }
            let bs = byteOffset(b, chars: start), be = byteOffset(b, chars: end)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[bs..<be]))
        }
    }

    /// `upper` / `lower` (ASCII letters change; other characters are kept).
    public static func changeCase(_ c: ColumnVector, upper: Bool) -> ColumnVector {
        mapBytes(c) { b, out in
            for x in b {
                if upper, x >= 0x61, x <= 0x7A { out.append(x - 32) } else if !upper, x >= 0x41, x <= 0x5A {
                    out.append(x + 32)
                } else { out.append(x) }
            }
        }
    }

    /// `trim` / `ltrim` / `rtrim` of spaces.
    public static func trim(_ c: ColumnVector, left: Bool, right: Bool) -> ColumnVector {
        mapBytes(c) { b, out in
            var s = 0, e = b.count
            if left { while s < e && b[s] == 0x20 { s += 1 } }
            if right { while e > s && b[e - 1] == 0x20 { e -= 1 } }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<e]))
        }
    }

    /// `reverse` by characters.
    public static func reverse(_ c: ColumnVector) -> ColumnVector {
        mapBytes(c) { b, out in
            var e = b.count
            while e > 0 {
                var s = e - 1
                while s > 0 && b[s] & 0xC0 == 0x80 { s -= 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<e]))
                e = s
            }
        }
    }

    /// `length` in characters.
    public static func length(_ c: ColumnVector) -> ColumnVector {
        guard case let .bytes(offsets, data) = c.storage else { return ColumnVector.nulls(.int32, count: c.count) }
        var out = [Int32](repeating: 0, count: c.count)
        data.withUnsafeBufferPointer { d in
            for i in 0..<c.count {
                out[i] = Int32(charCount(UnsafeBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])))
            }
        }
        return ColumnVector(type: .int32, count: c.count, storage: .int32(out), validity: c.validity)
    }

    /// `concat(a, b, …)`: null if any argument is null.
    public static func concat(_ cols: [ColumnVector], count n: Int) -> ColumnVector {
        var validity: Bitmap? = nil
        for c in cols { validity = Validity.and(validity, Validity.of(c)) }
        var offsets = [Int32](repeating: 0, count: n + 1)
        var out = [UInt8]()
        for i in 0..<n {
            for c in cols {
                if case let .bytes(o, d) = c.storage { out.append(contentsOf: d[Int(o[i])..<Int(o[i + 1])]) }
            }
            offsets[i + 1] = Int32(truncatingIfNeeded: out.count)
        }
        return ColumnVector(type: .string, count: n, storage: .bytes(offsets: offsets, data: out), validity: validity)
    }

    /// `replace(s, search, replacement)` with constant search and replacement.
    public static func replace(_ c: ColumnVector, _ search: [UInt8], _ replacement: [UInt8]) -> ColumnVector {
        if search.isEmpty { return c }
        return mapBytes(c) { b, out in
            var i = 0
            while i < b.count {
                if i + search.count <= b.count && b[i] == search[0] {
                    var match = true
                    for k in 1..<search.count where b[i + k] != search[k] {
                        match = false
                        break
                    }
                    if match {
                        out.append(contentsOf: replacement)
                        i += search.count
                        continue
                    }
                }
                out.append(b[i])
                i += 1
            }
        }
    }

    /// Byte-level tests against a constant: starts with, ends with, contains.
    public enum Probe: Sendable { case startsWith, endsWith, contains }

    /// `startswith` / `endswith` / `contains` with a constant needle.
    public static func probe(_ c: ColumnVector, _ needle: [UInt8], _ kind: Probe) -> ColumnVector {
        guard case let .bytes(offsets, data) = c.storage else { return ColumnVector.nulls(.boolean, count: c.count) }
        let bits = data.withUnsafeBufferPointer { d in
            needle.withUnsafeBufferPointer { nd in
                makeBitmap(count: c.count) { i in
                    let s = Int(offsets[i]), e = Int(offsets[i + 1])
                    switch kind {
                    case .startsWith: return LikeMatcher.hasPrefix(d, s, e, nd)
                    case .endsWith: return LikeMatcher.hasSuffix(d, s, e, nd)
                    case .contains: return LikeMatcher.find(d, s, e, nd) >= 0
                    }
                }
            }
        }
        return ColumnVector(type: .boolean, count: c.count, storage: .boolean(bits), validity: c.validity)
    }
}
