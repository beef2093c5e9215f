/// How one key column is ordered in an encoded key.
public struct KeyOrder: Hashable, Sendable {
    /// Descending order.
    public var descending: Bool
    /// Nulls before values.
    public var nullsFirst: Bool

    /// Creates an ordering.
    public init(descending: Bool = false, nullsFirst: Bool = true) {
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

/// Row keys encoded as byte strings whose byte order (memcmp) equals the SQL order of the
/// key tuple, and whose equality equals SQL grouping equality (null equals null, NaN equals
/// NaN, -0.0 equals 0.0). Used by hash aggregation, hash join and sort.
public struct EncodedKeys: Sendable {
    /// Row `i`'s key is `bytes[offsets[i]..<offsets[i + 1]]`.
    public var offsets: [Int]
    /// The key bytes of all rows.
    public var bytes: [UInt8]
    /// Rows where at least one key column is null (nil when none is): such rows never match
    /// in an equi-join.
    public var anyNull: Bitmap?

    /// The number of rows.
    public var count: Int { offsets.count - 1 }

    /// Wraps encoded keys.
    public init(offsets: [Int], bytes: [UInt8], anyNull: Bitmap?) {
        self.offsets = offsets
        self.bytes = bytes
        self.anyNull = anyNull
    }
}

/// Encodes and decodes row keys (see `EncodedKeys`).
public enum KeyEncoder {
    static let present: UInt8 = 1

    @inlinable static func width(_ s: ColumnStorage) -> Int {
        switch s {
        case .null: return 0
        case .boolean, .int8: return 1
        case .int16: return 2
        case .int32, .float32: return 4
        case .int64, .float64: return 8
        case .decimal: return 16
        case .bytes: return -1
        case .list, .struct: return -2
        }
    }

    /// Encodes the key columns of `count` rows; `orders` defaults to ascending, nulls first.
    public static func encode(_ columns: [ColumnVector], count n: Int, orders: [KeyOrder]? = nil) -> EncodedKeys {
        // Pass 1: row sizes.
        var offsets = [Int](repeating: 0, count: n + 1)
        var fixed = 0
        // Nested columns are encoded value by value first (see NestedKeyEncoding).
        var nested: [Int: (offsets: [Int], bytes: [UInt8])] = [:]
        for (ci, c) in columns.enumerated() {
            let w = width(c.storage)
            if w >= 0 {
                fixed += 1 + w
            } else if w == -2 {
                let enc = NestedKeyEncoding.encodeRows(c, count: n)
                for i in 0..<n { offsets[i + 1] += 1 + enc.offsets[i + 1] - enc.offsets[i] }
                nested[ci] = enc
            } else if case let .bytes(o, d) = c.storage {
                d.withUnsafeBufferPointer { db in
                    for i in 0..<n {
                        let s = Int(o[i]), e = Int(o[i + 1])
                        // A zero byte is written as two (see pass 2).
                        offsets[i + 1] += 1 + 2 + (e - s) + zeroBytes(db, s, e)
                    }
                }
            }
        }
        var total = 0
        for i in 0..<n {
            total += fixed + offsets[i + 1]
            offsets[i + 1] = total
        }
        var bytes = [UInt8](repeating: 0, count: total)
        var pos = Array(offsets.dropLast())
        var anyNull: Bitmap? = nil
        bytes.withUnsafeMutableBufferPointer { out in
            pos.withUnsafeMutableBufferPointer { p in
                for (ci, c) in columns.enumerated() {
                    let order = orders?[ci] ?? KeyOrder()
                    let nullMarker: UInt8 = order.nullsFirst ? 0 : 2
                    let flip: UInt8 = order.descending ? 0xFF : 0
                    let hasNulls = c.validity != nil || width(c.storage) == 0
                    if hasNulls {
                        if anyNull == nil { anyNull = Bitmap(count: n, value: false) }
                        for i in 0..<n where c.isNull(i) { anyNull![i] = true }
                    }
                    @inline(__always) func writeFixed(_ i: Int, _ v: UInt64, _ w: Int) {
                        var at = p[i]
                        if hasNulls && c.isNull(i) {
                            out[at] = nullMarker
                            // Keep the width constant; the value bytes of a null are zero.
                            p[i] = at + 1 + w
                            return
                        }
                        out[at] = present
                        at += 1
                        var shift = (w - 1) * 8
                        while shift >= 0 {
                            out[at] = UInt8(truncatingIfNeeded: v >> UInt64(shift)) ^ flip
                            at += 1
                            shift -= 8
                        }
                        p[i] = at
                    }
                    switch c.storage {
                    case .null:
                        for i in 0..<n {
                            out[p[i]] = nullMarker
                            p[i] += 1
                        }
                    case let .boolean(bits): for i in 0..<n { writeFixed(i, bits[i] ? 1 : 0, 1) }
                    case let .int8(v): for i in 0..<n { writeFixed(i, UInt64(UInt8(bitPattern: v[i]) ^ 0x80), 1) }
                    case let .int16(v): for i in 0..<n { writeFixed(i, UInt64(UInt16(bitPattern: v[i]) ^ 0x8000), 2) }
                    case let .int32(v): for i in 0..<n { writeFixed(i, UInt64(UInt32(bitPattern: v[i]) ^ 0x8000_0000), 4) }
                    case let .int64(v): for i in 0..<n { writeFixed(i, UInt64(bitPattern: v[i]) ^ (1 << 63), 8) }
                    case let .float32(v): for i in 0..<n { writeFixed(i, UInt64(floatKey32(v[i])), 4) }
                    case let .float64(v): for i in 0..<n { writeFixed(i, floatKey(v[i]), 8) }
                    case let .decimal(v):
                        for i in 0..<n {
                            let bits = UInt128(bitPattern: v[i]) ^ (UInt128(1) << 127)
                            if hasNulls && c.isNull(i) {
                                out[p[i]] = nullMarker
                                p[i] += 17
                                continue
                            }
                            writeFixed(i, UInt64(truncatingIfNeeded: bits >> 64), 8)
                            // The low half continues right after the high half.
                            var at = p[i]
                            var shift = 56
                            let lo = UInt64(truncatingIfNeeded: bits)
                            while shift >= 0 {
                                out[at] = UInt8(truncatingIfNeeded: lo >> UInt64(shift)) ^ flip
                                at += 1
                                shift -= 8
                            }
                            p[i] = at
                        }
                    case .list, .struct:
                        guard let enc = nested[ci] else { break }
                        for i in 0..<n {
                            var at = p[i]
                            if c.isNull(i) {
                                out[at] = nullMarker
                                p[i] = at + 1
                                continue
                            }
                            out[at] = present
                            at += 1
                            for k in enc.offsets[i]..<enc.offsets[i + 1] {
                                out[at] = enc.bytes[k] ^ flip
                                at += 1
                            }
                            p[i] = at
                        }
                    case let .bytes(o, d):
                        d.withUnsafeBufferPointer { db in
                            for i in 0..<n {
                                var at = p[i]
                                if hasNulls && c.isNull(i) {
                                    out[at] = nullMarker
                                    // Nulls still take the terminator so row sizes match pass 1.
                                    var skip = 2
                                    for k in Int(o[i])..<Int(o[i + 1]) { skip += db[k] == 0 ? 2 : 1 }
                                    p[i] = at + 1 + skip
                                    continue
                                }
                                out[at] = present
                                at += 1
                                let s = Int(o[i]), e = Int(o[i + 1])
                                if flip == 0 && e > s && zeroBytes(db, s, e) == 0, let src = db.baseAddress,
                                   let dst = out.baseAddress {
                                    // Nothing to escape or invert (the common case): one copy.
                                    (dst + at).update(from: src + s, count: e - s)
                                    at += e - s
                                    out[at] = 0
                                    out[at + 1] = 0
                                    p[i] = at + 2
                                    continue
                                }
                                for k in s..<e {
                                    let b = db[k]
                                    out[at] = b ^ flip
                                    at += 1
                                    if b == 0 {
                                        out[at] = 0xFF ^ flip
                                        at += 1
                                    }
                                }
                                out[at] = flip
                                out[at + 1] = flip
                                p[i] = at + 2
                            }
                        }
                    }
                }
            }
        }
        return EncodedKeys(offsets: offsets, bytes: bytes, anyNull: anyNull)
    }

    /// The zero bytes of `b[s..<e]`, eight bytes at a time: most strings have none.
    @inline(__always) static func zeroBytes(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        guard e > s, let base = b.baseAddress else { return 0 }
        var i = s
        var zeros = 0
        while i + 8 <= e {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // The high bit of each zero byte: (b & 0x7F) + 0x7F sets it when the low bits are not
            // all zero and cannot carry into the next byte; b itself sets it for the high bit.
            let marks = ~(((w & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | w | 0x7F7F_7F7F_7F7F_7F7F)
            zeros += marks.nonzeroBitCount
            i += 8
        }
        while i < e {
            if base[i] == 0 { zeros += 1 }
            i += 1
        }
        return zeros
    }

    /// An order-preserving unsigned image of a double (NaN largest, -0.0 equal to 0.0).
    @inlinable static func floatKey(_ d: Double) -> UInt64 {
        let v = d.isNaN ? Double.nan : (d == 0 ? 0 : d)
        let bits = v.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The 32-bit counterpart of `floatKey` for `float` columns.
    @inlinable static func floatKey32(_ f: Float) -> UInt32 {
        let v = f.isNaN ? Float.nan : (f == 0 ? 0 : f)
        let bits = v.bitPattern
        return bits & (1 << 31) != 0 ? ~bits : bits | (1 << 31)
    }

    /// Decodes ascending keys back into columns of `types` (used for group keys).
    public static func decode(_ keys: EncodedKeys, types: [DataType]) -> [ColumnVector] {
        let n = keys.count
        var builders = types.map { ColumnBuilder(type: $0, capacity: n) }
        var scratch: [UInt8] = []
        keys.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                var at = keys.offsets[i]
                for (ci, t) in types.enumerated() {
                    let marker = b[at]
                    at += 1
                    func readFixed(_ w: Int) -> UInt64 {
                        var v: UInt64 = 0
                        for k in 0..<w { v = v << 8 | UInt64(b[at + k]) }
                        at += w
                        return v
                    }
                    switch t {
                    case .null:
                        builders[ci].appendNull()
                    case .array, .struct, .map:
                        if marker == present {
                            builders[ci].append(NestedKeyEncoding.decodeValue(t, b, &at))
                        } else {
                            builders[ci].appendNull()
                        }
                    case .string, .binary:
                        // The common value holds no zero byte: its bytes end at the first zero,
                        // which starts the terminator, and are appended straight from the key.
                        var z = at
                        while b[z] != 0 { z += 1 }
                        if b[z + 1] == 0 {
                            if marker == present {
                                builders[ci].appendBytes(UnsafeBufferPointer(rebasing: b[at..<z]))
                            } else {
                                builders[ci].appendNull()
                            }
                            at = z + 2
                            continue
                        }
                        // Escaped zero bytes (0x00 0xFF): unescaped into a buffer kept across values.
                        scratch.removeAll(keepingCapacity: true)
                        while !(b[at] == 0 && b[at + 1] == 0) {
                            scratch.append(b[at])
                            at += b[at] == 0 ? 2 : 1
                        }
                        at += 2
                        if marker == present { builders[ci].appendBytes(scratch) } else { builders[ci].appendNull() }
                    default:
                        let w: Int
                        switch t {
                        case .boolean, .int8: w = 1
                        case .int16: w = 2
                        case .int32, .date, .float32: w = 4
                        case .decimal: w = 16
                        default: w = 8
                        }
                        if marker != present {
                            at += w
                            builders[ci].appendNull()
                            continue
                        }
                        switch t {
                        case .boolean: builders[ci].appendBool(readFixed(1) != 0)
                        case .int8: builders[ci].appendInt(Int64(Int8(bitPattern: UInt8(readFixed(1) ^ 0x80))))
                        case .int16: builders[ci].appendInt(Int64(Int16(bitPattern: UInt16(readFixed(2) ^ 0x8000))))
                        case .int32, .date: builders[ci].appendInt(Int64(Int32(bitPattern: UInt32(readFixed(4) ^ 0x8000_0000))))
                        case .int64, .timestamp: builders[ci].appendInt(Int64(bitPattern: readFixed(8) ^ (1 << 63)))
                        case .float32:
                            var bits = UInt32(readFixed(4))
                            bits = bits & (1 << 31) != 0 ? bits & ~(1 << 31) : ~bits
                            builders[ci].appendDouble(Double(Float(bitPattern: bits)))
                        case .float64:
                            var bits = readFixed(8)
                            bits = bits & (1 << 63) != 0 ? bits & ~(1 << 63) : ~bits
                            builders[ci].appendDouble(Double(bitPattern: bits))
                        case .decimal:
                            let hi = readFixed(8), lo = readFixed(8)
                            let v = (UInt128(hi) << 64 | UInt128(lo)) ^ (UInt128(1) << 127)
                            builders[ci].appendDecimal(Int128(bitPattern: v))
                        default: break
                        }
                    }
                }
            }
        }
        return builders.indices.map { builders[$0].finish() }
    }

    /// The hash of `b[s..<e]` (0 for an empty slice).
    @inlinable public static func hash(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        guard e > s, let base = b.baseAddress else { return 0 }
        return hash(base + s, e - s)
    }

    /// A 64-bit hash of a byte slice (multiply-xorshift over 8-byte words).
    @inlinable public static func hash(_ p: UnsafePointer<UInt8>, _ len: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(len)
        var i = 0
        while i + 8 <= len {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < len {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < len {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}
