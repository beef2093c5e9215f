/// PLAIN encoding of a range of dense values.
enum PlainEncoder {
    /// Appends values `range` of `values` to `out`.
    static func encode(_ values: DecodedValues, _ range: Range<Int>, into out: inout [UInt8]) {
        switch values.physicalType {
        case .boolean:
            var byte: UInt8 = 0
            var bit = 0
            for index in range {
                if values.bools[index] != 0 { byte |= 1 << UInt8(bit) }
                bit += 1
                if bit == 8 {
                    out.append(byte)
                    byte = 0
                    bit = 0
                }
            }
            if bit > 0 { out.append(byte) }
        case .int32: appendRaw(values.int32s, range, &out)
        case .int64: appendRaw(values.int64s, range, &out)
        case .float: appendRaw(values.floats, range, &out)
        case .double: appendRaw(values.doubles, range, &out)
        case .byteArray:
            values.offsets.withUnsafeBufferPointer { offsets in
                values.bytes.withUnsafeBufferPointer { data in
                    for index in range {
                        let start = Int(offsets[index])
                        let end = Int(offsets[index + 1])
                        let length = UInt32(end - start)
                        withUnsafeBytes(of: length.littleEndian) { out.append(contentsOf: $0) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: data[start..<end]))
                    }
                }
            }
        case .fixedLenByteArray, .int96:
            out.append(contentsOf: values.bytes[(range.lowerBound * values.width)..<(range.upperBound * values.width)])
        }
    }

    @inline(__always)
    private static func appendRaw<T>(_ array: [T], _ range: Range<Int>, _ out: inout [UInt8]) {
        array.withUnsafeBufferPointer { buffer in
            out.append(contentsOf: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[range])))
        }
    }
}
