import KafkaProtocol
import LogStorage
import NIOConcurrencyHelpers
import NIOCore

extension Broker {
    /// OffsetCommit: checks the member's right to commit, writes the offsets to the offsets
    /// topic, and answers once they are durable (under the same flush policy as acks=all).
    func handleOffsetCommit(_ request: OffsetCommitRequest, _ ctx: RequestContext) {
        var response = OffsetCommitResponse()
        func answerAll(_ code: (TopicPartition) -> ErrorCode) -> OffsetCommitResponse {
            var r = OffsetCommitResponse()
            r.topics = request.topics.map { t in
                var rt = OffsetCommitResponse.OffsetCommitResponseTopic()
                rt.name = t.name
                rt.partitions = t.partitions.map { p in
                    var rp = OffsetCommitResponse.OffsetCommitResponsePartition()
                    rp.partitionIndex = p.partitionIndex
                    rp.errorCode = code(TopicPartition(t.name, p.partitionIndex)).rawValue
                    return rp
                }
                return rt
            }
            return r
        }
        let generation = ctx.version >= 1 ? request.generationIdOrMemberEpoch : -1
        let memberId = ctx.version >= 1 ? request.memberId : ""
        let instance = ctx.version >= 7 ? request.groupInstanceId : nil
        let now = groups.now
        let gc = groups.config
        let retention: Int64? = (2...4).contains(ctx.version) && request.retentionTimeMs > 0 ? request.retentionTimeMs : nil

        // Per partition: an error, or the offset to store.
        var accepted: [(TopicPartition, CommittedOffset)] = []
        var errors: [TopicPartition: ErrorCode] = [:]
        for t in request.topics {
            for p in t.partitions {
                let tp = TopicPartition(t.name, p.partitionIndex)
                if !groups.partitionExists(tp) { errors[tp] = .unknownTopicOrPartition; continue }
                let metadata = p.committedMetadata ?? ""
                if metadata.utf8.count > gc.offsetMetadataBytesMax { errors[tp] = .offsetMetadataTooLarge; continue }
                let commitTs = ctx.version == 1 && p.commitTimestamp >= 0 ? p.commitTimestamp : now
                accepted.append((tp, CommittedOffset(
                    offset: p.committedOffset, leaderEpoch: ctx.version >= 6 ? p.committedLeaderEpoch : -1, metadata: metadata,
                    commitTimestampMs: commitTs, expireTimestampMs: retention.map { commitTs + $0 })))
            }
        }

        let outcome = groups.withGroup(request.groupId, create: generation < 0, loop: ctx.eventLoop) { group -> (Result<(PartitionLog, Int64)?, ErrorCode>, [GroupAction]) in
            guard group != nil else { return (.failure(.illegalGeneration), []) }
            let code = group!.validateCommit(memberId: memberId, groupInstanceId: instance, generationId: generation, nowMs: now)
            guard code == .none else { return (.failure(code), []) }
            guard !accepted.isEmpty else { return (.success(nil), []) }
            do {
                let written = try groups.offsetsTopic.append(
                    accepted.map { .offset(group: request.groupId, $0.0, $0.1) }, groupId: request.groupId, nowMs: now)
                for (tp, o) in accepted { group!.store(tp, o) }
                return (.success(written), [])
            } catch {
                logger.error("writing offsets of group \(request.groupId) failed: \(error)")
                return (.failure(.kafkaStorageError), [])
            }
        }
        switch outcome {
        case .failure(let code):
            response = answerAll { errors[$0] ?? code }
            ctx.reply(response)
        case .success(nil):
            ctx.reply(answerAll { errors[$0] ?? .none })
        case .success(let (log, end)?):
            response = answerAll { errors[$0] ?? .none }
            guard config.flushOnAcksAll else { ctx.reply(response); return }
            let ok = response
            let failed = answerAll { errors[$0] ?? .kafkaStorageError }
            flusher.whenDurable(log, below: end) { error in ctx.reply(error == nil ? ok : failed) }
        }
    }

    /// OffsetFetch: a group's committed offsets (v8+: several groups). Partitions with no commit
    /// read as offset -1, as in Kafka.
    func handleOffsetFetch(_ request: OffsetFetchRequest, _ ctx: RequestContext) {
        var response = OffsetFetchResponse()
        if ctx.version >= 8 {
            response.groups = request.groups.map { g in
                let wanted = g.topics.map { ts in ts.map { ($0.name, $0.partitionIndexes) } }
                let (code, topics) = committedOffsets(groupId: g.groupId, wanted: wanted)
                var rg = OffsetFetchResponse.OffsetFetchResponseGroup()
                rg.groupId = g.groupId
                rg.errorCode = code.rawValue
                rg.topics = topics.map { t in
                    var rt = OffsetFetchResponse.OffsetFetchResponseTopics()
                    rt.name = t.name
                    rt.partitions = t.partitions.map { p in
                        var rp = OffsetFetchResponse.OffsetFetchResponsePartitions()
                        rp.partitionIndex = p.partition
                        rp.committedOffset = p.offset?.offset ?? -1
                        rp.committedLeaderEpoch = p.offset?.leaderEpoch ?? -1
                        rp.metadata = p.offset?.metadata ?? ""
                        return rp
                    }
                    return rt
                }
                return rg
            }
        } else {
            // v0 and v1 cannot ask for all topics: a null list only exists from v2.
            let wanted = request.topics.map { ts in ts.map { ($0.name, $0.partitionIndexes) } }
            let (code, topics) = committedOffsets(groupId: request.groupId, wanted: wanted)
            if ctx.version >= 2 { response.errorCode = code.rawValue }
            response.topics = topics.map { t in
                var rt = OffsetFetchResponse.OffsetFetchResponseTopic()
                rt.name = t.name
                rt.partitions = t.partitions.map { p in
                    var rp = OffsetFetchResponse.OffsetFetchResponsePartition()
                    rp.partitionIndex = p.partition
                    rp.committedOffset = p.offset?.offset ?? -1
                    rp.committedLeaderEpoch = p.offset?.leaderEpoch ?? -1
                    rp.metadata = p.offset?.metadata ?? ""
                    rp.errorCode = ctx.version < 2 ? code.rawValue : 0
                    return rp
                }
                return rt
            }
        }
        ctx.reply(response)
    }

    private struct FetchedTopic {
        var name: String
        var partitions: [(partition: Int32, offset: CommittedOffset?)]
    }

    /// The offsets asked for (nil: every committed offset of the group).
    private func committedOffsets(groupId: String, wanted: [(String, [Int32])]?) -> (ErrorCode, [FetchedTopic]) {
        if groupId.isEmpty && wanted == nil { return (.invalidGroupId, []) }
        let offsets = groups.group(groupId)?.offsets ?? [:]
        if let wanted {
            return (.none, wanted.map { name, parts in
                FetchedTopic(name: name, partitions: parts.map { ($0, offsets[TopicPartition(name, $0)]) })
            })
        }
        var byTopic: [String: [(Int32, CommittedOffset?)]] = [:]
        for (tp, o) in offsets { byTopic[tp.topic, default: []].append((tp.partition, o)) }
        return (.none, byTopic.keys.sorted().map { name in
            FetchedTopic(name: name, partitions: byTopic[name]!.sorted { $0.0 < $1.0 })
        })
    }

    /// OffsetDelete: forgets committed offsets of a group, refused for topics its members are
    /// subscribed to.
    func handleOffsetDelete(_ request: OffsetDeleteRequest, _ ctx: RequestContext) {
        var response = OffsetDeleteResponse()
        let now = groups.now
        let result = groups.withGroup(request.groupId, create: false, loop: ctx.eventLoop) { group -> ((ErrorCode, Set<String>), [GroupAction]) in
            guard group != nil, group!.state != .dead else { return ((.groupIdNotFound, []), []) }
            let subscribed = group!.subscribedTopics
            if group!.hasActiveMembers && subscribed == nil {
                // Members speak a protocol whose subscriptions we cannot read: refuse, as Kafka does.
                return ((.nonEmptyGroup, []), [])
            }
            let subscribedSet = subscribed ?? []
            var doomed: [TopicPartition] = []
            for t in request.topics where !subscribedSet.contains(t.name) {
                for p in t.partitions { doomed.append(TopicPartition(t.name, p.partitionIndex)) }
            }
            let gone = group!.deleteOffsets(doomed)
            if !gone.isEmpty {
                do {
                    _ = try groups.offsetsTopic.append(gone.map { .offset(group: request.groupId, $0, nil) }, groupId: request.groupId, nowMs: now)
                } catch {
                    logger.error("deleting offsets of group \(request.groupId) failed: \(error)")
                }
            }
            return ((.none, subscribedSet), [])
        }
        response.errorCode = result.0.rawValue
        if result.0 == .none {
            response.topics = request.topics.map { t in
                var rt = OffsetDeleteResponse.OffsetDeleteResponseTopic()
                rt.name = t.name
                rt.partitions = t.partitions.map { p in
                    var rp = OffsetDeleteResponse.OffsetDeleteResponsePartition()
                    rp.partitionIndex = p.partitionIndex
                    if result.1.contains(t.name) {
                        rp.errorCode = ErrorCode.groupSubscribedToTopic.rawValue
                    } else if !groups.partitionExists(TopicPartition(t.name, p.partitionIndex)) {
                        rp.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    }
                    return rp
                }
                return rt
            }
        }
        ctx.reply(response)
    }
}
