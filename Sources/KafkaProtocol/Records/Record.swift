import NIOCore

/// One header of a record: a string key and nullable bytes.
public struct RecordHeader: Sendable, Equatable {
    public var key: String
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }
}

/// One record inside a RecordBatch v2. Key, value and header values are slices of the batch's
/// (decompressed) bytes, not copies.
///
/// Layout: length varint (bytes after it), attributes int8 (unused), timestampDelta varlong,
/// offsetDelta varint, key length varint (-1 = null) + key, value length varint (-1 = null) + value,
/// header count varint, then per header: key length varint + key, value length varint (-1 = null) + value.
public struct Record: Sendable, Equatable {
    public var attributes: Int8 = 0
    /// Milliseconds after the batch's `baseTimestamp`.
    public var timestampDelta: Int64 = 0
    /// Position after the batch's `baseOffset`.
    public var offsetDelta: Int32 = 0
    public var key: ByteBuffer? = nil
    public var value: ByteBuffer? = nil
    public var headers: [RecordHeader] = []

    public init() {}

    public init(
        offsetDelta: Int32, timestampDelta: Int64, key: ByteBuffer?, value: ByteBuffer?, headers: [RecordHeader] = []
    ) {
        self.offsetDelta = offsetDelta
        self.timestampDelta = timestampDelta
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// Reads one record (starting with its length) from `buffer`, which must hold all of it.
    public static func read(from buffer: inout ByteBuffer) throws -> Record {
        let length = Int(try buffer.readZigZagVarint())
        guard length >= 0 else { throw ProtocolError(.invalid, "negative record length \(length)") }
        guard var body = buffer.readSlice(length: length) else {
            throw ProtocolError(.truncated, "record of \(length) bytes, only \(buffer.readableBytes) remain")
        }
        var r = Record()
        guard let attributes = body.readInteger(as: Int8.self) else {
            throw ProtocolError.truncated("record attributes")
        }
        r.attributes = attributes
        r.timestampDelta = try body.readZigZagVarlong()
        r.offsetDelta = try body.readZigZagVarint()
        r.key = try readNullableBytes(&body, "record key")
        r.value = try readNullableBytes(&body, "record value")
        let headerCount = Int(try body.readZigZagVarint())
        // A header takes at least two bytes, which bounds the count by the bytes left.
        guard headerCount >= 0, headerCount <= body.readableBytes / 2 else {
            throw ProtocolError(.invalid, "record header count \(headerCount)")
        }
        if headerCount > 0 {
            r.headers.reserveCapacity(headerCount)
            for _ in 0..<headerCount {
                let keyLength = Int(try body.readZigZagVarint())
                guard keyLength >= 0 else { throw ProtocolError(.invalid, "null record header key") }
                guard let key = body.readString(length: keyLength) else {
                    throw ProtocolError.truncated("record header key")
                }
                r.headers.append(RecordHeader(key: key, value: try readNullableBytes(&body, "record header value")))
            }
        }
        guard body.readableBytes == 0 else {
            throw ProtocolError(.invalid, "record has \(body.readableBytes) bytes after its last header")
        }
        return r
    }

    private static func readNullableBytes(_ body: inout ByteBuffer, _ what: String) throws -> ByteBuffer? {
        let n = Int(try body.readZigZagVarint())
        if n < 0 { return nil }
        guard let slice = body.readSlice(length: n) else { throw ProtocolError.truncated(what) }
        return slice
    }

    /// The encoded size of the record's body (what its length prefix says).
    public var bodySize: Int {
        var n = 1 + ZigZag.varlongSize(timestampDelta) + ZigZag.varintSize(offsetDelta)
        n += Self.nullableBytesSize(key) + Self.nullableBytesSize(value)
        n += ZigZag.varintSize(Int32(truncatingIfNeeded: headers.count))
        for h in headers {
            let k = h.key.utf8.count
            n += ZigZag.varintSize(Int32(truncatingIfNeeded: k)) + k + Self.nullableBytesSize(h.value)
        }
        return n
    }

    /// The encoded size including the length prefix.
    public var encodedSize: Int { let b = bodySize; return ZigZag.varintSize(Int32(truncatingIfNeeded: b)) + b }

    private static func nullableBytesSize(_ b: ByteBuffer?) -> Int {
        guard let b else { return 1 }
        return ZigZag.varintSize(Int32(truncatingIfNeeded: b.readableBytes)) + b.readableBytes
    }

    /// Appends the record, length prefix first.
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeZigZagVarint(Int32(truncatingIfNeeded: bodySize))
        buffer.writeInteger(attributes)
        buffer.writeZigZagVarlong(timestampDelta)
        buffer.writeZigZagVarint(offsetDelta)
        Self.writeNullableBytes(key, into: &buffer)
        Self.writeNullableBytes(value, into: &buffer)
        buffer.writeZigZagVarint(Int32(truncatingIfNeeded: headers.count))
        for h in headers {
            buffer.writeZigZagVarint(Int32(truncatingIfNeeded: h.key.utf8.count))
            buffer.writeString(h.key)
            Self.writeNullableBytes(h.value, into: &buffer)
        }
    }

    private static func writeNullableBytes(_ b: ByteBuffer?, into buffer: inout ByteBuffer) {
        guard let b else { buffer.writeZigZagVarint(-1); return }
        buffer.writeZigZagVarint(Int32(truncatingIfNeeded: b.readableBytes))
        buffer.writeImmutableBuffer(b)
    }
}
