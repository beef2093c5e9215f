/// A bounds-checked read position over borrowed page bytes.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetError.corrupt("encoded data ends unexpectedly") }
        let value = bytes[position]
        position += 1
        return value
    }

    /// An unsigned LEB128 varint.
    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
            guard shift < 64 else { throw ParquetError.corrupt("varint longer than 10 bytes") }
        }
    }

    /// A zigzag-encoded signed varint.
    mutating func readZigzag() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func readUInt32LE() throws -> UInt32 {
        guard remaining >= 4 else { throw ParquetError.corrupt("encoded data ends inside a length") }
        let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    /// The next `count` bytes as a sub-buffer.
    mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw ParquetError.corrupt("encoded section of \(count) bytes exceeds the \(remaining) remaining")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        position += count
        return slice
    }
}
