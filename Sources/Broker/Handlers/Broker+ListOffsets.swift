import KafkaProtocol
import LogStorage
import NIOCore

extension Broker {
    /// The special timestamps of ListOffsets.
    enum OffsetSpec {
        static let latest: Int64 = -1
        static let earliest: Int64 = -2
        static let maxTimestamp: Int64 = -3
        static let earliestLocal: Int64 = -4
    }

    func handleListOffsets(_ request: ListOffsetsRequest, _ ctx: RequestContext) {
        var response = ListOffsetsResponse()
        response.topics = request.topics.map { topicRequest in
            var topicResponse = ListOffsetsResponse.ListOffsetsTopicResponse()
            topicResponse.name = topicRequest.name
            let topic = registry.topic(topicRequest.name)
            topicResponse.partitions = topicRequest.partitions.map { p in
                var result = ListOffsetsResponse.ListOffsetsPartitionResponse()
                result.partitionIndex = p.partitionIndex
                result.timestamp = -1
                result.offset = -1
                guard let log = topic?.partition(p.partitionIndex) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    return result
                }
                result.leaderEpoch = 0
                do {
                    switch p.timestamp {
                    case OffsetSpec.latest: result.offset = log.logEndOffset
                    case OffsetSpec.earliest, OffsetSpec.earliestLocal: result.offset = log.logStartOffset
                    case OffsetSpec.maxTimestamp:
                        let (offset, ts) = log.maxTimestampOffset()
                        result.offset = offset
                        result.timestamp = ts
                    case let target where target >= 0:
                        if let (offset, ts) = try offsetForTimestamp(log, target) {
                            result.offset = offset
                            result.timestamp = ts
                        }
                    default:
                        result.errorCode = ErrorCode.invalidRequest.rawValue
                    }
                } catch {
                    result.errorCode = ErrorCode.kafkaStorageError.rawValue
                }
                if ctx.version == 0 { result.oldStyleOffsets = result.offset >= 0 ? [result.offset] : [] }
                return result
            }
            return topicResponse
        }
        ctx.reply(response)
    }

    /// The first record at or after `target`: its batch comes from the log's time index, then the
    /// records of an uncompressed batch are walked to the exact one. (A compressed batch answers
    /// with its first offset: finding the record inside it needs the codec.)
    func offsetForTimestamp(_ log: PartitionLog, _ target: Int64) throws -> (Int64, Int64)? {
        guard let (batch, baseOffset) = try log.batch(atOrAfterTimestamp: target) else { return nil }
        let start = log.logStartOffset
        if let found = RecordTimestamps.firstRecord(in: batch, atOrAfter: target), found.offset >= start {
            return found
        }
        let maxTimestamp = batch.getInteger(at: batch.readerIndex + 35, as: Int64.self) ?? -1
        return (max(baseOffset, start), maxTimestamp)
    }
}

/// Walks the records of an uncompressed RecordBatch v2 for their offsets and timestamps.
enum RecordTimestamps {
    static func firstRecord(in batch: ByteBuffer, atOrAfter target: Int64) -> (offset: Int64, timestamp: Int64)? {
        var b = batch
        guard let baseOffset = b.getInteger(at: b.readerIndex, as: Int64.self),
              let attributes = b.getInteger(at: b.readerIndex + 21, as: Int16.self),
              let baseTimestamp = b.getInteger(at: b.readerIndex + 27, as: Int64.self),
              let count = b.getInteger(at: b.readerIndex + 57, as: Int32.self),
              attributes & 0x07 == 0, attributes & 0x08 == 0 else { return nil }
        b.moveReaderIndex(forwardBy: 61)
        for _ in 0..<max(0, Int(count)) {
            guard let length = b.readZigZagVarint(), length >= 0, var record = b.readSlice(length: Int(length)) else { return nil }
            _ = record.readInteger(as: Int8.self)
            guard let tsDelta = record.readZigZagVarint(), let offsetDelta = record.readZigZagVarint() else { return nil }
            let ts = baseTimestamp + tsDelta
            if ts >= target { return (baseOffset + offsetDelta, ts) }
        }
        return nil
    }
}

extension ByteBuffer {
    /// Reads a zigzag-encoded varlong (the record fields of RecordBatch v2).
    mutating func readZigZagVarint() -> Int64? {
        var raw: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let byte = readInteger(as: UInt8.self) else { return nil }
            raw |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1) }
            shift += 7
        }
        return nil
    }
}
