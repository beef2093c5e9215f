/// Key encoding of nested values (arrays, structs, maps), used by `KeyEncoder` for group keys,
/// join keys, sorting and min/max over nested columns.
///
/// A value's bytes compare (memcmp) in Spark's order: an array is its elements, each preceded by
/// a continuation byte 1 and followed by an end byte 0, so a shorter prefix sorts first; a
/// struct is its fields in order; a map is its entries in entry order (Spark cannot order maps,
/// so only equality of identical entry lists is meaningful). Every nested element starts with a
/// marker: 0 for null (nulls sort first), 1 for present. Scalar leaves use the same byte images
/// as top-level keys. The encoding is prefix-free, so flipping every byte reverses the order.
enum NestedKeyEncoding {
    /// The value bytes (no top-level marker) of every present row of `c`; null rows get none.
    static func encodeRows(_ c: ColumnVector, count n: Int) -> (offsets: [Int], bytes: [UInt8]) {
        var offsets = [Int](repeating: 0, count: n + 1)
        var bytes: [UInt8] = []
        for i in 0..<n {
            if !c.isNull(i) { appendValue(c, i, &bytes) }
            offsets[i + 1] = bytes.count
        }
        return (offsets, bytes)
    }

    static func appendElement(_ c: ColumnVector, _ i: Int, _ out: inout [UInt8]) {
        if c.isNull(i) {
            out.append(0)
        } else {
            out.append(1)
            appendValue(c, i, &out)
        }
    }

    static func appendFixed(_ v: UInt64, _ w: Int, _ out: inout [UInt8]) {
        var shift = (w - 1) * 8
        while shift >= 0 {
            out.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
            shift -= 8
        }
    }

    static func appendValue(_ c: ColumnVector, _ i: Int, _ out: inout [UInt8]) {
        switch c.storage {
        case .null: break
        case let .boolean(bits): out.append(bits[i] ? 1 : 0)
        case let .int8(v): appendFixed(UInt64(UInt8(bitPattern: v[i]) ^ 0x80), 1, &out)
        case let .int16(v): appendFixed(UInt64(UInt16(bitPattern: v[i]) ^ 0x8000), 2, &out)
        case let .int32(v): appendFixed(UInt64(UInt32(bitPattern: v[i]) ^ 0x8000_0000), 4, &out)
        case let .int64(v): appendFixed(UInt64(bitPattern: v[i]) ^ (1 << 63), 8, &out)
        case let .float32(v): appendFixed(UInt64(KeyEncoder.floatKey32(v[i])), 4, &out)
        case let .float64(v): appendFixed(KeyEncoder.floatKey(v[i]), 8, &out)
        case let .decimal(v):
            let bits = UInt128(bitPattern: v[i]) ^ (UInt128(1) << 127)
            appendFixed(UInt64(truncatingIfNeeded: bits >> 64), 8, &out)
            appendFixed(UInt64(truncatingIfNeeded: bits), 8, &out)
        case let .bytes(o, d):
            for k in Int(o[i])..<Int(o[i + 1]) {
                out.append(d[k])
                if d[k] == 0 { out.append(0xFF) }
            }
            out.append(0)
            out.append(0)
        case let .list(o, values):
            for j in Int(o[i])..<Int(o[i + 1]) {
                out.append(1)
                appendElement(values, j, &out)
            }
            out.append(0)
        case let .struct(children):
            for child in children { appendElement(child, i, &out) }
        }
    }

    /// Reads one value of `type` written by `appendValue` (ascending) starting at `at`.
    static func decodeValue(_ type: DataType, _ b: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Scalar {
        func fixed(_ w: Int) -> UInt64 {
            var v: UInt64 = 0
            for k in 0..<w { v = v << 8 | UInt64(b[at + k]) }
            at += w
            return v
        }
        switch type {
        case .null: return .null
        case .boolean: return .boolean(fixed(1) != 0)
        case .int8: return .int(Int64(Int8(bitPattern: UInt8(fixed(1) ^ 0x80))))
        case .int16: return .int(Int64(Int16(bitPattern: UInt16(fixed(2) ^ 0x8000))))
        case .int32: return .int(Int64(Int32(bitPattern: UInt32(fixed(4) ^ 0x8000_0000))))
        case .date: return .date(Int32(bitPattern: UInt32(fixed(4) ^ 0x8000_0000)))
        case .int64: return .int(Int64(bitPattern: fixed(8) ^ (1 << 63)))
        case .timestamp: return .timestamp(Int64(bitPattern: fixed(8) ^ (1 << 63)))
        case .float32:
            var bits = UInt32(fixed(4))
            bits = bits & (1 << 31) != 0 ? bits & ~(1 << 31) : ~bits
            return .double(Double(Float(bitPattern: bits)))
        case .float64:
            var bits = fixed(8)
            bits = bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits
            return .double(Double(bitPattern: bits))
        case let .decimal(_, s):
            let hi = fixed(8), lo = fixed(8)
            let v = (UInt128(hi) << 64 | UInt128(lo)) ^ (UInt128(1) << 127)
            return .decimal(DecimalValue(unscaled: Int128(bitPattern: v), scale: s))
        case .string, .binary:
            var value: [UInt8] = []
            while !(b[at] == 0 && b[at + 1] == 0) {
                value.append(b[at])
                at += b[at] == 0 ? 2 : 1
            }
            at += 2
            return type == .binary ? .binary(value) : .string(String(decoding: value, as: UTF8.self))
        case let .array(e, _):
            var xs: [Scalar] = []
            while b[at] == 1 {
                at += 1
                xs.append(decodeElement(e, b, &at))
            }
            at += 1
            return .array(xs)
        case let .map(k, v, _):
            var ks: [Scalar] = [], vs: [Scalar] = []
            while b[at] == 1 {
                at += 1
                // An entry is a struct element: its marker, then key and value elements.
                at += 1
                ks.append(decodeElement(k, b, &at))
                vs.append(decodeElement(v, b, &at))
            }
            at += 1
            return .map(keys: ks, values: vs)
        case let .struct(fields):
            return .struct(fields.map { decodeElement($0.type, b, &at) })
        }
    }

    static func decodeElement(_ type: DataType, _ b: UnsafeBufferPointer<UInt8>, _ at: inout Int) -> Scalar {
        let marker = b[at]
        at += 1
        return marker == 0 ? .null : decodeValue(type, b, &at)
    }
}
