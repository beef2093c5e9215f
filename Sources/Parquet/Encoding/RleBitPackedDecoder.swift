/// Decoder of the RLE / bit-packed hybrid encoding (definition and repetition levels, dictionary
/// indices, RLE booleans).
///
/// Runs are either `count` repeats of one value (header bit 0 clear) or groups of 8 bit-packed
/// values (header bit 0 set). The decoder streams values out in caller-sized batches.
struct RleBitPackedDecoder {
    private let bytes: UnsafeRawBufferPointer
    private var cursor: ByteCursor
    private let bitWidth: Int
    /// Values left in the current run.
    private var runRemaining = 0
    private var runIsRepeat = false
    private var repeatValue: UInt32 = 0
    /// For a bit-packed run: the bit offset of the next value within `bytes`.
    private var packedBit = 0

    /// A decoder over `bytes` (no length prefix) with values of `bitWidth` bits (0...32).
    init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws {
        guard bitWidth >= 0, bitWidth <= 32 else {
            throw ParquetError.corrupt("RLE bit width \(bitWidth) is out of range")
        }
        self.bytes = bytes
        self.cursor = ByteCursor(bytes)
        self.bitWidth = bitWidth
    }

    private mutating func nextRun() throws {
        let header = try cursor.readVarint()
        if header & 1 == 0 {
            let count = header >> 1
            guard count > 0, count <= UInt64(Int32.max) else { throw ParquetError.corrupt("RLE run length \(count)") }
            let width = (bitWidth + 7) / 8
            var value: UInt32 = 0
            for index in 0..<width { value |= UInt32(try cursor.readByte()) << UInt32(8 * index) }
            if bitWidth < 32 && value >> UInt32(bitWidth) != 0 {
                throw ParquetError.corrupt("RLE value \(value) wider than \(bitWidth) bits")
            }
            runIsRepeat = true
            repeatValue = value
            runRemaining = Int(count)
        } else {
            let groups = header >> 1
            guard groups > 0, groups <= UInt64(cursor.remaining) else {
                throw ParquetError.corrupt("bit-packed run of \(groups) groups exceeds the data")
            }
            let byteCount = Int(groups) * bitWidth
            guard byteCount <= cursor.remaining else {
                throw ParquetError.corrupt("bit-packed run of \(byteCount) bytes exceeds the data")
            }
            runIsRepeat = false
            packedBit = cursor.position * 8
            runRemaining = Int(groups) * 8
            cursor.position += byteCount
        }
    }

    /// Fills `out[0..<count]`; throws if the data holds fewer values.
    mutating func decode(into out: UnsafeMutablePointer<UInt32>, count: Int) throws {
        var done = 0
        while done < count {
            if runRemaining == 0 { try nextRun() }
            let take = min(runRemaining, count - done)
            if runIsRepeat {
                (out + done).initialize(repeating: repeatValue, count: take)
            } else {
                BitUnpacking.unpack32(bytes, bitOffset: packedBit, bitWidth: bitWidth, count: take, into: out + done)
                packedBit += take * bitWidth
            }
            runRemaining -= take
            done += take
        }
    }

    /// Fills `out[0..<count]` with levels (which fit a byte: the schema depth is bounded).
    mutating func decodeLevels(into out: UnsafeMutablePointer<UInt8>, count: Int, maxLevel: Int) throws {
        var scratch = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
        var done = 0
        while done < count {
            if runRemaining == 0 { try nextRun() }
            let take = min(runRemaining, count - done)
            if runIsRepeat {
                guard repeatValue <= UInt32(maxLevel) else {
                    throw ParquetError.corrupt("level \(repeatValue) exceeds the maximum \(maxLevel)")
                }
                (out + done).initialize(repeating: UInt8(repeatValue), count: take)
                runRemaining -= take
                done += take
            } else {
                // Unpack through a small stack buffer, 8 values at a time.
                let piece = min(take, 8)
                try withUnsafeMutableBytes(of: &scratch) { raw in
                    let values = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
                    BitUnpacking.unpack32(bytes, bitOffset: packedBit, bitWidth: bitWidth, count: piece, into: values)
                    for index in 0..<piece {
                        guard values[index] <= UInt32(maxLevel) else {
                            throw ParquetError.corrupt("level \(values[index]) exceeds the maximum \(maxLevel)")
                        }
                        out[done + index] = UInt8(values[index])
                    }
                }
                packedBit += piece * bitWidth
                runRemaining -= piece
                done += piece
            }
        }
    }
}
