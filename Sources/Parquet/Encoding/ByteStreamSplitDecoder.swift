/// BYTE_STREAM_SPLIT decoding: byte k of every value is stored in stream k; streams are concatenated.
enum ByteStreamSplitDecoder {
    static func decode(_ cursor: inout ByteCursor, count: Int, into values: inout DecodedValues) throws {
        let width: Int
        switch values.physicalType {
        case .int32, .float: width = 4
        case .int64, .double: width = 8
        case .fixedLenByteArray: width = values.width
        default: throw ParquetError.unsupported("BYTE_STREAM_SPLIT for \(values.physicalType)")
        }
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else { throw ParquetError.corrupt("value count overflows") }
        let source = try cursor.take(total)
        // Interleave back into value order in a scratch buffer, then append as PLAIN bytes.
        var plain = [UInt8](repeating: 0, count: total)
        plain.withUnsafeMutableBufferPointer { out in
            for stream in 0..<width {
                let base = stream * count
                for index in 0..<count { out[index * width + stream] = source[base + index] }
            }
        }
        try plain.withUnsafeBytes { raw in
            var plainCursor = ByteCursor(raw)
            try PlainDecoder.decode(&plainCursor, count: count, into: &values)
        }
    }
}
