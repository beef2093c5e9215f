/// DELTA_BINARY_PACKED decoding (INT32, INT64, and the lengths inside the delta byte-array encodings).
///
/// Layout: a header (block size, miniblocks per block, total count, first value as zigzag varint),
/// then blocks of (min delta as zigzag varint, one bit width per miniblock, the miniblocks bit-packed).
/// Arithmetic wraps, as the format defines deltas modulo 2^64 (2^32 for INT32 columns).
enum DeltaBinaryPackedDecoder {
    /// The largest number of values per block accepted (writers use 128 or 256).
    static let blockValuesMax = 1 << 16

    /// Decodes all values of one DELTA_BINARY_PACKED run starting at `cursor`, appending them to `out`
    /// and leaving `cursor` just past the encoded data. `expected`, when given, bounds the count.
    static func decode(_ cursor: inout ByteCursor, expectedMax: Int, into out: inout [Int64]) throws {
        let blockSize = try cursor.readVarint()
        let miniblocks = try cursor.readVarint()
        let total = try cursor.readVarint()
        var last = try cursor.readZigzag()
        guard blockSize > 0, blockSize % 128 == 0, blockSize <= UInt64(blockValuesMax),
              miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0
        else { throw ParquetError.corrupt("DELTA_BINARY_PACKED header has block \(blockSize), miniblocks \(miniblocks)") }
        guard total <= UInt64(expectedMax) else {
            throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(total) values, more than the \(expectedMax) expected")
        }
        let count = Int(total)
        guard count > 0 else { return }
        let perMiniblock = Int(blockSize / miniblocks)
        out.reserveCapacity(out.count + count)
        out.append(last)
        var produced = 1
        var scratch = [UInt64](repeating: 0, count: perMiniblock)
        var widths = [Int](repeating: 0, count: Int(miniblocks))
        while produced < count {
            let minDelta = try cursor.readZigzag()
            for index in 0..<widths.count {
                let width = Int(try cursor.readByte())
                widths[index] = width
            }
            for width in widths where produced < count {
                guard width <= 64 else { throw ParquetError.corrupt("DELTA_BINARY_PACKED bit width \(width)") }
                let bytesNeeded = perMiniblock * width / 8
                let packed = try cursor.take(bytesNeeded)
                let take = min(perMiniblock, count - produced)
                scratch.withUnsafeMutableBufferPointer { s in
                    BitUnpacking.unpack64(packed, bitOffset: 0, bitWidth: width, count: take, into: s.baseAddress!)
                }
                for index in 0..<take {
                    last = last &+ minDelta &+ Int64(bitPattern: scratch[index])
                    out.append(last)
                }
                produced += take
            }
        }
    }

    /// Decodes into 32-bit values (INT32 columns): the same stream, truncated to 32 bits, which is
    /// exactly 32-bit wrapping arithmetic.
    static func decode32(_ cursor: inout ByteCursor, expectedMax: Int, into out: inout [Int32]) throws {
        var wide: [Int64] = []
        try decode(&cursor, expectedMax: expectedMax, into: &wide)
        out.reserveCapacity(out.count + wide.count)
        for value in wide { out.append(Int32(truncatingIfNeeded: value)) }
    }
}
