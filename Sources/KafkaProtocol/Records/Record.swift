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
        let source = buffer
        let (record, consumed) = try source.withUnsafeReadableBytes { raw -> (Record, Int) in
            var cursor = RawRecordCursor(raw)
            let r = try parse(&cursor, source: source)
            return (r, cursor.position)
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        return record
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
}
