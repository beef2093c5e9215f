/// Byte tests over eight bytes at once (SWAR), for scanners that look for a few special bytes in
/// long runs of ordinary ones (CSV fields, JSON strings).
enum ByteMask {
    /// `b` in every byte of a word.
    @inline(__always)
    static func broadcast(_ b: UInt8) -> UInt64 { UInt64(b) &* 0x0101_0101_0101_0101 }

    /// 0x80 in every byte of `word` equal to the byte repeated in `pattern`, zero elsewhere.
    /// Exact: adding 0x7F to the low seven bits never carries into the next byte. Bytes are in
    /// load order on a little-endian machine, so the lowest set bit marks the first equal byte.
    @inline(__always)
    static func equal(_ word: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = word ^ pattern
        let low = UInt64(0x7F7F_7F7F_7F7F_7F7F)
        return ~(((x & low) &+ low) | x | low)
    }
}
