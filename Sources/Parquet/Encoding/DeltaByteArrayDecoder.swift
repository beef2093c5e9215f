/// DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY decoding.
enum DeltaByteArrayDecoder {
    /// DELTA_LENGTH_BYTE_ARRAY: all lengths (delta-binary-packed), then all bytes concatenated.
    static func decodeLengths(_ cursor: inout ByteCursor, count: Int, into values: inout DecodedValues) throws {
        var lengths: [Int64] = []
        try DeltaBinaryPackedDecoder.decode(&cursor, expectedMax: count, into: &lengths)
        guard lengths.count == count else {
            throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY holds \(lengths.count) lengths for \(count) values")
        }
        values.offsets.reserveCapacity(values.offsets.count + count)
        for length in lengths {
            guard length >= 0, length <= Int64(cursor.remaining) else {
                throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY length \(length) exceeds the data")
            }
            values.bytes.append(contentsOf: try cursor.take(Int(length)))
            try values.closeByteArrayValue()
        }
    }

    /// DELTA_BYTE_ARRAY: prefix lengths (delta-binary-packed), then suffixes (DELTA_LENGTH_BYTE_ARRAY);
    /// each value is the previous value's prefix followed by its suffix. Also used for
    /// FIXED_LEN_BYTE_ARRAY, whose values must then all have the column's width.
    static func decodeIncremental(_ cursor: inout ByteCursor, count: Int, into values: inout DecodedValues) throws {
        var prefixes: [Int64] = []
        try DeltaBinaryPackedDecoder.decode(&cursor, expectedMax: count, into: &prefixes)
        var suffixes = DecodedValues(physicalType: .byteArray, width: 0)
        try decodeLengths(&cursor, count: count, into: &suffixes)
        guard prefixes.count == count else {
            throw ParquetError.corrupt("DELTA_BYTE_ARRAY holds \(prefixes.count) prefixes for \(count) values")
        }
        var previous: [UInt8] = []
        var current: [UInt8] = []
        let fixed = values.physicalType != .byteArray
        for index in 0..<count {
            let prefix = prefixes[index]
            guard prefix >= 0, prefix <= Int64(previous.count) else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY prefix \(prefix) longer than the previous value")
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(prefix)])
            current.append(contentsOf: suffixes.byteArray(at: index))
            if fixed {
                guard current.count == values.width else {
                    throw ParquetError.corrupt("DELTA_BYTE_ARRAY value of \(current.count) bytes in a fixed column of \(values.width)")
                }
                values.bytes.append(contentsOf: current)
            } else {
                values.bytes.append(contentsOf: current)
                try values.closeByteArrayValue()
            }
            swap(&previous, &current)
        }
    }
}
