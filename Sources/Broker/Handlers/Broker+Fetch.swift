import KafkaProtocol
import LogStorage
import NIOCore

extension Broker {
    /// A partition a fetch reads, resolved once.
    struct FetchTarget {
        var topicIndex: Int
        var log: PartitionLog?
        var error: ErrorCode
        var request: FetchRequest.FetchPartition
    }

    func handleFetch(_ request: FetchRequest, _ ctx: RequestContext) {
        // Fetch sessions (KIP-227) are optional for a broker: we answer every fetch in full with
        // session id 0, which tells clients to keep sending full requests.
        if request.sessionId != 0 {
            var response = FetchResponse()
            response.errorCode = ErrorCode.fetchSessionIdNotFound.rawValue
            ctx.reply(response)
            return
        }
        let usesIds = ctx.version >= 13
        var topics: [FetchResponse.FetchableTopicResponse] = []
        var targets: [FetchTarget] = []
        for topicRequest in request.topics {
            let topic = usesIds ? registry.topic(id: topicRequest.topicId) : registry.topic(topicRequest.topic)
            var header = FetchResponse.FetchableTopicResponse()
            header.topic = topicRequest.topic
            header.topicId = topicRequest.topicId
            topics.append(header)
            for p in topicRequest.partitions {
                let log = topic?.partition(p.partition)
                let error: ErrorCode = topic == nil ? (usesIds ? .unknownTopicId : .unknownTopicOrPartition)
                    : (log == nil ? .unknownTopicOrPartition : .none)
                targets.append(FetchTarget(topicIndex: topics.count - 1, log: log, error: error, request: p))
            }
        }

        let minBytes = Int(max(0, request.minBytes))
        let maxBytes = ctx.version >= 3 ? Int(max(0, request.maxBytes)) : Int.max
        let attempt: (Bool) -> Bool = { [self] final in
            let (response, bytes, hasError) = readFetch(topics: topics, targets: targets, maxBytes: maxBytes)
            guard final || hasError || bytes >= minBytes else { return false }
            ctx.reply(response)
            return true
        }
        if attempt(request.maxWaitMs <= 0) { return }
        let logs = targets.compactMap(\.log)
        fetchWaiters.park(logs: logs, eventLoop: ctx.eventLoop, maxWaitMs: Int64(request.maxWaitMs), attempt: attempt)
    }

    /// Reads every target within the response's byte budget. The first batch read is always
    /// returned whole, even past the budget, so a consumer can get past a large batch.
    private func readFetch(topics: [FetchResponse.FetchableTopicResponse], targets: [FetchTarget], maxBytes: Int)
        -> (FetchResponse, Int, Bool)
    {
        var response = FetchResponse()
        response.responses = topics
        var budget = maxBytes
        var total = 0
        var hasError = false
        for target in targets {
            var data = FetchResponse.PartitionData()
            data.partitionIndex = target.request.partition
            data.abortedTransactions = []
            data.preferredReadReplica = -1
            defer { response.responses[target.topicIndex].partitions.append(data) }
            guard let log = target.log, !log.isDeleted else {
                data.errorCode = (target.log == nil ? target.error : .unknownTopicOrPartition).rawValue
                data.highWatermark = -1
                data.lastStableOffset = -1
                data.logStartOffset = -1
                hasError = true
                continue
            }
            let end = log.logEndOffset
            data.highWatermark = end
            data.lastStableOffset = end
            data.logStartOffset = log.logStartOffset
            // Both limits are soft for the first batch of the response, which always comes whole.
            let limit = min(budget, Int(max(0, target.request.partitionMaxBytes)))
            guard limit > 0 || total == 0 else { data.records = ByteBuffer(); continue }
            do {
                switch try log.read(from: target.request.fetchOffset, maxBytes: max(limit, 1)) {
                case .offsetOutOfRange:
                    data.errorCode = ErrorCode.offsetOutOfRange.rawValue
                    hasError = true
                case .records(let bytes):
                    data.records = bytes
                    total += bytes.readableBytes
                    budget -= bytes.readableBytes
                }
            } catch {
                logger.error("fetch from \(log.directory) failed: \(error)")
                data.errorCode = ErrorCode.kafkaStorageError.rawValue
                hasError = true
            }
        }
        return (response, total, hasError)
    }
}
