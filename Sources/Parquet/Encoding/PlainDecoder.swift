/// PLAIN decoding: little-endian fixed-width values, bit-packed booleans, length-prefixed byte arrays,
/// raw fixed-length byte arrays.
enum PlainDecoder {
    /// Appends `count` PLAIN values from `cursor` to `values`.
    static func decode(_ cursor: inout ByteCursor, count: Int, into values: inout DecodedValues) throws {
        switch values.physicalType {
        case .boolean:
            let packed = try cursor.take((count + 7) / 8)
            values.bools.reserveCapacity(values.bools.count + count)
            for index in 0..<count { values.bools.append((packed[index >> 3] >> UInt8(index & 7)) & 1) }
        case .int32: try copyFixed(&cursor, count, &values.int32s)
        case .int64: try copyFixed(&cursor, count, &values.int64s)
        case .float: try copyFixed(&cursor, count, &values.floats)
        case .double: try copyFixed(&cursor, count, &values.doubles)
        case .fixedLenByteArray, .int96:
            let (total, overflow) = count.multipliedReportingOverflow(by: values.width)
            guard !overflow else { throw ParquetError.corrupt("value count overflows") }
            values.bytes.append(contentsOf: try cursor.take(total))
        case .byteArray:
            values.offsets.reserveCapacity(values.offsets.count + count)
            for _ in 0..<count {
                let length = Int(try cursor.readUInt32LE())
                values.bytes.append(contentsOf: try cursor.take(length))
                try values.closeByteArrayValue()
            }
        }
    }

    /// Copies `count` little-endian values of `T` (the platform is little-endian) with one memcpy.
    @inline(__always)
    static func copyFixed<T: Numeric>(_ cursor: inout ByteCursor, _ count: Int, _ out: inout [T]) throws {
        let (total, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        guard !overflow else { throw ParquetError.corrupt("value count overflows") }
        let source = try cursor.take(total)
        appendRaw(source, count: count, to: &out)
    }

    /// Appends `count` values of `T` whose little-endian bytes are `source` (any alignment).
    @inline(__always)
    static func appendRaw<T: Numeric>(_ source: UnsafeRawBufferPointer, count: Int, to out: inout [T]) {
        guard count > 0, let base = source.baseAddress else { return }
        let start = out.count
        out.append(contentsOf: repeatElement(T.zero, count: count))
        out.withUnsafeMutableBytes { raw in
            (raw.baseAddress! + start * MemoryLayout<T>.stride).copyMemory(
                from: base, byteCount: count * MemoryLayout<T>.stride)
        }
    }
}
