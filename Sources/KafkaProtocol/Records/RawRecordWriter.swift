import NIOCore

/// Writes record fields into raw bytes that were reserved for them in one go, so encoding a record
/// costs one capacity check on the buffer instead of one per byte.
@usableFromInline
struct RawRecordWriter {
    @usableFromInline let bytes: UnsafeMutableRawBufferPointer
    @usableFromInline var position = 0

    @inlinable
    init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }

    @inlinable
    mutating func int8(_ v: Int8) {
        bytes[position] = UInt8(bitPattern: v)
        position += 1
    }

    @inlinable
    mutating func unsignedVarlong(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes[position] = UInt8(truncatingIfNeeded: v) | 0x80
            position += 1
            v >>= 7
        }
        bytes[position] = UInt8(truncatingIfNeeded: v)
        position += 1
    }

    @inlinable
    mutating func zigZagVarint(_ v: Int32) { unsignedVarlong(UInt64(UInt32(bitPattern: (v << 1) ^ (v >> 31)))) }

    @inlinable
    mutating func zigZagVarlong(_ v: Int64) { unsignedVarlong(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    @inlinable
    mutating func raw(_ source: UnsafeRawBufferPointer) {
        guard source.count > 0 else { return }
        UnsafeMutableRawBufferPointer(rebasing: bytes[position..<(position + source.count)]).copyMemory(from: source)
        position += source.count
    }

    /// A length-prefixed nullable byte field (-1 for null).
    @inlinable
    mutating func nullableBytes(_ b: ByteBuffer?) {
        guard let b else { zigZagVarint(-1); return }
        zigZagVarint(Int32(truncatingIfNeeded: b.readableBytes))
        b.withUnsafeReadableBytes { raw($0) }
    }
}

extension Record {
    /// Appends the record, length prefix first.
    public func write(into buffer: inout ByteBuffer) {
        let body = bodySize
        let total = ZigZag.varintSize(Int32(truncatingIfNeeded: body)) + body
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            // `bodySize` counts exactly the bytes written below, so the writes stay within `total`.
            precondition(out.count >= total, "ByteBuffer reserved \(out.count) bytes for a \(total)-byte record")
            var w = RawRecordWriter(UnsafeMutableRawBufferPointer(rebasing: out[0..<total]))
            w.zigZagVarint(Int32(truncatingIfNeeded: body))
            w.int8(attributes)
            w.zigZagVarlong(timestampDelta)
            w.zigZagVarint(offsetDelta)
            w.nullableBytes(key)
            w.nullableBytes(value)
            w.zigZagVarint(Int32(truncatingIfNeeded: headers.count))
            for h in headers {
                var k = h.key
                k.withUTF8 { utf8 in
                    w.zigZagVarint(Int32(truncatingIfNeeded: utf8.count))
                    w.raw(UnsafeRawBufferPointer(utf8))
                }
                w.nullableBytes(h.value)
            }
            assert(w.position == total, "record size \(total) miscounted as \(w.position)")
            return w.position
        }
    }
}
