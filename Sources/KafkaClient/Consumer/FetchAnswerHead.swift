import NIOCore

/// What the first bytes of a Fetch answer tell before the rest of it has been read: the position after
/// its records, when the answer is for exactly the one partition asked, without error, and holds exactly
/// one complete record batch (the common case of large batches, one per answer). The consumer then
/// sends the next Fetch while the records are still being read; the position the whole answer gives
/// later is checked against it, and a round started from a wrong guess is dropped.
enum FetchAnswerHead {
    /// The bytes of a record batch header up to and including `lastOffsetDelta`.
    static let batchHeaderBytesNeeded = 27

    /// The offset after the one batch of the answer whose first bytes are `head` (correlation id first),
    /// for Fetch `version` (4...12), or nil when the head does not show it.
    static func nextOffset(head: ByteBuffer, version: Int16, topic: String, partition: Int32, fetchOffset: Int64) -> Int64? {
        guard (4...12).contains(version) else { return nil }
        var b = head
        let flexible = version >= 12
        guard b.readInteger(as: Int32.self) != nil else { return nil }  // correlation id
        if flexible, !skipTaggedFields(&b) { return nil }
        guard b.readInteger(as: Int32.self) != nil else { return nil }  // throttle_time_ms
        if version >= 7 {
            guard b.readInteger(as: Int16.self) == 0, b.readInteger(as: Int32.self) != nil else { return nil }
        }
        guard arrayCount(&b, flexible) == 1 else { return nil }
        guard let name = string(&b, flexible), name == topic else { return nil }
        guard arrayCount(&b, flexible) == 1 else { return nil }
        guard b.readInteger(as: Int32.self) == partition, b.readInteger(as: Int16.self) == 0,
              b.readInteger(as: Int64.self) != nil,  // high watermark
              b.readInteger(as: Int64.self) != nil  // last stable offset (v4+)
        else { return nil }
        if version >= 5, b.readInteger(as: Int64.self) == nil { return nil }  // log start offset
        // Aborted transactions (null counts as none): each a producer id and a first offset (and tagged
        // fields when flexible).
        let aborted: Int
        if flexible {
            guard let n = uvarint(&b) else { return nil }
            aborted = n == 0 ? 0 : Int(n - 1)
        } else {
            guard let n = b.readInteger(as: Int32.self) else { return nil }
            aborted = max(0, Int(n))
        }
        for _ in 0..<aborted {
            guard b.readInteger(as: Int64.self) != nil, b.readInteger(as: Int64.self) != nil else { return nil }
            if flexible, !skipTaggedFields(&b) { return nil }
        }
        if version >= 11, b.readInteger(as: Int32.self) == nil { return nil }  // preferred read replica
        guard let recordsBytes = nullableCount(&b, flexible), b.readableBytes >= batchHeaderBytesNeeded,
              let baseOffset = b.getInteger(at: b.readerIndex, as: Int64.self),
              let batchLength = b.getInteger(at: b.readerIndex + 8, as: Int32.self),
              let magic = b.getInteger(at: b.readerIndex + 16, as: Int8.self),
              let lastOffsetDelta = b.getInteger(at: b.readerIndex + 23, as: Int32.self)
        else { return nil }
        // Exactly one complete batch: anything else (more batches, a partial one) needs the whole answer.
        guard magic == 2, lastOffsetDelta >= 0, Int(batchLength) + 12 == recordsBytes else { return nil }
        let next = baseOffset &+ Int64(lastOffsetDelta) &+ 1
        return next > fetchOffset ? next : nil
    }

    private static func uvarint(_ b: inout ByteBuffer) -> UInt32? {
        var result: UInt32 = 0
        for shift in stride(from: 0, to: 35, by: 7) {
            guard let byte = b.readInteger(as: UInt8.self) else { return nil }
            result |= UInt32(byte & 0x7F) << UInt32(shift)
            if byte & 0x80 == 0 { return result }
        }
        return nil
    }

    private static func skipTaggedFields(_ b: inout ByteBuffer) -> Bool {
        guard let count = uvarint(&b) else { return false }
        for _ in 0..<count {
            guard uvarint(&b) != nil, let size = uvarint(&b), b.readSlice(length: Int(size)) != nil else { return false }
        }
        return true
    }

    /// An array's or a byte field's length; nil for a null one or when the head ends.
    private static func nullableCount(_ b: inout ByteBuffer, _ flexible: Bool) -> Int? {
        if flexible {
            guard let n = uvarint(&b), n > 0 else { return nil }
            return Int(n - 1)
        }
        guard let n = b.readInteger(as: Int32.self), n >= 0 else { return nil }
        return Int(n)
    }

    private static func arrayCount(_ b: inout ByteBuffer, _ flexible: Bool) -> Int? { nullableCount(&b, flexible) }

    private static func string(_ b: inout ByteBuffer, _ flexible: Bool) -> String? {
        let length: Int
        if flexible {
            guard let n = uvarint(&b), n > 0 else { return nil }
            length = Int(n - 1)
        } else {
            guard let n = b.readInteger(as: Int16.self), n >= 0 else { return nil }
            length = Int(n)
        }
        return b.readString(length: length)
    }
}
