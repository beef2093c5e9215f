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
            try decodeByteArrays(&cursor, count: count, into: &values)
        }
    }

    /// Length-prefixed values in two passes: validate lengths and size the buffers, then copy.
    private static func decodeByteArrays(_ cursor: inout ByteCursor, count: Int, into values: inout DecodedValues) throws {
        let start = cursor.position
        var total = 0
        for _ in 0..<count {
            let length = Int(try cursor.readUInt32LE())
            _ = try cursor.take(length)
            total += length
        }
        guard values.bytes.count + total <= Int(Int32.max) else {
            throw ParquetError.unsupported("a column chunk holds more than 2 GiB of byte-array data")
        }
        let byteStart = values.bytes.count
        let offsetStart = values.offsets.count
        OutputGrowth.appendZeros(&values.bytes, total)
        OutputGrowth.appendZeros(&values.offsets, count)
        let source = cursor.bytes
        values.bytes.withUnsafeMutableBufferPointer { out in
            values.offsets.withUnsafeMutableBufferPointer { offsets in
                var position = start
                var at = byteStart
                for k in 0..<count {
                    let length = Int(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
                    position += 4
                    if length > 0, let destination = out.baseAddress, let base = source.baseAddress {
                        ByteCopy.copy(destination + at, (base + position).assumingMemoryBound(to: UInt8.self), length)
                    }
                    position += length
                    at += length
                    offsets[offsetStart + k] = Int32(truncatingIfNeeded: at)
                }
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
        if out.isEmpty {
            // A fresh buffer (a dictionary page, a page read alone) is filled by the copy alone,
            // without zeroing it first.
            out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base, byteCount: count * MemoryLayout<T>.stride)
                initialized = count
            }
            return
        }
        let start = out.count
        out.append(contentsOf: repeatElement(T.zero, count: count))
        out.withUnsafeMutableBytes { raw in
            (raw.baseAddress! + start * MemoryLayout<T>.stride).copyMemory(
                from: base, byteCount: count * MemoryLayout<T>.stride)
        }
    }
}
