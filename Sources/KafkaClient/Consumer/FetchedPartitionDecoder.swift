import KafkaProtocol
import NIOCore

/// Turns one partition's fetched bytes into records, without I/O: skips records before the fetch
/// position (a compressed batch is returned whole), control batches, and under read_committed the
/// batches of aborted transactions; decompresses; checks CRCs.
struct FetchedPartitionDecoder {
    var topic: String
    var partition: Int32
    var isolation: IsolationLevel
    var checkCRCs: Bool

    struct Output {
        var records: [ConsumerRecord] = []
        /// The offset after the last complete batch read (the next fetch position), or nil when no
        /// complete batch was present.
        var nextOffset: Int64?
    }

    /// The offset after the last complete batch in `bytes` (what `decode` reports as `nextOffset`),
    /// read from the batch headers alone, so the next fetch can go out before the records are decoded.
    func nextOffset(in bytes: ByteBuffer, fetchOffset: Int64) throws -> Int64? {
        var lastOffset: Int64?
        do {
            try RecordBatches.forEach(in: bytes, trailing: .ignorePartial) { lastOffset = $0.header.lastOffset }
        } catch {
            throw KafkaClientError.corruptRecords(topic: topic, partition: partition, offset: fetchOffset, detail: "\(error)")
        }
        if let lastOffset, lastOffset &+ 1 > fetchOffset { return lastOffset &+ 1 }  // &+: Int64.max from a bad header must not trap
        return nil
    }

    /// Calls `body` with each batch that holds records for the caller, in order, until it returns
    /// false: batches ending before the fetch position, control batches and (under read_committed)
    /// batches of aborted transactions are left out; CRCs are checked when `checkCRCs`.
    func forEachDataBatch(in bytes: ByteBuffer, fetchOffset: Int64, abortedTransactions: [FetchResponse.AbortedTransaction]?,
                          checkCRCs: Bool, _ body: (RecordBatch) throws -> Bool) throws -> Bool {
        // Aborted transactions in order of their first offset; a producer is "aborting" from its first
        // offset until its ABORT marker.
        var pendingAborts = (abortedTransactions ?? []).sorted { $0.firstOffset < $1.firstOffset }
        var aborting: Set<Int64> = []
        var goOn = true
        try RecordBatches.forEach(in: bytes, trailing: .ignorePartial) { batch in
            guard goOn else { return }
            let h = batch.header
            if h.lastOffset < fetchOffset { return }
            if checkCRCs { try batch.validateCRC() }
            if isolation == .readCommitted {
                while let first = pendingAborts.first, first.firstOffset <= h.lastOffset {
                    aborting.insert(first.producerId)
                    pendingAborts.removeFirst()
                }
            }
            if h.isControl {
                if isolation == .readCommitted, let first = try? batch.records().first,
                   (try? ControlRecord.type(fromKey: first.key)) == .abort {
                    aborting.remove(h.producerId)
                }
                return
            }
            if isolation == .readCommitted && h.isTransactional && aborting.contains(h.producerId) { return }
            goOn = try body(batch)
        }
        return goOn
    }

    func decode(records bytes: ByteBuffer, fetchOffset: Int64, abortedTransactions: [FetchResponse.AbortedTransaction]?,
                into output: inout Output) throws {
        do {
            _ = try forEachDataBatch(in: bytes, fetchOffset: fetchOffset, abortedTransactions: abortedTransactions,
                                     checkCRCs: checkCRCs) { batch in
                let h = batch.header
                let logAppend = h.timestampType == .logAppendTime
                // Bounded by what the batch really holds: a lying count fails while reading records.
                output.records.reserveCapacity(output.records.count + min(Int(max(0, h.recordCount)), batch.bytes.readableBytes / 7))
                try batch.forEachRecord(decompress: RecordCodecs.decompress) { r in
                    let offset = h.baseOffset &+ Int64(r.offsetDelta)
                    if offset < fetchOffset { return }
                    output.records.append(ConsumerRecord(
                        topic: topic, partition: partition, offset: offset,
                        timestampMs: logAppend ? h.maxTimestamp : h.baseTimestamp &+ r.timestampDelta,
                        timestampType: h.timestampType, key: r.key, value: r.value, headers: r.headers,
                        leaderEpoch: h.partitionLeaderEpoch))
                }
                return true
            }
        } catch let e as KafkaClientError {
            throw e
        } catch {
            throw KafkaClientError.corruptRecords(topic: topic, partition: partition, offset: fetchOffset, detail: "\(error)")
        }
        output.nextOffset = try nextOffset(in: bytes, fetchOffset: fetchOffset)
    }
}
