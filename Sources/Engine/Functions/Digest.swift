import Foundation

/// The message digests of Spark's `md5`, `sha1` and `sha2` functions (RFC 1321, FIPS 180-4),
/// computed over one byte string at a time.
enum Digest {
    /// MD5: 16 bytes.
    static func md5<C: Collection>(_ message: C) -> [UInt8] where C.Element == UInt8 {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476]
        var m = [UInt32](repeating: 0, count: 16)
        forEachBlock(message, blockSize: 64, lengthBytes: 8, bigEndian: false) { block in
            for i in 0..<16 { m[i] = word32(block, i * 4, bigEndian: false) }
            var (a, b, c, d) = (h[0], h[1], h[2], h[3])
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ md5K[i] &+ m[g]
                a = d
                d = c
                c = b
                b = b &+ rotl(f, md5Shifts[i / 16][i % 4])
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
        }
        return h.flatMap { bytes($0, bigEndian: false) }
    }

    /// SHA-1: 20 bytes.
    static func sha1<C: Collection>(_ message: C) -> [UInt8] where C.Element == UInt8 {
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var w = [UInt32](repeating: 0, count: 80)
        forEachBlock(message, blockSize: 64, lengthBytes: 8, bigEndian: true) { block in
            for i in 0..<16 { w[i] = word32(block, i * 4, bigEndian: true) }
            for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for i in 0..<80 {
                let f: UInt32, k: UInt32
                switch i {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
                e = d
                d = c
                c = rotl(b, 30)
                b = a
                a = t
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e
        }
        return h.flatMap { bytes($0, bigEndian: true) }
    }

    /// SHA-224 or SHA-256 (`bits` 224 or 256).
    static func sha256<C: Collection>(_ message: C, bits: Int) -> [UInt8] where C.Element == UInt8 {
        var h = bits == 224 ? sha224IV : sha512IV.map { UInt32(truncatingIfNeeded: $0 >> 32) }
        var w = [UInt32](repeating: 0, count: 64)
        forEachBlock(message, blockSize: 64, lengthBytes: 8, bigEndian: true) { block in
            for i in 0..<16 { w[i] = word32(block, i * 4, bigEndian: true) }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ UInt32(truncatingIfNeeded: sha512K[i] >> 32) &+ w[i]
                let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ s0 &+ maj)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        return Array(h.flatMap { bytes($0, bigEndian: true) }.prefix(bits / 8))
    }

    /// SHA-384 or SHA-512 (`bits` 384 or 512).
    static func sha512<C: Collection>(_ message: C, bits: Int) -> [UInt8] where C.Element == UInt8 {
        var h = bits == 384 ? sha384IV : sha512IV
        var w = [UInt64](repeating: 0, count: 80)
        forEachBlock(message, blockSize: 128, lengthBytes: 16, bigEndian: true) { block in
            for i in 0..<16 {
                w[i] = UInt64(word32(block, i * 8, bigEndian: true)) << 32 | UInt64(word32(block, i * 8 + 4, bigEndian: true))
            }
            for i in 16..<80 {
                let s0 = rotr(w[i - 15], 1) ^ rotr(w[i - 15], 8) ^ (w[i - 15] >> 7)
                let s1 = rotr(w[i - 2], 19) ^ rotr(w[i - 2], 61) ^ (w[i - 2] >> 6)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<80 {
                let s1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ s1 &+ ch &+ sha512K[i] &+ w[i]
                let s0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ s0 &+ maj)
            }
            h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
        }
        let out = h.flatMap { x in
            bytes(UInt32(truncatingIfNeeded: x >> 32), bigEndian: true) + bytes(UInt32(truncatingIfNeeded: x), bigEndian: true)
        }
        return Array(out.prefix(bits / 8))
    }

    /// Calls `body` with each padded block: the message, a 1 bit, zeros, and the message length in
    /// bits in the last `lengthBytes` bytes.
    private static func forEachBlock<C: Collection>(_ message: C, blockSize: Int, lengthBytes: Int, bigEndian: Bool,
                                                    _ body: ([UInt8]) -> Void) where C.Element == UInt8 {
        var block: [UInt8] = []
        block.reserveCapacity(blockSize)
        for b in message {
            block.append(b)
            if block.count == blockSize {
                body(block)
                block.removeAll(keepingCapacity: true)
            }
        }
        block.append(0x80)
        if block.count > blockSize - lengthBytes {
            block.append(contentsOf: [UInt8](repeating: 0, count: blockSize - block.count))
            body(block)
            block.removeAll(keepingCapacity: true)
        }
        block.append(contentsOf: [UInt8](repeating: 0, count: blockSize - lengthBytes - block.count))
        let bitLength = UInt64(message.count) &* 8
        var length = [UInt8](repeating: 0, count: lengthBytes)
        for i in 0..<8 { length[bigEndian ? lengthBytes - 1 - i : i] = UInt8(truncatingIfNeeded: bitLength >> UInt64(8 * i)) }
        block.append(contentsOf: length)
        body(block)
    }

    @inline(__always) private static func word32(_ b: [UInt8], _ i: Int, bigEndian: Bool) -> UInt32 {
        bigEndian
            ? UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
            : UInt32(b[i + 3]) << 24 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i])
    }

    private static func bytes(_ v: UInt32, bigEndian: Bool) -> [UInt8] {
        let le = [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
                  UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24)]
        return bigEndian ? le.reversed() : le
    }

    @inline(__always) private static func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x << n | x >> (32 - n) }
    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
    @inline(__always) private static func rotr(_ x: UInt64, _ n: UInt64) -> UInt64 { x >> n | x << (64 - n) }

    private static let md5Shifts: [[UInt32]] = [[7, 12, 17, 22], [5, 9, 14, 20], [4, 11, 16, 23], [6, 10, 15, 21]]
    /// MD5's constants: the integer part of |sin(i + 1)| × 2³².
    private static let md5K: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64((abs(sin(Double(i + 1))) * 4_294_967_296).rounded(.down)))
    }

    /// SHA-512's round constants: the first 64 bits of the fractional parts of the cube roots of the
    /// first 80 primes. SHA-256 uses the first 32 bits of the first 64.
    private static let sha512K: [UInt64] = [
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
        0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
        0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
        0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
        0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
        0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
        0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
        0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
        0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
        0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
        0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
        0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
        0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
        0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
        0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
        0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
        0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817
    ]
    /// The first 64 bits of the fractional parts of the square roots of the first 8 primes; SHA-256
    /// starts from their first 32 bits.
    private static let sha512IV: [UInt64] = [
        0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179
    ]
    /// The same for the 9th to 16th primes (SHA-384).
    private static let sha384IV: [UInt64] = [
        0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
        0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4
    ]
    /// Their last 32 bits (SHA-224).
    private static let sha224IV: [UInt32] = [
        0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
        0xbefa4fa4
    ]
}
