import KafkaProtocol

/// Reads the fields of RecordBatch v2 records straight from bytes, checking every read against
/// the end of the record (a lying length or count is an error, never an out-of-bounds read).
struct RecordCursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var limit: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        limit = bytes.count
    }

    @inline(__always)
    mutating func varlong() throws -> Int64 {
        // Most varints of a record (attributes' neighbours, small deltas, lengths under 64) are one byte.
        if position < limit {
            let byte = bytes[position]
            if byte & 0x80 == 0 {
                position += 1
                let v = UInt64(byte)
                return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
            }
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < limit, shift < 64 else { throw ProtocolError(.invalid, "malformed varint in a record") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A length-prefixed field's range, skipping it; nil for a null (length -1).
    @inline(__always)
    mutating func field() throws -> (start: Int, length: Int)? {
        let n = try varlong()
        if n < 0 { return nil }
        guard n <= Int64(limit - position) else { throw ProtocolError(.truncated, "record field of \(n) bytes") }
        defer { position += Int(n) }
        return (position, Int(n))
    }
}

/// One record's fields as ranges of the batch's record bytes.
struct RawRecord {
    var timestampDelta: Int64
    var offsetDelta: Int64
    var key: (start: Int, length: Int)?
    var value: (start: Int, length: Int)?
    /// Where the headers start and the record ends (the headers are read again when wanted).
    var headersStart: Int
    var end: Int
}

extension RecordCursor {
    /// Reads the next record (length prefix first) and skips its headers.
    @inline(__always)
    mutating func nextRecord() throws -> RawRecord {
        let length = try varlong()
        guard length >= 0, length <= Int64(limit - position) else {
            throw ProtocolError(.truncated, "record of \(length) bytes, only \(limit - position) remain")
        }
        let outer = limit
        let end = position + Int(length)
        limit = end
        defer { limit = outer }
        guard position < limit else { throw ProtocolError(.truncated, "empty record") }
        position += 1  // attributes
        let tsDelta = try varlong()
        let offDelta = try varlong()
        let key = try field()
        let value = try field()
        let headersStart = position
        let headerCount = try varlong()
        guard headerCount >= 0, headerCount <= Int64((end - position) / 2) else {
            throw ProtocolError(.invalid, "record header count \(headerCount)")
        }
        for _ in 0..<Int(headerCount) {
            guard try field() != nil else { throw ProtocolError(.invalid, "null record header key") }
            _ = try field()
        }
        guard position == end else { throw ProtocolError(.invalid, "record has \(end - position) bytes after its headers") }
        return RawRecord(timestampDelta: tsDelta, offsetDelta: offDelta, key: key, value: value,
                         headersStart: headersStart, end: end)
    }
}
