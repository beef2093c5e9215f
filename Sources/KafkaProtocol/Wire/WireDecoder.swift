import NIOCore

/// Reads a message from bytes, following the layout its `serde` declares.
///
/// Every length read is checked against the bytes that remain before anything is allocated, so a
/// hostile length can cost at most the size of the frame that carried it.
public struct WireDecoder: WireCoder {
    public var buffer: ByteBuffer
    public let version: Int16
    public let flexible: Bool
    /// The tagged fields of the struct being read, by tag, between `beginTags` and `endTags`.
    private var pendingTags: [UInt32: ByteBuffer] = [:]

    public init(buffer: ByteBuffer, version: Int16, flexible: Bool) {
        self.buffer = buffer
        self.version = version
        self.flexible = flexible
    }

    @inline(__always)
    private mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: StaticString) throws -> T {
        guard let v = buffer.readInteger(as: T.self) else { throw ProtocolError.truncated("\(what)") }
        return v
    }

    public mutating func bool(_ value: inout Bool) throws { value = try read(UInt8.self, "boolean") != 0 }
    public mutating func int8(_ value: inout Int8) throws { value = try read(Int8.self, "int8") }
    public mutating func int16(_ value: inout Int16) throws { value = try read(Int16.self, "int16") }
    public mutating func uint16(_ value: inout UInt16) throws { value = try read(UInt16.self, "uint16") }
    public mutating func int32(_ value: inout Int32) throws { value = try read(Int32.self, "int32") }
    public mutating func uint32(_ value: inout UInt32) throws { value = try read(UInt32.self, "uint32") }
    public mutating func int64(_ value: inout Int64) throws { value = try read(Int64.self, "int64") }
    public mutating func float64(_ value: inout Double) throws {
        value = Double(bitPattern: try read(UInt64.self, "float64"))
    }
    public mutating func uuid(_ value: inout Uuid) throws {
        let high = try read(UInt64.self, "uuid")
        value = Uuid(high: high, low: try read(UInt64.self, "uuid"))
    }
    public mutating func uvarint(_ value: inout UInt32) throws { value = try buffer.readUnsignedVarint() }

    /// Reads a length: int16/int32 in classic versions, unsigned varint N+1 in flexible ones.
    /// Returns nil for a null (-1, or 0 when compact).
    private mutating func readLength(classic16: Bool) throws -> Int? {
        let n: Int
        if flexible {
            n = Int(try buffer.readUnsignedVarint()) - 1
        } else if classic16 {
            n = Int(try read(Int16.self, "length"))
        } else {
            n = Int(try read(Int32.self, "length"))
        }
        if n < 0 { return nil }
        guard n <= buffer.readableBytes else {
            throw ProtocolError(.truncated, "length \(n) exceeds the \(buffer.readableBytes) bytes that remain")
        }
        return n
    }

    public mutating func string(_ value: inout String) throws {
        guard let s = try readString() else { throw ProtocolError(.invalid, "null where a string is required") }
        value = s
    }

    public mutating func nullableString(_ value: inout String?) throws { value = try readString() }

    private mutating func readString() throws -> String? {
        guard let n = try readLength(classic16: true) else { return nil }
        return buffer.readString(length: n)
    }

    public mutating func bytes(_ value: inout ByteBuffer) throws {
        guard let b = try readBytes() else { throw ProtocolError(.invalid, "null where bytes are required") }
        value = b
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?) throws { value = try readBytes() }

    private mutating func readBytes() throws -> ByteBuffer? {
        guard let n = try readLength(classic16: false) else { return nil }
        return buffer.readSlice(length: n)
    }

    public mutating func array<T: WireDefault>(_ value: inout [T], _ element: (inout WireDecoder, inout T) throws -> Void) throws {
        var v: [T]? = []
        try nullableArray(&v, element)
        value = v ?? []
    }

    public mutating func nullableArray<T: WireDefault>(
        _ value: inout [T]?, _ element: (inout WireDecoder, inout T) throws -> Void
    ) throws {
        guard let count = try readLength(classic16: false) else { value = nil; return }
        // `count` is bounded by the bytes that remain (checked above), but an element in memory can be
        // far larger than its encoding, so reserve only a bounded amount up front and let growth follow
        // the elements actually read.
        var out: [T] = []
        out.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count {
            var e = T()
            try element(&self, &e)
            out.append(e)
        }
        value = out
    }

    public mutating func beginTags() throws {
        guard flexible else { return }
        pendingTags.removeAll(keepingCapacity: true)
        let count = try buffer.readUnsignedVarint()
        guard Int(count) <= buffer.readableBytes else { throw ProtocolError(.invalid, "tagged field count \(count)") }
        var lastTag: Int64 = -1
        for _ in 0..<count {
            let tag = try buffer.readUnsignedVarint()
            guard Int64(tag) > lastTag else { throw ProtocolError(.invalid, "tagged fields out of order at tag \(tag)") }
            lastTag = Int64(tag)
            let size = Int(try buffer.readUnsignedVarint())
            guard let body = buffer.readSlice(length: size) else { throw ProtocolError.truncated("tagged field \(tag)") }
            pendingTags[tag] = body
        }
    }

    public mutating func tagged(_ tag: UInt32, present: Bool, _ body: (inout WireDecoder) throws -> Void) throws {
        guard flexible, let bytes = pendingTags[tag] else { return }
        var sub = WireDecoder(buffer: bytes, version: version, flexible: flexible)
        try body(&sub)
    }

    public mutating func endTags() throws {
        // Unknown tags are skipped, as KIP-482 asks.
        pendingTags.removeAll(keepingCapacity: true)
    }
}

extension WireDecoder {
    /// Decodes a whole message body. Bytes after the body are ignored, as Kafka's own parser does.
    public static func decode<T: WireStruct>(_: T.Type, from buffer: ByteBuffer, version: Int16, flexible: Bool) throws -> T {
        var decoder = WireDecoder(buffer: buffer, version: version, flexible: flexible)
        var value = T()
        try value.serde(&decoder)
        return value
    }
}

extension ByteBuffer {
    /// Reads an unsigned LEB128 varint of at most 5 bytes.
    public mutating func readUnsignedVarint() throws -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else { throw ProtocolError.truncated("varint") }
            if shift == 28 && byte > 0x0F { throw ProtocolError(.invalid, "varint longer than 32 bits") }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Writes an unsigned LEB128 varint.
    @discardableResult
    public mutating func writeUnsignedVarint(_ value: UInt32) -> Int {
        var v = value
        var n = 0
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
            n += 1
        }
        writeInteger(UInt8(truncatingIfNeeded: v))
        return n + 1
    }
}
