/// Unpacking of little-endian bit-packed integers (least significant bit first), as used by the
/// RLE/bit-packed hybrid and DELTA_BINARY_PACKED encodings.
enum BitUnpacking {
    /// Loads 8 bytes little-endian at `offset`, zero-filling past the end of `bytes`.
    @inline(__always)
    static func load64(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        if offset + 8 <= bytes.count {
            return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        var value: UInt64 = 0
        var index = offset
        var shift: UInt64 = 0
        while index < bytes.count {
            value |= UInt64(bytes[index]) << shift
            index += 1
            shift += 8
        }
        return value
    }

    /// Unpacks `count` values of `bitWidth` (0...32) bits starting at bit `bitOffset` of `bytes` into
    /// `out`. The caller checks that the packed bits lie within `bytes`.
    @inline(__always)
    static func unpack32(
        _ bytes: UnsafeRawBufferPointer, bitOffset: Int, bitWidth: Int, count: Int,
        into out: UnsafeMutablePointer<UInt32>
    ) {
        if bitWidth == 0 {
            out.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = (UInt64(1) << UInt64(bitWidth)) &- 1
        var bit = bitOffset
        for index in 0..<count {
            // One 8-byte load covers any value of up to 32 bits plus a sub-byte offset of up to 7.
            let word = load64(bytes, bit >> 3)
            out[index] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit += bitWidth
        }
    }

    /// Unpacks `count` values of `bitWidth` (0...64) bits into 64-bit integers.
    static func unpack64(
        _ bytes: UnsafeRawBufferPointer, bitOffset: Int, bitWidth: Int, count: Int,
        into out: UnsafeMutablePointer<UInt64>
    ) {
        if bitWidth == 0 {
            out.initialize(repeating: 0, count: count)
            return
        }
        let mask: UInt64 = bitWidth == 64 ? ~0 : (UInt64(1) << UInt64(bitWidth)) &- 1
        var bit = bitOffset
        for index in 0..<count {
            let byte = bit >> 3
            let shift = UInt64(bit & 7)
            var value = load64(bytes, byte) >> shift
            if UInt64(bitWidth) + shift > 64 {
                // The value spills into a ninth byte.
                value |= load64(bytes, byte + 8) << (64 - shift)
            }
            out[index] = value & mask
            bit += bitWidth
        }
    }
}
