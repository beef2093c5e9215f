import KafkaProtocol
import NIOCore
import TributaryCore

/// A record as it lies in the fetched bytes. `key` and `value` point into those bytes and are valid
/// only during the call that hands the view out.
public struct RecordView {
    public var offset: Int64
    public var timestampMs: Int64
    /// nil for a null key.
    public var key: UnsafeRawBufferPointer?
    /// nil for a null value.
    public var value: UnsafeRawBufferPointer?
}

/// One partition's records from one `pollFetched()`, still in the fetched bytes (CRCs already
/// checked). `forEach` hands them out as views, without a `ConsumerRecord` (and its reference-counted
/// slices) per record: the way to read when the records are only formatted or counted.
public struct FetchedRecords: Sendable {
    public let topic: String
    public let partition: Int32
    /// The fetch position: records before it (inside a compressed batch) are skipped.
    public let fetchOffset: Int64
    /// The partition's position after these records.
    public let nextOffset: Int64
    let bytes: ByteBuffer
    let abortedTransactions: [FetchResponse.AbortedTransaction]?
    let decoder: FetchedPartitionDecoder

    /// Calls `body` with each record in offset order until it returns false (then returns false).
    /// Control batches, and under read_committed aborted transactions, are left out, as `poll` does.
    /// Headers are checked but not handed out. A record that does not parse throws
    /// `KafkaClientError.corruptRecords`; the consumer's position has moved past these records already.
    @discardableResult
    public func forEach(_ body: (RecordView) throws -> Bool) throws -> Bool {
        do {
            return try forEachUnwrapped(body)
        } catch let e as ProtocolError {
            throw KafkaClientError.corruptRecords(topic: topic, partition: partition, offset: fetchOffset, detail: "\(e)")
        } catch let e as CompressionError {
            throw KafkaClientError.corruptRecords(topic: topic, partition: partition, offset: fetchOffset, detail: "\(e)")
        }
    }

    private func forEachUnwrapped(_ body: (RecordView) throws -> Bool) throws -> Bool {
        var goOn = true
        _ = try decoder.forEachDataBatch(in: bytes, fetchOffset: fetchOffset, abortedTransactions: abortedTransactions,
                                         checkCRCs: false) { batch in
            let h = batch.header
            let logAppend = h.timestampType == .logAppendTime
            var section = batch.recordsSection
            if h.compressionCodec != 0 { section = try RecordCodecs.decompress(h.compressionCodec, section) }
            try section.withUnsafeReadableBytes { raw in
                var reader = RecordFieldReader(raw)
                var read = 0
                let count = Int(h.recordCount)
                while read < count {
                    let r = try reader.next()
                    read += 1
                    let offset = h.baseOffset &+ r.offsetDelta
                    if offset < fetchOffset { continue }
                    let view = RecordView(
                        offset: offset, timestampMs: logAppend ? h.maxTimestamp : h.baseTimestamp &+ r.timestampDelta,
                        key: r.key.map { UnsafeRawBufferPointer(rebasing: raw[$0.start..<($0.start + $0.length)]) },
                        value: r.value.map { UnsafeRawBufferPointer(rebasing: raw[$0.start..<($0.start + $0.length)]) })
                    if try !body(view) { goOn = false; return }
                }
                guard reader.position == raw.count else {
                    throw ProtocolError(.invalid, "record batch has \(raw.count - reader.position) bytes after its \(count) records")
                }
            }
            return goOn
        }
        return goOn
    }
}

/// Reads records' fields straight from a batch's plain records section, checking every read against
/// the end of the record (a lying length or count is an error, never an out-of-bounds read).
struct RecordFieldReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0
    var limit: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        limit = bytes.count
    }

    struct Fields {
        var timestampDelta: Int64
        var offsetDelta: Int64
        var key: (start: Int, length: Int)?
        var value: (start: Int, length: Int)?
    }

    @inline(__always)
    mutating func varlong() throws -> Int64 {
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

    /// A length-prefixed field's place, skipping it; nil for a null (length -1).
    @inline(__always)
    mutating func field() throws -> (start: Int, length: Int)? {
        let n = try varlong()
        if n < 0 { return nil }
        guard n <= Int64(limit - position) else { throw ProtocolError(.truncated, "record field of \(n) bytes") }
        defer { position += Int(n) }
        return (position, Int(n))
    }

    /// The next record (length prefix first); its headers are checked and skipped.
    mutating func next() throws -> Fields {
        guard position < bytes.count else { throw ProtocolError(.invalid, "record batch holds fewer records than it says") }
        let length = try varlong()
        guard length > 0, length <= Int64(limit - position) else {
            throw ProtocolError(.truncated, "record of \(length) bytes, only \(limit - position) remain")
        }
        let outer = limit
        let end = position + Int(length)
        limit = end
        defer { limit = outer }
        position += 1  // attributes
        let timestampDelta = try varlong()
        let offsetDelta = try varlong()
        let key = try field()
        let value = try field()
        let headerCount = try varlong()
        // A header takes at least two bytes, which bounds the count by the bytes left.
        guard headerCount >= 0, headerCount <= Int64((end - position) / 2) else {
            throw ProtocolError(.invalid, "record header count \(headerCount)")
        }
        for _ in 0..<Int(headerCount) {
            guard try field() != nil else { throw ProtocolError(.invalid, "null record header key") }
            _ = try field()
        }
        guard position == end else { throw ProtocolError(.invalid, "record has \(end - position) bytes after its headers") }
        return Fields(timestampDelta: timestampDelta, offsetDelta: offsetDelta, key: key, value: value)
    }
}
