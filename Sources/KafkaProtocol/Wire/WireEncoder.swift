import NIOCore

/// Writes a message to bytes, following the layout its `serde` declares.
public struct WireEncoder: WireCoder {
    public var buffer: ByteBuffer
    public let version: Int16
    public let flexible: Bool
    /// Tagged fields collected between `beginTags` and `endTags`, in ascending tag order.
    private var pendingTags: [(UInt32, ByteBuffer)] = []

    public init(buffer: ByteBuffer, version: Int16, flexible: Bool) {
        self.buffer = buffer
        self.version = version
        self.flexible = flexible
    }

    public mutating func bool(_ value: inout Bool) throws { buffer.writeInteger(UInt8(value ? 1 : 0)) }
    public mutating func int8(_ value: inout Int8) throws { buffer.writeInteger(value) }
    public mutating func int16(_ value: inout Int16) throws { buffer.writeInteger(value) }
    public mutating func uint16(_ value: inout UInt16) throws { buffer.writeInteger(value) }
    public mutating func int32(_ value: inout Int32) throws { buffer.writeInteger(value) }
    public mutating func uint32(_ value: inout UInt32) throws { buffer.writeInteger(value) }
    public mutating func int64(_ value: inout Int64) throws { buffer.writeInteger(value) }
    public mutating func float64(_ value: inout Double) throws { buffer.writeInteger(value.bitPattern) }
    public mutating func uuid(_ value: inout Uuid) throws {
        buffer.writeInteger(value.high)
        buffer.writeInteger(value.low)
    }
    public mutating func uvarint(_ value: inout UInt32) throws { buffer.writeUnsignedVarint(value) }

    private mutating func writeLength(_ n: Int?, classic16: Bool) {
        if flexible {
            buffer.writeUnsignedVarint(UInt32(n.map { $0 + 1 } ?? 0))
        } else if classic16 {
            buffer.writeInteger(Int16(n ?? -1))
        } else {
            buffer.writeInteger(Int32(n ?? -1))
        }
    }

    public mutating func string(_ value: inout String) throws {
        var s: String? = value
        try nullableString(&s)
    }

    public mutating func nullableString(_ value: inout String?) throws {
        guard var s = value else { writeLength(nil, classic16: true); return }
        let n = s.utf8.count
        guard flexible || n <= Int(Int16.max) else { throw ProtocolError(.invalid, "string of \(n) bytes is too long") }
        writeLength(n, classic16: true)
        s.withUTF8 { _ = buffer.writeBytes($0) }
    }

    public mutating func bytes(_ value: inout ByteBuffer) throws {
        writeLength(value.readableBytes, classic16: false)
        buffer.writeImmutableBuffer(value)
    }

    public mutating func nullableBytes(_ value: inout ByteBuffer?) throws {
        guard let b = value else { writeLength(nil, classic16: false); return }
        writeLength(b.readableBytes, classic16: false)
        buffer.writeImmutableBuffer(b)
    }

    public mutating func array<T: WireDefault>(_ value: inout [T], _ element: (inout WireEncoder, inout T) throws -> Void) throws {
        writeLength(value.count, classic16: false)
        for i in value.indices { try element(&self, &value[i]) }
    }

    public mutating func nullableArray<T: WireDefault>(
        _ value: inout [T]?, _ element: (inout WireEncoder, inout T) throws -> Void
    ) throws {
        guard value != nil else { writeLength(nil, classic16: false); return }
        writeLength(value!.count, classic16: false)
        for i in value!.indices { try element(&self, &value![i]) }
    }

    public mutating func beginTags() throws {
        pendingTags.removeAll(keepingCapacity: true)
    }

    public mutating func tagged(_ tag: UInt32, present: Bool, _ body: (inout WireEncoder) throws -> Void) throws {
        guard flexible, present else { return }
        var sub = WireEncoder(buffer: ByteBuffer(), version: version, flexible: flexible)
        try body(&sub)
        pendingTags.append((tag, sub.buffer))
    }

    public mutating func endTags() throws {
        guard flexible else { return }
        buffer.writeUnsignedVarint(UInt32(pendingTags.count))
        for (tag, body) in pendingTags.sorted(by: { $0.0 < $1.0 }) {
            buffer.writeUnsignedVarint(tag)
            buffer.writeUnsignedVarint(UInt32(body.readableBytes))
            buffer.writeImmutableBuffer(body)
        }
        pendingTags.removeAll(keepingCapacity: true)
    }
}

extension WireStruct {
    /// Appends this struct's encoding at `version` to `buffer`.
    public func encode(into buffer: inout ByteBuffer, version: Int16, flexible: Bool) throws {
        var encoder = WireEncoder(buffer: buffer, version: version, flexible: flexible)
        buffer = ByteBuffer()  // keep the storage uniquely referenced by the encoder
        var copy = self
        try copy.serde(&encoder)
        buffer = encoder.buffer
    }
}
