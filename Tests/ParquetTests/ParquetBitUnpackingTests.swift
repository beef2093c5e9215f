import Testing
@testable import Parquet

/// The bit unpacking of the RLE / bit-packed hybrid, checked against a bit-by-bit reference for
/// every width, start bit and count around group and buffer boundaries.
@Suite struct ParquetBitUnpackingTests {
    /// SplitMix64: a seeded source of test values.
    struct Values {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Value `index` of `width` bits packed from bit `start`, read one bit at a time.
    static func reference(_ bytes: [UInt8], start: Int, width: Int, index: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<width {
            let bit = start + index * width + k
            if bytes[bit >> 3] >> UInt8(bit & 7) & 1 == 1 { value |= 1 << UInt32(k) }
        }
        return value
    }

    @Test(arguments: Array(0...32))
    func unpacksEveryWidthFromAnyStartBit(width: Int) {
        var random = Values(state: UInt64(width) &* 7919)
        for start in [0, 1, 3, 7, 8, 13, 64] {
            for count in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200] {
                // The buffer ends at the byte holding the last bit, so the tail loads run short.
                let byteCount = (start + count * width + 7) / 8
                let bytes = (0..<byteCount).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                var out = [UInt32](repeating: 0xDEAD_BEEF, count: count + 1)
                bytes.withUnsafeBytes { raw in
                    out.withUnsafeMutableBufferPointer { o in
                        BitUnpacking.unpack32(raw, bitOffset: start, bitWidth: width, count: count, into: o.baseAddress!)
                    }
                }
                let expected = (0..<count).map { Self.reference(bytes, start: start, width: width, index: $0) }
                #expect(Array(out[0..<count]) == expected, "width \(width) start \(start) count \(count)")
                #expect(out[count] == 0xDEAD_BEEF, "wrote past the end: width \(width) start \(start) count \(count)")
            }
        }
    }

    /// Runs of repeats and of packed values, crossing the batch boundaries of the decoder's caller.
    @Test(arguments: Array(0...32))
    func decodesHybridRunsInAnyBatchSize(width: Int) throws {
        var random = Values(state: 0xC0FFEE &+ UInt64(width))
        let mask: UInt64 = width == 0 ? 0 : (UInt64(1) << UInt64(width)) &- 1
        var values: [UInt32] = []
        for run in 0..<40 {
            let length = Int(random.next() % 70) + 1
            if run % 3 == 0 {
                let value = UInt32(truncatingIfNeeded: random.next() & mask)
                values += Array(repeating: value, count: length)
            } else {
                values += (0..<length).map { _ in UInt32(truncatingIfNeeded: random.next() & mask) }
            }
        }
        let encoded = values.withUnsafeBufferPointer { RleBitPackedEncoder.encode($0, bitWidth: width) }
        for batch in [1, 5, 8, 13, 64, values.count] {
            var out = [UInt32](repeating: 0, count: values.count)
            try encoded.withUnsafeBytes { raw in
                var decoder = try RleBitPackedDecoder(raw, bitWidth: width)
                try out.withUnsafeMutableBufferPointer { o in
                    var done = 0
                    while done < values.count {
                        let take = min(batch, values.count - done)
                        try decoder.decode(into: o.baseAddress! + done, count: take)
                        done += take
                    }
                }
            }
            #expect(out == values, "width \(width) batch \(batch)")
        }
    }

    @Test func refusesToDecodeMoreValuesThanTheRunsHold() throws {
        let values: [UInt32] = Array(0..<16).map { UInt32($0 % 5) }
        let encoded = values.withUnsafeBufferPointer { RleBitPackedEncoder.encode($0, bitWidth: 3) }
        var out = [UInt32](repeating: 0, count: 64)
        #expect(throws: ParquetError.self) {
            try encoded.withUnsafeBytes { raw in
                var decoder = try RleBitPackedDecoder(raw, bitWidth: 3)
                try out.withUnsafeMutableBufferPointer { try decoder.decode(into: $0.baseAddress!, count: 64) }
            }
        }
    }
}

/// The decompression buffers shared between column chunk decoders.
@Suite struct ParquetDecoderScratchTests {
    @Test func keepsOnlyBoundedBuffersAndHandsThemOutEmpty() {
        var large = [UInt8](repeating: 1, count: DecoderScratch.bufferBytesMax + 1)
        DecoderScratch.giveBack(&large)
        #expect(large.count == DecoderScratch.bufferBytesMax + 1, "a buffer over the bound is left to its owner")
        var small = [UInt8](repeating: 1, count: 100)
        DecoderScratch.giveBack(&small)
        #expect(small.isEmpty, "a kept buffer is taken from its owner")
        #expect(DecoderScratch.keptCount <= DecoderScratch.buffersMax)
        let reused = DecoderScratch.take()
        #expect(reused.isEmpty)
    }
}
