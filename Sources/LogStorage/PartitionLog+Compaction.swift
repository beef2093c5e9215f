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
    static let tombstoneHorizonsFile = "cleaner-tombstone-horizons"

    /// Compaction (cleanup.policy=compact): keeps only the latest record of each key in the sealed
    /// segments, as Kafka's log cleaner does. The active segment is never touched, so the newest
    /// records of a key may sit beside older ones until it rolls.
    ///
    /// Runs when the bytes written since the last cleaning make up at least min.cleanable.dirty.ratio
    /// of the cleanable ones, or tombstones are due to go (`force`: in any case). Records keep their offsets (batches keep
    /// their base offset and last offset delta, so producer state and consumer positions hold);
    /// records without a key are dropped; a producer's last batch stays, emptied if need be; a
    /// tombstone stays until delete.retention.ms after the cleaning that first kept it. Segments
    /// younger than min.compaction.lag.ms wait.
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
        // A segment without timestamps (all its records cleaned away) is old enough by definition.
        let cleanable = snapshot.segments.prefix { s in lag <= 0 || s.maxTimestamp < 0 || nowMs - s.maxTimestamp >= lag }
        guard let last = cleanable.last else { return nil }
        let total = cleanable.reduce(0) { $0 + $1.size }
        let dirty = cleanable.filter { $0.baseOffset >= snapshot.firstDirty }.reduce(0) { $0 + $1.size }
        var horizons = lock.withLock { tombstoneHorizons() }
        // Tombstones whose time has come are a reason to clean even without new data.
        let tombstonesDue = cleanable.contains { s in horizons[s.baseOffset].map { nowMs >= $0 } ?? false }
        let dirtyEnough = dirty > 0 && Double(dirty) / Double(total) >= config.minCleanableDirtyRatio
        guard total > 0, force || tombstonesDue || dirtyEnough else { return nil }

        // The offset of every key's latest record in the cleanable segments, and each producer's last
        // batch there (kept, emptied if need be, so that its sequence survives as in Kafka).
        var latest: [[UInt8]: Int64] = [:]
        var producersLastBatch: [Int64: Int64] = [:]
        for segment in cleanable {
            try segment.forEachBatch { batch in
                try Self.requireIntact(batch, in: segment)
                let h = batch.header
                if h.producerId >= 0 { producersLastBatch[h.producerId] = h.baseOffset }
                guard !h.isControl else { return }
                try batch.forEachRecordSummary { r in
                    if let key = r.key { latest[Array(key), default: -1] = r.offset }
                }
            }
        }
        var horizonsChanged = false

        var result = CompactionResult(segmentsCleaned: 0, recordsRemoved: 0, bytesBefore: 0, bytesAfter: 0)
        var rewritten: [(old: Segment, path: String)] = []
        for segment in cleanable {
            // Tombstones stay delete.retention.ms after the cleaning that first saw them (KIP-534),
            // so that a consumer behind still sees the deletion whatever the records' timestamps.
            let horizon = horizons[segment.baseOffset]
            let dropTombstones = horizon.map { nowMs >= $0 } ?? false
            var keptTombstone = false
            let path = segment.file.path + Self.cleanedSuffix
            let out = try LogFile(path: path, create: true)
            try out.truncate(to: 0)
            var written = 0
            var removed = 0
            try segment.forEachBatch { batch in
                try Self.requireIntact(batch, in: segment)
                let h = batch.header
                var keep = batch
                if !h.isControl {
                    let producersLast = h.producerId >= 0 && producersLastBatch[h.producerId] == h.baseOffset
                    guard let kept = try batch.retaining(keepEmpty: producersLast, { r in
                        guard let key = r.key, latest[Array(key)] == r.offset else { removed += 1; return false }
                        if r.isTombstone {
                            if dropTombstones { removed += 1; return false }
                            keptTombstone = true
                        }
                        return true
                    }) else { return }
                    keep = kept
                }
                try out.write(keep.bytes, at: written)
                written += keep.bytes.readableBytes
            }
            if keptTombstone && horizon == nil {
                horizons[segment.baseOffset] = nowMs + config.deleteRetentionMs
                horizonsChanged = true
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

        // The new segments' indexes are built before taking the lock; the swap itself is a rename.
        let replacements = try rewritten.map { old, path in
            (old, try Segment(path: path, baseOffset: old.baseOffset, indexIntervalBytes: config.indexIntervalBytes,
                              validate: false, nowMs: old.createdMs) { _ in })
        }
        try lock.withLock {
            for (old, new) in replacements {
                // Retention or DeleteRecords may have removed the segment meanwhile.
                guard !deleted, let i = segments.firstIndex(where: { $0 === old }) else {
                    try? FileSystem.remove(new.file.path)
                    continue
                }
                try new.file.move(to: old.file.path)
                segments[i] = new
                unsyncedSealed.removeAll { $0 === old }
            }
            if !deleted {
                if horizonsChanged {
                    let live = Set(segments.map(\.baseOffset))
                    let lines = horizons.filter { live.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                    try FileSystem.writeAtomically(directory + "/" + Self.tombstoneHorizonsFile, contents: lines.joined(separator: "\n"))
                }
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

    /// A batch the cleaner reads must be whole: rewriting it would give corrupt bytes a fresh CRC.
    static func requireIntact(_ batch: RecordBatch, in segment: Segment) throws {
        guard batch.isCRCValid else {
            throw StorageError("\(segment.file.path): the batch at offset \(batch.header.baseOffset) fails its CRC; not cleaning this log")
        }
    }

    /// Per segment (by base offset), the time after which its tombstones may go: set by the first
    /// cleaning that kept a tombstone there, to that time + delete.retention.ms.
    func tombstoneHorizons() -> [Int64: Int64] {
        guard let text = try? FileSystem.readText(directory + "/" + Self.tombstoneHorizonsFile) else { return [:] }
        var out: [Int64: Int64] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let base = Int64(parts[0]), let at = Int64(parts[1]) { out[base] = at }
        }
        return out
    }

    /// The offset below which the log was compacted by the last cleaning (0 before any).
    func cleanerCheckpoint() -> Int64 {
        guard let text = try? FileSystem.readText(directory + "/" + Self.cleanerCheckpointFile) else { return 0 }
        return Int64(text.filter { !$0.isWhitespace }) ?? 0
    }
}
