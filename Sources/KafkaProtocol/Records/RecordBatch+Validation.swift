import NIOCore

extension RecordBatch {
    /// The checks a broker makes before appending a produced batch (beyond the CRC): the records
    /// decode, their count matches the header, their offset deltas run 0, 1, 2... and the header's
    /// `lastOffsetDelta` is the last of them. Compressed batches are decompressed to be checked.
    ///
    /// Throws `ProtocolError` (`.invalid`) saying which rule the batch broke; Kafka answers such a
    /// batch with CORRUPT_MESSAGE or INVALID_RECORD.
    public func validateRecords(decompress: RecordsDecompressor? = RecordsCompression.standardDecompressor) throws {
        try validateCRC()
        guard header.recordCount > 0 else {
            throw ProtocolError(.invalid, "record batch at offset \(header.baseOffset) holds no records")
        }
        var expected: Int32 = 0
        try forEachRecord(decompress: decompress) { record in
            guard record.offsetDelta == expected else {
                throw ProtocolError(
                    .invalid, "record \(expected) of the batch has offset delta \(record.offsetDelta), not \(expected)")
            }
            expected += 1
        }
        guard header.lastOffsetDelta == expected - 1 else {
            throw ProtocolError(
                .invalid,
                "batch says its last offset delta is \(header.lastOffsetDelta), its records end at \(expected - 1)")
        }
    }
}
