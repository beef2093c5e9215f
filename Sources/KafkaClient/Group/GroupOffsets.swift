import KafkaProtocol

/// OffsetFetch and OffsetCommit at a group's coordinator.
enum GroupOffsets {
    static func fetch(cluster: KafkaCluster, groupId: String, partitions: [TopicPartition]?) async throws -> [TopicPartition: Int64] {
        try await cluster.withRetry("OffsetFetch") {
            let c = try await cluster.coordinator(forGroup: groupId)
            let version = try c.version(for: .offsetFetch)
            var request = OffsetFetchRequest()
            request.groupId = groupId
            request.requireStable = true
            if let partitions {
                request.topics = TopicPartitions.group(partitions).map { t in
                    var r = OffsetFetchRequest.OffsetFetchRequestTopic()
                    r.name = t.topic
                    r.partitionIndexes = t.partitions
                    return r
                }
            } else {
                guard version >= 2 else {
                    throw KafkaClientError.invalidArgument("the broker's OffsetFetch v\(version) cannot list all partitions")
                }
                request.topics = nil
            }
            let response = try await c.request(request, version: version)
            if let e = KafkaClientError.check(response.errorCode, "fetching offsets of group '\(groupId)'") { throw e }
            var out: [TopicPartition: Int64] = [:]
            for t in response.topics {
                for p in t.partitions {
                    let tp = TopicPartition(t.name, p.partitionIndex)
                    if let e = KafkaClientError.check(p.errorCode, "fetching the offset of group '\(groupId)' for \(tp)") {
                        throw e
                    }
                    if p.committedOffset >= 0 { out[tp] = p.committedOffset }
                }
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
