import NIOCore

/// Splits a `records` field (zero or more RecordBatch v2 back to back) into batches.
public enum RecordBatches {
    /// What to do when the last batch runs past the end of the bytes.
    public enum TrailingPolicy: Sendable {
        /// Throw: a producer must send whole batches.
        case reject
        /// Ignore it: a fetch response may end with a partial batch cut at the size limit.
        case ignorePartial
    }

    /// The batches in `records`, each a slice of it.
    public static func split(_ records: ByteBuffer, trailing: TrailingPolicy = .reject) throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        try forEach(in: records, trailing: trailing) { out.append($0) }
        return out
    }

    /// Calls `body` with each batch in `records`, in order, without collecting them.
    public static func forEach(
        in records: ByteBuffer, trailing: TrailingPolicy = .reject, _ body: (RecordBatch) throws -> Void
    ) throws {
        var index = records.readerIndex
        let end = records.writerIndex
        while index < end {
            let remaining = end - index
            // A partial batch may be cut anywhere, even inside the length prefix.
            if remaining < RecordBatchHeader.lengthPrefixSize {
                if trailing == .ignorePartial { return }
                throw ProtocolError(.truncated, "\(remaining) bytes after the last record batch")
            }
            let length = records.getInteger(at: index + 8, as: Int32.self) ?? 0
            guard length >= RecordBatchHeader.batchLengthMin else {
                throw ProtocolError(.invalid, "record batch length \(length) at byte \(index - records.readerIndex)")
            }
            let total = Int(length) + RecordBatchHeader.lengthPrefixSize
            if total > remaining {
                if trailing == .ignorePartial { return }
                throw ProtocolError(.truncated, "record batch of \(total) bytes, only \(remaining) present")
            }
            guard let slice = records.getSlice(at: index, length: total) else {
                throw ProtocolError.truncated("record batch")
            }
            try body(try RecordBatch(slice))
            index += total
        }
    }
}
