import KafkaProtocol
import NIOCore

/// What one cleaning of a compacted log did.
public struct CompactionResult: Sendable, Equatable {
    /// Segments rewritten.
    public var segmentsCleaned: Int
    /// Records removed because a later record has the same key, or a tombstone outlived
    /// delete.retention.ms.
    public var recordsRemoved: Int
    /// Bytes of the cleaned segments before and after.
    public var bytesBefore: Int
    public var bytesAfter: Int
}

extension PartitionLog {
    static let cleanerCheckpointFile = "cleaner-offset-checkpoint"
    static let cleanedSuffix = ".cleaned"

    /// Compaction (cleanup.policy=compact): keeps only the latest record of each key in the sealed
    /// segments, as Kafka's log cleaner does. The active segment is never touched, so the newest
    /// records of a key may sit beside older ones until it rolls.
    ///
    /// Runs when the bytes written since the last cleaning make up at least min.cleanable.dirty.ratio
    /// of the cleanable ones (`force` ignores the ratio). Records keep their offsets (batches keep
    /// their base offset and last offset delta, so producer state and consumer positions hold);
    /// records without a key are dropped; a tombstone is kept while its segment's newest record is
    /// younger than delete.retention.ms. Segments younger than min.compaction.lag.ms wait.
    ///
    /// The new segments are written beside the old ones (`.cleaned`), synced, and swapped in under
    /// the lock with a rename, so a crash leaves either the old or the new file, both whole. Appends
    /// and reads go on while the cleaner reads and writes.
    @discardableResult
    public func compact(nowMs: Int64, force: Bool = false) throws -> CompactionResult? {
        let snapshot: (segments: [Segment], config: LogConfig, firstDirty: Int64)? = lock.withLock {
            guard self.config.compacts, !self.deleted, self.segments.count > 1 else { return nil }
            return (Array(self.segments.dropLast()), self.config, cleanerCheckpoint())
        }
        guard let snapshot else { return nil }
        let config = snapshot.config
        let lag = config.minCompactionLagMs
        let cleanable = snapshot.segments.prefix { s in lag <= 0 || (s.maxTimestamp >= 0 && nowMs - s.maxTimestamp >= lag) }
        guard let last = cleanable.last else { return nil }
        let total = cleanable.reduce(0) { $0 + $1.size }
        let dirty = cleanable.filter { $0.baseOffset >= snapshot.firstDirty }.reduce(0) { $0 + $1.size }
        guard total > 0, dirty > 0, force || Double(dirty) / Double(total) >= config.minCleanableDirtyRatio else { return nil }

        // The offset of every key's latest record in the cleanable segments.
        var latest: [[UInt8]: Int64] = [:]
        for segment in cleanable {
            try segment.forEachBatch { batch in
                guard !batch.header.isControl else { return }
                try batch.forEachRecordSummary { r in
                    if let key = r.key { latest[Array(key), default: -1] = r.offset }
                }
            }
        }

        var result = CompactionResult(segmentsCleaned: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0)
        var rewritten: [(old: Segment, path: String)] = []
        for segment in cleanable {
            let dropTombstones = segment.maxTimestamp >= 0 && nowMs - segment.maxTimestamp > config.deleteRetentionMs
            let path = segment.file.path + Self.cleanedSuffix
            let out = try LogFile(path: path, create: true)
            try out.truncate(to: 0)
            var written = 0
            var removed = 0
            try segment.forEachBatch { batch in
                var keep = batch
                if !batch.header.isControl {
                    guard let kept = try batch.retaining({ r in
                        guard let key = r.key, latest[Array(key)] == r.offset else { removed += 1; return false }
                        if r.isTombstone && dropTombstones { removed += 1; return false }
                        return true
                    }) else { return }
                    keep = kept
                }
                try out.write(keep.bytes, at: written)
                written += keep.bytes.readableBytes
            }
            if removed == 0 {
                try FileSystem.remove(path)
                continue
            }
            try out.sync()
            rewritten.append((segment, path))
            result.segmentsCleaned += 1
            result.recordsRemoved += removed
            result.bytesBefore += segment.size
            result.bytesAfter += written
        }

        try lock.withLock {
            for (old, path) in rewritten {
                // Retention or DeleteRecords may have removed the segment meanwhile.
                guard !deleted, let i = segments.firstIndex(where: { $0 === old }) else {
                    try? FileSystem.remove(path)
                    continue
                }
                try FileSystem.rename(path, old.file.path)
                segments[i] = try Segment(path: old.file.path, baseOffset: old.baseOffset,
                                          indexIntervalBytes: config.indexIntervalBytes, validate: false,
                                          nowMs: old.createdMs) { _ in }
                unsyncedSealed.removeAll { $0 === old }
            }
            if !deleted {
                // The checkpoint's own write syncs the directory, which makes the renames durable too.
                try FileSystem.writeAtomically(directory + "/" + Self.cleanerCheckpointFile, contents: String(last.nextOffset))
            }
        }
        return result
    }

    /// A compacted topic keeps the latest record per key, so a record without a key has no place in
    /// it: Kafka refuses such batches, and so do we.
    func requireKeys(_ batch: RecordBatch) throws {
        do {
            try batch.forEachRecordSummary { r in
                if r.key == nil {
                    throw AppendError(.invalidRecord, "Compacted topic cannot accept message without key (offset delta \(r.offset - batch.header.baseOffset))")
                }
            }
        } catch let e as AppendError {
            throw e
        } catch {
            throw AppendError(.corruptMessage, "record batch: \(error)")
        }
    }

    /// The offset below which the log was compacted by the last cleaning (0 before any).
    func cleanerCheckpoint() -> Int64 {
        guard let text = try? FileSystem.readText(directory + "/" + Self.cleanerCheckpointFile) else { return 0 }
        return Int64(text.filter { !$0.isWhitespace }) ?? 0
    }
}
