import KafkaProtocol
import LogStorage
import NIOConcurrencyHelpers
import NIOCore

extension Broker {
    /// Finds a topic, creating it with the default partition count when `autoCreate`
    /// (auto.create.topics.enable, for Metadata and Produce).
    func topic(named name: String, autoCreate: Bool) -> (Topic?, ErrorCode) {
        if let t = registry.topic(name) { return (t, .none) }
        guard autoCreate else {
            return (nil, Topic.validateName(name) == nil ? .unknownTopicOrPartition : .invalidTopicException)
        }
        do {
            let created = try registry.create(name: name, partitions: config.numPartitions, overrides: [:])
            logger.info("auto-created topic \(name) with \(config.numPartitions) partitions")
            return (created, .none)
        } catch let error as TopicRegistry.TopicError {
            // Another connection may have created it a moment ago.
            if error.code == .topicAlreadyExists, let t = registry.topic(name) { return (t, .none) }
            return (nil, error.code)
        } catch {
            logger.error("auto-creating topic \(name) failed: \(error)")
            return (nil, .kafkaStorageError)
        }
    }

    func handleProduce(_ request: ProduceRequest, _ ctx: RequestContext) {
        var response = ProduceResponse()
        let acks = request.acks
        let now = clock()
        // Logs written to, and how far each must be durable before acks=all is answered.
        var durableTargets: [(PartitionLog, Int64)] = []

        for topicData in request.topicData {
            var topicResponse = ProduceResponse.TopicProduceResponse()
            topicResponse.name = topicData.name
            let (topic, topicError) = self.topic(named: topicData.name, autoCreate: config.autoCreateTopics)
            for partitionData in topicData.partitionData {
                var result = ProduceResponse.PartitionProduceResponse()
                result.index = partitionData.index
                result.baseOffset = -1
                defer { topicResponse.partitionResponses.append(result) }

                if acks != 0 && acks != 1 && acks != -1 {
                    result.errorCode = ErrorCode.invalidRequiredAcks.rawValue
                    continue
                }
                if request.transactionalId != nil {
                    result.errorCode = ErrorCode.transactionalIdAuthorizationFailed.rawValue
                    result.errorMessage = "transactions are not supported yet"
                    continue
                }
                guard let topic else { result.errorCode = topicError.rawValue; continue }
                guard let log = topic.partition(partitionData.index) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    continue
                }
                guard let records = partitionData.records else {
                    result.errorCode = ErrorCode.invalidRecord.rawValue
                    result.errorMessage = "the request carries no records"
                    continue
                }
                do {
                    let appended = try log.append(records, nowMs: now)
                    result.baseOffset = appended.firstOffset
                    result.logAppendTimeMs = appended.logAppendTimeMs
                    result.logStartOffset = appended.logStartOffset
                    if !appended.duplicate {
                        fetchWaiters.notify(log)
                        durableTargets.append((log, appended.lastOffset + 1))
                    }
                } catch let error as AppendError {
                    result.errorCode = error.code.rawValue
                    result.errorMessage = error.message
                    if error.code == .corruptMessage || error.code == .invalidRecord {
                        result.recordErrors = [{ var e = ProduceResponse.BatchIndexAndErrorMessage(); e.batchIndexErrorMessage = error.message; return e }()]
                    }
                } catch {
                    result.errorCode = ErrorCode.kafkaStorageError.rawValue
                    result.errorMessage = "\(error)"
                }
            }
            response.responses.append(topicResponse)
        }

        if acks == 0 {
            ctx.respond(nil)
            return
        }
        guard acks == -1, config.flushOnAcksAll, !durableTargets.isEmpty else {
            ctx.reply(response)
            return
        }
        // acks=all: answer once every written partition is durable (group commit).
        let remaining = NIOLockedValueBox(durableTargets.count)
        let failed = NIOLockedValueBox(false)
        let loop = ctx.eventLoop
        let answer = response
        for (log, offset) in durableTargets {
            flusher.whenDurable(log, below: offset) { error in
                if error != nil { failed.withLockedValue { $0 = true } }
                let left = remaining.withLockedValue { v -> Int in v -= 1; return v }
                guard left == 0 else { return }
                var final = answer
                if failed.withLockedValue({ $0 }) {
                    for t in final.responses.indices {
                        for p in final.responses[t].partitionResponses.indices where final.responses[t].partitionResponses[p].errorCode == 0 {
                            final.responses[t].partitionResponses[p].errorCode = ErrorCode.kafkaStorageError.rawValue
                        }
                    }
                }
                loop.execute { ctx.reply(final) }
            }
        }
    }
}
