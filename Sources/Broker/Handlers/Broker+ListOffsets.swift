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
    /// batch's records (decompressed if need be) are walked to the exact one.
    func offsetForTimestamp(_ log: PartitionLog, _ target: Int64) throws -> (Int64, Int64)? {
        guard let (bytes, _) = try log.batch(atOrAfterTimestamp: target) else { return nil }
        let batch = try RecordBatch(bytes)
        let header = batch.header
        if header.timestampType == .logAppendTime {
            // Every record carries the batch's append time.
            return (max(header.baseOffset, log.logStartOffset), header.maxTimestamp)
        }
        var found: (Int64, Int64)?
        let start = log.logStartOffset
        try batch.forEachRecord { record in
            let ts = header.baseTimestamp + record.timestampDelta
            let offset = header.baseOffset + Int64(record.offsetDelta)
            if found == nil, ts >= target, offset >= start { found = (offset, ts) }
        }
        return found
    }
}
