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
    ///
    /// Values are unpacked 8 at a time where a group of 8 starts on a byte boundary (every group of a
    /// bit-packed run does) and lies far enough from the end of `bytes` for whole 8-byte loads; the
    /// few values before and after go one at a time.
    @inline(__always)
    static func unpack32(
        _ bytes: UnsafeRawBufferPointer, bitOffset: Int, bitWidth: Int, count: Int,
        into out: UnsafeMutablePointer<UInt32>
    ) {
        if bitWidth == 0 {
            out.initialize(repeating: 0, count: count)
            return
        }
        var bit = bitOffset
        var done = 0
        // Up to the first byte boundary (within 8 values), value by value.
        while done < count && bit & 7 != 0 {
            out[done] = unpackOne(bytes, bit, bitWidth)
            bit += bitWidth
            done += 1
        }
        let start = bit >> 3
        // Groups whose every 8-byte load stays inside `bytes`: the last load of a group starts
        // below `start + bitWidth`.
        let room = bytes.count - start - bitWidth - 8
        let groups = room < 0 ? 0 : min((count - done) >> 3, room / bitWidth + 1)
        if groups > 0, let base = bytes.baseAddress {
            unpackGroups(base + start, groups, bitWidth: bitWidth, into: out + done)
            bit += groups * 8 * bitWidth
            done += groups * 8
        }
        while done < count {
            out[done] = unpackOne(bytes, bit, bitWidth)
            bit += bitWidth
            done += 1
        }
    }

    /// One value of `bitWidth` (1...32) bits at bit `bit`, loading safely near the end of `bytes`.
    @inline(__always)
    private static func unpackOne(_ bytes: UnsafeRawBufferPointer, _ bit: Int, _ bitWidth: Int) -> UInt32 {
        let mask: UInt64 = (UInt64(1) << UInt64(bitWidth)) &- 1
        // One 8-byte load covers any value of up to 32 bits plus a sub-byte offset of up to 7.
        return UInt32(truncatingIfNeeded: (load64(bytes, bit >> 3) >> UInt64(bit & 7)) & mask)
    }

    /// Unpacks `groups` byte-aligned groups of 8 values (`bitWidth` bytes each) from `base`. The
    /// switch hands each width to its own copy of the loop, where shifts and offsets are constants.
    private static func unpackGroups(
        _ base: UnsafeRawPointer, _ groups: Int, bitWidth: Int, into out: UnsafeMutablePointer<UInt32>
    ) {
        switch bitWidth {
        case 1: unpackGroups(base, groups, 1, out)
        case 2: unpackGroups(base, groups, 2, out)
        case 3: unpackGroups(base, groups, 3, out)
        case 4: unpackGroups(base, groups, 4, out)
        case 5: unpackGroups(base, groups, 5, out)
        case 6: unpackGroups(base, groups, 6, out)
        case 7: unpackGroups(base, groups, 7, out)
        case 8: unpackGroups(base, groups, 8, out)
        case 9: unpackGroups(base, groups, 9, out)
        case 10: unpackGroups(base, groups, 10, out)
        case 11: unpackGroups(base, groups, 11, out)
        case 12: unpackGroups(base, groups, 12, out)
        case 13: unpackGroups(base, groups, 13, out)
        case 14: unpackGroups(base, groups, 14, out)
        case 15: unpackGroups(base, groups, 15, out)
        case 16: unpackGroups(base, groups, 16, out)
        case 17: unpackGroups(base, groups, 17, out)
        case 18: unpackGroups(base, groups, 18, out)
        case 19: unpackGroups(base, groups, 19, out)
        case 20: unpackGroups(base, groups, 20, out)
        case 21: unpackGroups(base, groups, 21, out)
        case 22: unpackGroups(base, groups, 22, out)
        case 23: unpackGroups(base, groups, 23, out)
        case 24: unpackGroups(base, groups, 24, out)
        case 25: unpackGroups(base, groups, 25, out)
        case 26: unpackGroups(base, groups, 26, out)
        case 27: unpackGroups(base, groups, 27, out)
        case 28: unpackGroups(base, groups, 28, out)
        case 29: unpackGroups(base, groups, 29, out)
        case 30: unpackGroups(base, groups, 30, out)
        case 31: unpackGroups(base, groups, 31, out)
        case 32: unpackGroups(base, groups, 32, out)
        default: preconditionFailure("bit width \(bitWidth) outside 1...32")
        }
    }

    @inline(__always)
    private static func unpackGroups(
        _ base: UnsafeRawPointer, _ groups: Int, _ width: Int, _ out: UnsafeMutablePointer<UInt32>
    ) {
        let mask: UInt64 = (UInt64(1) << UInt64(width)) &- 1
        var source = base
        var target = out
        for _ in 0..<groups {
            for j in 0..<8 {
                let bit = j * width
                let word = UInt64(littleEndian: source.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                target[j] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            }
            source += width
            target += 8
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
