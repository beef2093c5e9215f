import KafkaProtocol
import LogStorage

extension Broker {
    /// The error code and message an admin request answers with: the code a registry or log error
    /// names, else KAFKA_STORAGE_ERROR (the only other way these operations fail is the disk).
    func adminError(_ error: Error) -> (code: Int16, message: String?) {
        if let e = error as? TopicRegistry.TopicError { return (e.code.rawValue, e.message) }
        if let e = error as? AppendError { return (e.code.rawValue, e.message) }
        return (ErrorCode.kafkaStorageError.rawValue, "\(error)")
    }

    func handleCreateTopics(_ request: CreateTopicsRequest, _ ctx: RequestContext) {
        var response = CreateTopicsResponse()
        response.topics = request.topics.map { t in
            var result = CreateTopicsResponse.CreatableTopicResult()
            result.name = t.name
            result.numPartitions = -1
            result.replicationFactor = -1
            let partitions = !t.assignments.isEmpty ? Int32(t.assignments.count) : (t.numPartitions == -1 ? config.numPartitions : t.numPartitions)
            if t.replicationFactor > 1 || t.assignments.contains(where: { $0.brokerIds.count > 1 }) {
                result.errorCode = ErrorCode.invalidReplicationFactor.rawValue
                result.errorMessage = "replication factor \(t.replicationFactor) is larger than the 1 available broker"
                return result
            }
            var overrides: [String: String] = [:]
            for c in t.configs { if let v = c.value { overrides[c.name] = v } }
            do {
                let created = try registry.create(name: t.name, partitions: partitions, overrides: overrides, validateOnly: request.validateOnly)
                result.numPartitions = partitions
                result.replicationFactor = 1
                if let created {
                    result.topicId = created.id
                    logger.info("created topic \(t.name) with \(partitions) partitions")
                }
                if ctx.version >= 5 {
                    let effective = created.map { registry.effectiveConfigs(of: $0) } ?? []
                    result.configs = effective.map { c in
                        var entry = CreateTopicsResponse.CreatableTopicConfigs()
                        entry.name = c.name
                        entry.value = c.value
                        entry.configSource = c.isOverride ? ConfigSource.dynamicTopic : ConfigSource.defaultConfig
                        return entry
                    }
                }
            } catch {
                (result.errorCode, result.errorMessage) = adminError(error)
            }
            return result
        }
        ctx.reply(response)
    }

    func handleDeleteTopics(_ request: DeleteTopicsRequest, _ ctx: RequestContext) {
        var response = DeleteTopicsResponse()
        // v0–5 name topics in topicNames; v6 in topics, by name or id.
        let wanted: [(String?, Uuid)] = ctx.version >= 6 ? request.topics.map { ($0.name, $0.topicId) } : request.topicNames.map { ($0, Uuid.zero) }
        response.responses = wanted.map { name, id in
            var result = DeleteTopicsResponse.DeletableTopicResult()
            result.name = name
            result.topicId = id
            guard config.deleteTopicEnable else {
                result.errorCode = ErrorCode.topicDeletionDisabled.rawValue
                return result
            }
            guard let topic = name.flatMap({ registry.topic($0) }) ?? (id.isZero ? nil : registry.topic(id: id)) else {
                result.errorCode = (name == nil ? ErrorCode.unknownTopicId : .unknownTopicOrPartition).rawValue
                return result
            }
            result.name = topic.name
            result.topicId = topic.id
            do {
                try registry.delete(name: topic.name)
                groups.removeOffsets(ofTopic: topic.name)  // a topic created again starts with no commits
                logger.info("deleted topic \(topic.name)")
            } catch {
                (result.errorCode, result.errorMessage) = adminError(error)
            }
            return result
        }
        ctx.reply(response)
    }

    func handleCreatePartitions(_ request: CreatePartitionsRequest, _ ctx: RequestContext) {
        var response = CreatePartitionsResponse()
        response.results = request.topics.map { t in
            var result = CreatePartitionsResponse.CreatePartitionsTopicResult()
            result.name = t.name
            do {
                try registry.addPartitions(name: t.name, count: t.count, validateOnly: request.validateOnly)
            } catch {
                (result.errorCode, result.errorMessage) = adminError(error)
            }
            return result
        }
        ctx.reply(response)
    }

    func handleDeleteRecords(_ request: DeleteRecordsRequest, _ ctx: RequestContext) {
        var response = DeleteRecordsResponse()
        response.topics = request.topics.map { t in
            var topicResult = DeleteRecordsResponse.DeleteRecordsTopicResult()
            topicResult.name = t.name
            let topic = registry.topic(t.name)
            topicResult.partitions = t.partitions.map { p in
                var result = DeleteRecordsResponse.DeleteRecordsPartitionResult()
                result.partitionIndex = p.partitionIndex
                result.lowWatermark = -1
                guard let log = topic?.partition(p.partitionIndex) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    return result
                }
                do {
                    result.lowWatermark = try log.deleteRecords(before: p.offset)
                } catch {
                    result.errorCode = adminError(error).code
                }
                return result
            }
            return topicResult
        }
        ctx.reply(response)
    }

    func handleOffsetForLeaderEpoch(_ request: OffsetForLeaderEpochRequest, _ ctx: RequestContext) {
        // One leader epoch (0) for the life of every partition on a single node: any epoch at or
        // after it ends at the log end.
        var response = OffsetForLeaderEpochResponse()
        response.topics = request.topics.map { t in
            var topicResult = OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult()
            topicResult.topic = t.topic
            let topic = registry.topic(t.topic)
            topicResult.partitions = t.partitions.map { p in
                var result = OffsetForLeaderEpochResponse.EpochEndOffset()
                result.partition = p.partition
                guard let log = topic?.partition(p.partition) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    result.leaderEpoch = -1
                    result.endOffset = -1
                    return result
                }
                if p.currentLeaderEpoch > 0 {
                    result.errorCode = ErrorCode.unknownLeaderEpoch.rawValue
                    result.leaderEpoch = -1
                    result.endOffset = -1
                    return result
                }
                result.leaderEpoch = p.leaderEpoch < 0 ? -1 : 0
                result.endOffset = p.leaderEpoch < 0 ? -1 : log.logEndOffset
                return result
            }
            return topicResult
        }
        ctx.reply(response)
    }

    func handleInitProducerId(_ request: InitProducerIdRequest, _ ctx: RequestContext) {
        var response = InitProducerIdResponse()
        response.producerId = -1
        response.producerEpoch = -1
        if request.transactionalId != nil {
            // Transactions come with the transaction coordinator; until then say so plainly.
            response.errorCode = ErrorCode.transactionalIdAuthorizationFailed.rawValue
        } else if request.producerId >= 0 {
            // A producer bumping its own epoch after an error (KIP-360).
            response.producerId = request.producerId
            response.producerEpoch = request.producerEpoch == Int16.max ? 0 : request.producerEpoch + 1
        } else {
            do {
                response.producerId = try producerIds.allocate()
                response.producerEpoch = 0
            } catch {
                logger.error("allocating a producer id failed: \(error)")
                response.errorCode = ErrorCode.kafkaStorageError.rawValue
            }
        }
        ctx.reply(response)
    }
}
