import KafkaProtocol

/// ListOffsets across partitions: one request per leader, retried on leadership changes.
enum OffsetLookup {
    static func listOffsets(
        cluster: KafkaCluster, _ wanted: [(TopicPartition, OffsetSpec)], isolationLevel: Int8
    ) async throws -> [TopicPartition: (offset: Int64, timestampMs: Int64)] {
        if wanted.isEmpty { return [:] }
        return try await cluster.withRetry("ListOffsets") {
            let md = try await cluster.metadata(for: Array(Set(wanted.map(\.0.topic))))
            var byLeader: [Int32: [(TopicPartition, OffsetSpec)]] = [:]
            for (tp, spec) in wanted {
                guard md.topics[tp.topic]?.partitions.contains(where: { $0.partition == tp.partition }) == true else {
                    throw KafkaClientError.unknownPartition(topic: tp.topic, partition: tp.partition)
                }
                guard let leader = md.leader(of: tp) else {
                    throw KafkaClientError.broker(.leaderNotAvailable, context: "leader of \(tp)", message: nil)
                }
                byLeader[leader, default: []].append((tp, spec))
            }
            var out: [TopicPartition: (offset: Int64, timestampMs: Int64)] = [:]
            try await withThrowingTaskGroup(of: [TopicPartition: (offset: Int64, timestampMs: Int64)].self) { group in
                for (leader, items) in byLeader {
                    group.addTask {
                        let c = try await cluster.connection(toNode: leader)
                        return try await listOffsets(on: c, items, isolationLevel: isolationLevel)
                    }
                }
                for try await part in group { out.merge(part) { a, _ in a } }
            }
            return out
        }
    }

    private static func listOffsets(
        on c: BrokerConnection, _ items: [(TopicPartition, OffsetSpec)], isolationLevel: Int8
    ) async throws -> [TopicPartition: (offset: Int64, timestampMs: Int64)] {
        var request = ListOffsetsRequest()
        request.replicaId = -1
        request.isolationLevel = isolationLevel
        var topicIndex: [String: Int] = [:]
        for (tp, spec) in items {
            var p = ListOffsetsRequest.ListOffsetsPartition()
            p.partitionIndex = tp.partition
            p.timestamp = spec.wireTimestamp
            if let i = topicIndex[tp.topic] {
                request.topics[i].partitions.append(p)
            } else {
                var t = ListOffsetsRequest.ListOffsetsTopic()
                t.name = tp.topic
                t.partitions = [p]
                topicIndex[tp.topic] = request.topics.count
                request.topics.append(t)
            }
        }
        let version = try c.version(for: .listOffsets)
        request.timeoutMs = 30_000
        let response = try await c.request(request, version: version)
        var out: [TopicPartition: (offset: Int64, timestampMs: Int64)] = [:]
        for t in response.topics {
            for p in t.partitions {
                let tp = TopicPartition(t.name, p.partitionIndex)
                if let e = KafkaClientError.check(p.errorCode, "listing offsets of \(tp)") { throw e }
                let offset = version == 0 ? (p.oldStyleOffsets.first ?? -1) : p.offset
                out[tp] = (offset, p.timestamp)
            }
        }
        return out
    }
}
