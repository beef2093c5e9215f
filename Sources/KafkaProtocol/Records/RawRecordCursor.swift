import NIOCore

/// Reads the varint-encoded fields of records straight from raw bytes, with one bounds check per
/// byte and no reference counting; `Record.read` and `RecordBatch.forEachRecord` use it so that
/// iterating a batch costs a few loads per field plus one slice per key and value.
@usableFromInline
struct RawRecordCursor {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    /// Position of the next byte to read, relative to `bytes`.
    @usableFromInline var position: Int
    /// Reads stop here (the end of the current record, or of the bytes).
    @usableFromInline var limit: Int

    @inlinable
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.position = 0
        self.limit = bytes.count
    }

    @inlinable
    mutating func int8() throws -> Int8 {
        guard position < limit else { throw ProtocolError(.truncated, "truncated record") }
        defer { position += 1 }
        return Int8(bitPattern: bytes[position])
    }

    @inlinable
    mutating func unsignedVarlong(maxBytes: Int) throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<maxBytes {
            guard position < limit else { throw ProtocolError(.truncated, "truncated varint") }
            let byte = bytes[position]
            position += 1
            // The 10th byte of a varlong may only carry the top bit of a 64-bit value.
            if i == 9 && byte > 1 { throw ProtocolError(.invalid, "varlong longer than 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw ProtocolError(.invalid, "varint longer than \(maxBytes) bytes")
    }

    @inlinable
    mutating func zigZagVarint() throws -> Int32 {
        let raw = try unsignedVarlong(maxBytes: 5)
        guard raw <= UInt64(UInt32.max) else { throw ProtocolError(.invalid, "varint longer than 32 bits") }
        let u = UInt32(truncatingIfNeeded: raw)
        return Int32(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    @inlinable
    mutating func zigZagVarlong() throws -> Int64 {
        let u = try unsignedVarlong(maxBytes: 10)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// A length-prefixed field: returns its start and length (nil for a null, length -1), skipping it.
    @inlinable
    mutating func lengthPrefixed() throws -> (start: Int, length: Int)? {
        let n = Int(try zigZagVarint())
        if n < 0 { return nil }
        guard n <= limit - position else { throw ProtocolError(.truncated, "record field of \(n) bytes") }
        defer { position += n }
        return (position, n)
    }
}

extension Record {
    /// Parses the record at `cursor` (length prefix first). `source` is the buffer whose readable bytes
    /// the cursor reads, so keys and values can be sliced from it without copying.
    @usableFromInline
    static func parse(_ cursor: inout RawRecordCursor, source: ByteBuffer) throws -> Record {
        let length = Int(try cursor.zigZagVarint())
        guard length >= 0 else { throw ProtocolError(.invalid, "negative record length \(length)") }
        guard length <= cursor.limit - cursor.position else {
            throw ProtocolError(.truncated, "record of \(length) bytes, only \(cursor.limit - cursor.position) remain")
        }
        let outerLimit = cursor.limit
        let end = cursor.position + length
        cursor.limit = end
        defer { cursor.limit = outerLimit }

        var r = Record()
        r.attributes = try cursor.int8()
        r.timestampDelta = try cursor.zigZagVarlong()
        r.offsetDelta = try cursor.zigZagVarint()
        r.key = try cursor.lengthPrefixed().map { slice(source, $0) }
        r.value = try cursor.lengthPrefixed().map { slice(source, $0) }
        let headerCount = Int(try cursor.zigZagVarint())
        // A header takes at least two bytes, which bounds the count by the bytes left.
        guard headerCount >= 0, headerCount <= (end - cursor.position) / 2 else {
            throw ProtocolError(.invalid, "record header count \(headerCount)")
        }
        if headerCount > 0 {
            r.headers.reserveCapacity(headerCount)
            for _ in 0..<headerCount {
                guard let keyField = try cursor.lengthPrefixed() else {
                    throw ProtocolError(.invalid, "null record header key")
                }
                let key = String(decoding: UnsafeRawBufferPointer(
                    rebasing: cursor.bytes[keyField.start..<(keyField.start + keyField.length)]), as: UTF8.self)
                let value = try cursor.lengthPrefixed().map { slice(source, $0) }
                r.headers.append(RecordHeader(key: key, value: value))
            }
        }
        guard cursor.position == end else {
            throw ProtocolError(.invalid, "record has \(end - cursor.position) bytes after its last header")
        }
        return r
    }

    @inline(__always)
    private static func slice(_ source: ByteBuffer, _ field: (start: Int, length: Int)) -> ByteBuffer {
        // In bounds: the cursor checked the field against the readable bytes of `source`.
        source.getSlice(at: source.readerIndex + field.start, length: field.length) ?? ByteBuffer()
    }
}
