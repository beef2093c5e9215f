import Columnar

/// The hash functions behind Spark's `hash` (Murmur3 x86 32-bit) and `xxhash64` (XXH64), with
/// Spark's rules for feeding them values: each non-null value of each argument is hashed with
/// the previous result as seed (42 to start); nulls leave the seed as it is.
protocol SparkHasher {
    associatedtype Value: FixedWidthInteger
    static func hashInt(_ v: Int32, _ seed: Value) -> Value
    static func hashLong(_ v: Int64, _ seed: Value) -> Value
    static func hashBytes<C: Collection>(_ b: C, _ seed: Value) -> Value where C.Element == UInt8
}

extension SparkHasher {
    /// Folds value `row` of column `c` into `seed`.
    static func fold(_ c: ColumnVector, _ row: Int, _ seed: Value) -> Value {
        if c.isNull(row) { return seed }
        switch c.storage {
        case .null: return seed
        case let .boolean(bits): return hashInt(bits[row] ? 1 : 0, seed)
        case let .int8(v): return hashInt(Int32(v[row]), seed)
        case let .int16(v): return hashInt(Int32(v[row]), seed)
        case let .int32(v): return hashInt(v[row], seed)
        case let .int64(v): return hashLong(v[row], seed)
        case let .float32(v):
            let f = v[row] == 0 ? 0 : v[row]  // -0.0 hashes as 0.0
            return hashInt(Int32(bitPattern: f.isNaN ? 0x7FC0_0000 : f.bitPattern), seed)
        case let .float64(v):
            let d = v[row] == 0 ? 0 : v[row]
            return hashLong(Int64(bitPattern: d.isNaN ? 0x7FF8_0000_0000_0000 : d.bitPattern), seed)
        case let .decimal(v):
            if case let .decimal(p, _) = c.type, p <= 18 { return hashLong(Int64(truncatingIfNeeded: v[row]), seed) }
            return hashBytes(twosComplementBytes(v[row]), seed)
        case let .bytes(offsets, data):
            return hashBytes(data[Int(offsets[row])..<Int(offsets[row + 1])], seed)
        case let .list(offsets, values):
            var h = seed
            for i in Int(offsets[row])..<Int(offsets[row + 1]) {
                if case let .struct(kv) = values.storage, case .map = c.type {
                    h = fold(kv[0], i, h)
                    h = fold(kv[1], i, h)
                } else {
                    h = fold(values, i, h)
                }
            }
            return h
        case let .struct(fields):
            return fields.reduce(seed) { fold($1, row, $0) }
        }
    }

    /// The shortest big-endian two's complement bytes of `v` (Java's `BigInteger.toByteArray`).
    static func twosComplementBytes(_ v: Int128) -> [UInt8] {
        var bytes = (0..<16).reversed().map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) }
        while bytes.count > 1 && ((bytes[0] == 0 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)) {
            bytes.removeFirst()
        }
        return bytes
    }
}

/// Murmur3 x86 32-bit as Spark computes it; byte strings take their tail one byte at a time.
enum SparkMurmur3: SparkHasher {
    @inline(__always) static func mixK1(_ k: UInt32) -> UInt32 {
        var k1 = k &* 0xCC9E_2D51
        k1 = k1 << 15 | k1 >> 17
        return k1 &* 0x1B87_3593
    }

    @inline(__always) static func mixH1(_ h: UInt32, _ k1: UInt32) -> UInt32 {
        var h1 = h ^ k1
        h1 = h1 << 13 | h1 >> 19
        return h1 &* 5 &+ 0xE654_6B64
    }

    @inline(__always) static func fmix(_ h: UInt32, _ length: Int) -> UInt32 {
        var h1 = h ^ UInt32(truncatingIfNeeded: length)
        h1 ^= h1 >> 16
        h1 = h1 &* 0x85EB_CA6B
        h1 ^= h1 >> 13
        h1 = h1 &* 0xC2B2_AE35
        return h1 ^ (h1 >> 16)
    }

    static func hashInt(_ v: Int32, _ seed: Int32) -> Int32 {
        Int32(bitPattern: fmix(mixH1(UInt32(bitPattern: seed), mixK1(UInt32(bitPattern: v))), 4))
    }

    static func hashLong(_ v: Int64, _ seed: Int32) -> Int32 {
        let bits = UInt64(bitPattern: v)
        var h = mixH1(UInt32(bitPattern: seed), mixK1(UInt32(truncatingIfNeeded: bits)))
        h = mixH1(h, mixK1(UInt32(truncatingIfNeeded: bits >> 32)))
        return Int32(bitPattern: fmix(h, 8))
    }

    static func hashBytes<C: Collection>(_ b: C, _ seed: Int32) -> Int32 where C.Element == UInt8 {
        let bytes = Array(b)
        var h = UInt32(bitPattern: seed)
        let aligned = bytes.count - bytes.count % 4
        var i = 0
        while i < aligned {
            let word = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            h = mixH1(h, mixK1(word))
            i += 4
        }
        while i < bytes.count {
            h = mixH1(h, mixK1(UInt32(bitPattern: Int32(Int8(bitPattern: bytes[i])))))
            i += 1
        }
        return Int32(bitPattern: fmix(h, bytes.count))
    }
}

/// XXH64 as Spark computes it.
enum SparkXXHash64: SparkHasher {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always) static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { x << n | x >> (64 - n) }

    @inline(__always) static func fmix(_ h: UInt64) -> UInt64 {
        var x = h ^ (h >> 33)
        x = x &* p2
        x ^= x >> 29
        x = x &* p3
        return x ^ (x >> 32)
    }

    static func hashInt(_ v: Int32, _ seed: Int64) -> Int64 {
        var h = UInt64(bitPattern: seed) &+ p5 &+ 4
        h ^= UInt64(UInt32(bitPattern: v)) &* p1
        h = rotl(h, 23) &* p2 &+ p3
        return Int64(bitPattern: fmix(h))
    }

    static func hashLong(_ v: Int64, _ seed: Int64) -> Int64 {
        var h = UInt64(bitPattern: seed) &+ p5 &+ 8
        h ^= rotl(UInt64(bitPattern: v) &* p2, 31) &* p1
        h = rotl(h, 27) &* p1 &+ p4
        return Int64(bitPattern: fmix(h))
    }

    static func hashBytes<C: Collection>(_ b: C, _ seed: Int64) -> Int64 where C.Element == UInt8 {
        let bytes = Array(b)
        let n = bytes.count
        let s = UInt64(bitPattern: seed)
        func word64(_ i: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in 0..<8 { w |= UInt64(bytes[i + k]) << UInt64(8 * k) }
            return w
        }
        func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p2, 31) &* p1 }
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = s &+ p1 &+ p2, v2 = s &+ p2, v3 = s, v4 = s &- p1
            while i <= n - 32 {
                v1 = round(v1, word64(i))
                v2 = round(v2, word64(i + 8))
                v3 = round(v3, word64(i + 16))
                v4 = round(v4, word64(i + 24))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            for v in [v1, v2, v3, v4] {
                h ^= round(0, v)
                h = h &* p1 &+ p4
            }
        } else {
            h = s &+ p5
        }
        h = h &+ UInt64(n)
        while i + 8 <= n {
            h ^= round(0, word64(i))
            h = rotl(h, 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            let w = UInt64(bytes[i]) | UInt64(bytes[i + 1]) << 8 | UInt64(bytes[i + 2]) << 16 | UInt64(bytes[i + 3]) << 24
            h ^= w &* p1
            h = rotl(h, 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h ^= UInt64(bytes[i]) &* p5
            h = rotl(h, 11) &* p1
            i += 1
        }
        return Int64(bitPattern: fmix(h))
    }
}
