import Columnar

/// Judging a test of a byte-array column page by page without building its values: a PLAIN page's
/// values are judged where they lie in the page, after their 4-byte lengths (walked once to find
/// where each value starts); a dictionary-encoded page looks its indices up in the answers for the
/// dictionary's values, judged once per chunk; other encodings are decoded into scratch and judged
/// there. Only one byte per value (1 if it passes) is kept, in `LeafColumnData.valuePasses`.
extension ColumnChunkDecoder {
    /// Judges the `count` values of a page (keeping only the answers at `denseSelection`, when
    /// `selective`) and appends the answers to `data.valuePasses`.
    mutating func judgePageValues(
        _ cursor: inout ByteCursor, encoding: Encoding, count: Int, into data: inout LeafColumnData, selective: Bool,
        _ judge: (SpacedByteValues) -> Bitmap
    ) throws {
        guard count > 0, !selective || !denseSelection.isEmpty else { return }
        // The values the page holds, which every selected position must fall within.
        let available: Int
        switch encoding {
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page without a dictionary page") }
            let passes = try dictionaryAnswers(dictionary, judge)
            try decodeDictionaryIndices(&cursor, count: count)
            try indices.withUnsafeBufferPointer { all in
                try DecodedValues.checkIndices(all, size: dictionary.count)
                passes.withUnsafeBufferPointer { p in
                    if selective {
                        for position in denseSelection where Int(position) < count { data.valuePasses.append(p[Int(all[Int(position)])]) }
                    } else {
                        for index in all { data.valuePasses.append(p[Int(index)]) }
                    }
                }
            }
            available = count
        case .plain:
            let bits = try judgePlain(&cursor, count: count, judge)
            append(bits, selective: selective, available: count, to: &data.valuePasses)
            available = count
        default:
            var scratch = pageValues ?? DecodedValues(physicalType: descriptor.physicalType, width: descriptor.typeLength)
            pageValues = nil
            defer { pageValues = scratch }
            scratch.removeAll()
            try readValues(&cursor, encoding: encoding, count: count, into: &scratch)
            available = scratch.count
            let bits = scratch.bytes.withUnsafeBufferPointer { bytes in
                scratch.offsets.withUnsafeBufferPointer { bounds in
                    judge(SpacedByteValues(bytes: bytes, bounds: bounds, gap: 0))
                }
            }
            append(bits, selective: selective, available: available, to: &data.valuePasses)
        }
        if selective, let wrong = denseSelection.first(where: { Int($0) >= available }) {
            throw ParquetError.corrupt("selected value \(wrong) of \(available)")
        }
    }

    /// The answers for the dictionary's values, judged on the first page that needs them.
    private mutating func dictionaryAnswers(_ dictionary: DecodedValues, _ judge: (SpacedByteValues) -> Bitmap) throws
        -> [UInt8] {
        if let dictionaryPasses { return dictionaryPasses }
        guard dictionary.physicalType == .byteArray else { throw ParquetError.corrupt("dictionary of another type") }
        let bits = dictionary.bytes.withUnsafeBufferPointer { bytes in
            dictionary.offsets.withUnsafeBufferPointer { bounds in judge(SpacedByteValues(bytes: bytes, bounds: bounds, gap: 0)) }
        }
        guard bits.count == dictionary.count else {
            throw ParquetError(.invalidArgument, "value test returned \(bits.count) bits for \(dictionary.count) values")
        }
        let passes = (0..<bits.count).map { bits[$0] ? UInt8(1) : 0 }
        dictionaryPasses = passes
        return passes
    }

    /// Judges the `count` PLAIN values at the cursor where they lie: their lengths are walked once
    /// (each checked against the page) to find where each value starts, then `judge` sees them all.
    private mutating func judgePlain(_ cursor: inout ByteCursor, count: Int, _ judge: (SpacedByteValues) -> Bitmap) throws
        -> Bitmap {
        let raw = cursor.bytes
        // Pages are at most `ParquetLimits.pageBytesMax` (1 GiB) long, so positions fit 32 bits.
        guard raw.count <= Int(Int32.max) - 4 else { throw ParquetError.unsupported("a page of more than 2 GiB") }
        OutputGrowth.resize(&valueBounds, to: count + 1)
        var position = cursor.position
        try valueBounds.withUnsafeMutableBufferPointer { bounds in
            for k in 0..<count {
                guard raw.count - position >= 4 else { throw ParquetError.corrupt("encoded data ends inside a length") }
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                position += 4
                guard length <= raw.count - position else {
                    throw ParquetError.corrupt("byte array of \(length) bytes runs past the page")
                }
                bounds[k] = Int32(truncatingIfNeeded: position)
                position += length
            }
            bounds[count] = Int32(truncatingIfNeeded: position + 4)
        }
        cursor.position = position
        let bits = valueBounds.withUnsafeBufferPointer { bounds in
            judge(SpacedByteValues(bytes: raw.assumingMemoryBound(to: UInt8.self), bounds: bounds, gap: 4))
        }
        guard bits.count == count else {
            throw ParquetError(.invalidArgument, "value test returned \(bits.count) bits for \(count) values")
        }
        return bits
    }

    /// Appends one byte per answer of `bits` (only those at `denseSelection`, when `selective`).
    private func append(_ bits: Bitmap, selective: Bool, available: Int, to passes: inout [UInt8]) {
        if selective {
            for position in denseSelection where Int(position) < available { passes.append(bits[Int(position)] ? 1 : 0) }
        } else {
            // Word by word, without a bounds-checked bit lookup and an append per value.
            let n = min(available, bits.count)
            let start = passes.count
            OutputGrowth.appendZeros(&passes, n)
            passes.withUnsafeMutableBufferPointer { out in
                bits.words.withUnsafeBufferPointer { words in
                    for k in 0..<n { out[start + k] = UInt8(truncatingIfNeeded: (words[k >> 6] >> UInt64(k & 63)) & 1) }
                }
            }
        }
    }
}
