/// The 32-bit murmur2 hash exactly as the Java client's `Utils.murmur2` computes it (seed 0x9747b28c,
/// little-endian 4-byte blocks, the tail mixed in before the final avalanche), so that keys map to the
/// same partitions as from the Java client, franz-go and kafka-python.
public enum Murmur2 {
    /// The hash of `bytes`, as a signed 32-bit value like Java's.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = bytes.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        var i = 0
        while i < blocks {
            let base = i * 4
            var k = UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
                | UInt32(bytes[base + 3]) << 24
            k = k &* m
            k ^= k >> r
            k = k &* m
            h = h &* m
            h ^= k
            i += 1
        }
        let tail = blocks * 4
        switch length & 3 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 1:
            h ^= UInt32(bytes[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The hash of a byte array.
    public static func hash(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The partition the Java default partitioner picks for a key: `toPositive(murmur2) % count`.
    public static func partition(forKeyHash h: Int32, partitionCount: Int) -> Int32 {
        Int32(Int(h & 0x7fff_ffff) % partitionCount)
    }
}
