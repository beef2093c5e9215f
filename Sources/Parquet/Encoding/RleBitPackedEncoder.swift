/// Encoder of the RLE / bit-packed hybrid (levels, dictionary indices).
///
/// Values are taken in groups of 8: a group of 8 equal values extends or starts a repeated run,
/// anything else joins a bit-packed run (at most 63 groups per run, the size every reader accepts).
/// A final partial group becomes a short repeated run when uniform, else a zero-padded packed group.
struct RleBitPackedEncoder {
    private let bitWidth: Int
    private(set) var bytes: [UInt8] = []
    /// Groups of 8 values waiting to be bit-packed.
    private var literals: [UInt32] = []
    private var repeatValue: UInt32 = 0
    private var repeatCount = 0

    init(bitWidth: Int) {
        self.bitWidth = bitWidth
    }

    /// Encodes all of `values` and returns the bytes (without a length prefix).
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int) -> [UInt8] {
        var encoder = RleBitPackedEncoder(bitWidth: bitWidth)
        var index = 0
        while index + 8 <= values.count {
            encoder.appendGroup(values, index)
            index += 8
        }
        encoder.finish(values, from: index)
        return encoder.bytes
    }

    private mutating func appendGroup(_ values: UnsafeBufferPointer<UInt32>, _ start: Int) {
        let first = values[start]
        var uniform = true
        for k in 1..<8 where values[start + k] != first { uniform = false; break }
        if uniform {
            if repeatCount > 0 && repeatValue == first {
                repeatCount += 8
                return
            }
            flushLiterals()
            flushRepeat()
            repeatValue = first
            repeatCount = 8
            return
        }
        flushRepeat()
        for k in 0..<8 { literals.append(values[start + k]) }
        if literals.count == 63 * 8 { flushLiterals() }
    }

    private mutating func finish(_ values: UnsafeBufferPointer<UInt32>, from start: Int) {
        let rest = values.count - start
        if rest > 0 {
            let first = values[start]
            var uniform = true
            for k in start..<values.count where values[k] != first { uniform = false; break }
            if uniform {
                flushLiterals()
                if repeatCount > 0 && repeatValue == first {
                    repeatCount += rest
                } else {
                    flushRepeat()
                    repeatValue = first
                    repeatCount = rest
                }
            } else {
                flushRepeat()
                for k in start..<values.count { literals.append(values[k]) }
                while literals.count % 8 != 0 { literals.append(0) }
            }
        }
        flushRepeat()
        flushLiterals()
    }

    private mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func flushRepeat() {
        guard repeatCount > 0 else { return }
        writeVarint(UInt64(repeatCount) << 1)
        let width = (bitWidth + 7) / 8
        for k in 0..<width { bytes.append(UInt8(truncatingIfNeeded: repeatValue >> UInt32(8 * k))) }
        repeatCount = 0
    }

    private mutating func flushLiterals() {
        guard !literals.isEmpty else { return }
        let groups = literals.count / 8
        writeVarint(UInt64(groups) << 1 | 1)
        var accumulator: UInt64 = 0
        var bits = 0
        for value in literals {
            accumulator |= UInt64(value) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        if bits > 0 { bytes.append(UInt8(truncatingIfNeeded: accumulator)) }
        literals.removeAll(keepingCapacity: true)
    }
}
