import KafkaProtocol
import LogStorage
import NIOCore

/// The compacted internal topic `__consumer_offsets`: where committed offsets and group
/// metadata are written, and read back when the broker starts.
final class OffsetsTopic: @unchecked Sendable {
    static let name = "__consumer_offsets"
    /// How much of a partition one read brings in while loading.
    static let loadReadBytesMax = 1 << 20

    let topic: Topic

    /// Finds the topic or creates it (compacted, as Kafka does).
    init(registry: TopicRegistry, config: GroupConfig) throws {
        if let existing = registry.topic(Self.name) {
            topic = existing
            return
        }
        let overrides = ["cleanup.policy": "compact", "segment.bytes": String(config.offsetsTopicSegmentBytes)]
        do {
            guard let created = try registry.create(name: Self.name, partitions: config.offsetsTopicPartitions, overrides: overrides) else {
                throw TopicRegistry.TopicError(code: .unknownServerError, message: "creating \(Self.name) returned nothing")
            }
            topic = created
        } catch let error as TopicRegistry.TopicError where error.code == .topicAlreadyExists {
            guard let existing = registry.topic(Self.name) else { throw error }
            topic = existing
        }
    }

    /// The partition holding a group's records: Kafka's choice, the absolute value of the Java
    /// string hash of the group id modulo the partition count.
    func partition(for groupId: String) -> PartitionLog {
        let logs = topic.partitions
        return logs[Int(Self.partitionIndex(groupId, count: Int32(logs.count)))]
    }

    static func partitionIndex(_ groupId: String, count: Int32) -> Int32 {
        var h: Int32 = 0
        for unit in groupId.utf16 { h = h &* 31 &+ Int32(unit) }
        // Kafka's Utils.abs maps Int.min to 0 by masking the sign bit.
        return (h & 0x7fff_ffff) % max(count, 1)
    }

    /// Appends records of one group as one batch; returns the log and the offset after the batch.
    func append(_ records: [OffsetsTopicRecord], groupId: String, nowMs: Int64) throws -> (PartitionLog, Int64) {
        var builder = RecordBatchBuilder()
        for r in records { builder.append(key: r.key, value: r.value, timestamp: nowMs) }
        let log = partition(for: groupId)
        let result = try log.append(try builder.build(), nowMs: nowMs)
        return (log, result.lastOffset + 1)
    }

    /// Reads every partition from its start and calls `apply` with each record in log order.
    /// Records that cannot be decoded are reported through `problem` and skipped.
    func load(_ apply: (OffsetsTopicRecord) -> Void, problem: (String) -> Void) throws {
        for (index, log) in topic.partitions.enumerated() {
            var offset = log.logStartOffset
            let end = log.logEndOffset
            while offset < end {
                guard case .records(let bytes) = try log.read(from: offset, maxBytes: Self.loadReadBytesMax),
                      bytes.readableBytes > 0 else { break }
                var next = offset
                try RecordBatches.forEach(in: bytes, trailing: .ignorePartial) { batch in
                    next = batch.header.lastOffset + 1
                    if batch.header.isControl { return }
                    do {
                        try batch.forEachRecord { record in
                            do {
                                if let decoded = try OffsetsTopicRecord.decode(key: record.key ?? ByteBuffer(), value: record.value) {
                                    apply(decoded)
                                }
                            } catch {
                                problem("\(Self.name)-\(index) offset \(batch.header.baseOffset + Int64(record.offsetDelta)): \(error)")
                            }
                        }
                    } catch {
                        problem("\(Self.name)-\(index) batch at \(batch.header.baseOffset): \(error)")
                    }
                }
                guard next > offset else {
                    throw TopicRegistry.TopicError(code: .corruptMessage, message: "\(Self.name)-\(index): no progress reading at offset \(offset)")
                }
                offset = next
            }
        }
    }
}
