import NIOCore

// Records (inside a RecordBatch v2) encode their integers as zigzag varints (protobuf style):
// small magnitudes, negative or positive, take few bytes.

extension ByteBuffer {
    /// Reads a zigzag-encoded varint of at most 5 bytes (a record's length, offset delta, key length...).
    @inlinable
    public mutating func readZigZagVarint() throws -> Int32 {
        let raw = try readUnsignedVarlong(maxBytes: 5)
        guard raw <= UInt64(UInt32.max) else { throw ProtocolError(.invalid, "varint longer than 32 bits") }
        let u = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads a zigzag-encoded varlong of at most 10 bytes (a record's timestamp delta).
    @inlinable
    public mutating func readZigZagVarlong() throws -> Int64 {
        let u = try readUnsignedVarlong(maxBytes: 10)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Writes `value` as a zigzag varint; returns the bytes written.
    @inlinable
    @discardableResult
    public mutating func writeZigZagVarint(_ value: Int32) -> Int {
        writeUnsignedVarlong(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// Writes `value` as a zigzag varlong; returns the bytes written.
    @inlinable
    @discardableResult
    public mutating func writeZigZagVarlong(_ value: Int64) -> Int {
        writeUnsignedVarlong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// Reads an unsigned LEB128 value of at most `maxBytes` bytes, straight from the readable bytes
    /// (records hold several varints each, so this is on the path of every record read).
    @inlinable
    mutating func readUnsignedVarlong(maxBytes: Int) throws -> UInt64 {
        let (value, length) = try withUnsafeReadableBytes { raw -> (UInt64, Int) in
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var i = 0
            while i < maxBytes {
                guard i < raw.count else { throw ProtocolError(.truncated, "truncated varint") }
                let byte = raw[i]
                // The 10th byte of a varlong may only carry the top bit of a 64-bit value.
                if i == 9 && byte > 1 { throw ProtocolError(.invalid, "varlong longer than 64 bits") }
                result |= UInt64(byte & 0x7F) << shift
                i += 1
                if byte & 0x80 == 0 { return (result, i) }
                shift += 7
            }
            throw ProtocolError(.invalid, "varint longer than \(maxBytes) bytes")
        }
        moveReaderIndex(forwardBy: length)
        return value
    }

    @usableFromInline
    @discardableResult
    mutating func writeUnsignedVarlong(_ value: UInt64) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
            n += 1
        }
        writeInteger(UInt8(truncatingIfNeeded: v))
        return n
    }
}

/// Sizes of zigzag varints, for laying out records before writing them.
public enum ZigZag {
    /// The encoded size of `value` as a zigzag varint.
    @inlinable
    public static func varintSize(_ value: Int32) -> Int {
        unsignedSize(UInt64(UInt32(bitPattern: (value << 1) ^ (value >> 31))))
    }

    /// The encoded size of `value` as a zigzag varlong.
    @inlinable
    public static func varlongSize(_ value: Int64) -> Int {
        unsignedSize(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @usableFromInline
    static func unsignedSize(_ value: UInt64) -> Int {
        // 7 payload bits per byte; a zero still takes one byte.
        let bits = 64 - value.leadingZeroBitCount
        return Swift.max(1, (bits + 6) / 7)
    }
}
