import KafkaProtocol

/// OffsetFetch and OffsetCommit at a group's coordinator.
enum GroupOffsets {
    static func fetch(cluster: KafkaCluster, groupId: String, partitions: [TopicPartition]?) async throws -> [TopicPartition: Int64] {
        try await cluster.withRetry("OffsetFetch") {
            let c = try await cluster.coordinator(forGroup: groupId)
            let version = try c.version(for: .offsetFetch)
            if partitions == nil && version < 2 {
                throw KafkaClientError.invalidArgument("the broker's OffsetFetch v\(version) cannot list all partitions")
            }
            let wanted = partitions.map { TopicPartitions.group($0) }
            var request = OffsetFetchRequest()
            request.requireStable = true
            if version >= 8 {
                // From v8 a request names groups, each with its topics (nil: every committed partition).
                var group = OffsetFetchRequest.OffsetFetchRequestGroup()
                group.groupId = groupId
                group.topics = wanted.map { $0.map { t in
                    var r = OffsetFetchRequest.OffsetFetchRequestTopics()
                    r.name = t.topic
                    r.partitionIndexes = t.partitions
                    return r
                } }
                request.groups = [group]
            } else {
                request.groupId = groupId
                request.topics = wanted.map { $0.map { t in
                    var r = OffsetFetchRequest.OffsetFetchRequestTopic()
                    r.name = t.topic
                    r.partitionIndexes = t.partitions
                    return r
                } }
            }
            let response = try await c.request(request, version: version)
            let context = "fetching offsets of group '\(groupId)'"
            var committed: [(tp: TopicPartition, offset: Int64, errorCode: Int16)] = []
            if version >= 8 {
                guard let group = response.groups.first(where: { $0.groupId == groupId }) else {
                    throw KafkaClientError.protocolViolation(broker: "\(c.address)", detail: "OffsetFetch answer without group '\(groupId)'")
                }
                if let e = KafkaClientError.check(group.errorCode, context) { throw e }
                for t in group.topics {
                    for p in t.partitions { committed.append((TopicPartition(t.name, p.partitionIndex), p.committedOffset, p.errorCode)) }
                }
            } else {
                if let e = KafkaClientError.check(response.errorCode, context) { throw e }
                for t in response.topics {
                    for p in t.partitions { committed.append((TopicPartition(t.name, p.partitionIndex), p.committedOffset, p.errorCode)) }
                }
            }
            var out: [TopicPartition: Int64] = [:]
            for (tp, offset, errorCode) in committed {
                if let e = KafkaClientError.check(errorCode, "fetching the offset of group '\(groupId)' for \(tp)") { throw e }
                if offset >= 0 { out[tp] = offset }
            }
            return out
        }
    }

    static func commit(cluster: KafkaCluster, groupId: String, generationId: Int32, memberId: String,
                       groupInstanceId: String? = nil, offsets: [TopicPartition: Int64]) async throws {
        if offsets.isEmpty { return }
        try await cluster.withRetry("OffsetCommit") {
            let c = try await cluster.coordinator(forGroup: groupId)
            var request = OffsetCommitRequest()
            request.groupId = groupId
            request.generationIdOrMemberEpoch = generationId
            request.memberId = memberId
            request.groupInstanceId = groupInstanceId
            let grouped = Dictionary(grouping: offsets, by: { $0.key.topic })
            request.topics = grouped.keys.sorted().map { topic in
                var t = OffsetCommitRequest.OffsetCommitRequestTopic()
                t.name = topic
                t.partitions = grouped[topic]!.sorted { $0.key.partition < $1.key.partition }.map { tp, offset in
                    var p = OffsetCommitRequest.OffsetCommitRequestPartition()
                    p.partitionIndex = tp.partition
                    p.committedOffset = offset
                    p.committedMetadata = ""
                    return p
                }
                return t
            }
            let response = try await c.request(request)
            for t in response.topics {
                for p in t.partitions {
                    if let e = KafkaClientError.check(p.errorCode, "committing offsets of group '\(groupId)' for \(t.name)[\(p.partitionIndex)]") {
                        throw e
                    }
                }
            }
        }
    }
}
