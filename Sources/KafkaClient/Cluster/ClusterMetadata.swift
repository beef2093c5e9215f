import KafkaProtocol

/// A topic and one of its partitions.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic == b.topic ? a.partition < b.partition : a.topic < b.topic
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// One partition as metadata describes it.
public struct PartitionMetadata: Sendable, Equatable {
    public var partition: Int32
    /// The leader's node id, -1 when there is none right now.
    public var leader: Int32
    public var leaderEpoch: Int32
    public var replicas: [Int32]
    public var isr: [Int32]
    public var offlineReplicas: [Int32]
    /// A Kafka error code for this partition (0 = none).
    public var errorCode: Int16
}

/// One topic as metadata describes it; partitions sorted by index.
public struct TopicMetadata: Sendable, Equatable {
    public var name: String
    public var topicId: Uuid
    public var isInternal: Bool
    public var partitions: [PartitionMetadata]
    /// A Kafka error code for the topic (0 = none).
    public var errorCode: Int16
}

/// A snapshot of the cluster: brokers, topics and their partitions' leaders.
public struct ClusterMetadata: Sendable {
    public var clusterId: String?
    public var controllerId: Int32
    public var brokers: [Int32: BrokerAddress]
    public var topics: [String: TopicMetadata]

    public init(clusterId: String? = nil, controllerId: Int32 = -1, brokers: [Int32: BrokerAddress] = [:],
                topics: [String: TopicMetadata] = [:]) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
        self.topics = topics
    }

    /// Reads a Metadata response.
    public init(_ response: MetadataResponse) {
        clusterId = response.clusterId
        controllerId = response.controllerId
        brokers = [:]
        for b in response.brokers { brokers[b.nodeId] = BrokerAddress(host: b.host, port: Int(b.port)) }
        topics = [:]
        for t in response.topics {
            guard let name = t.name else { continue }
            let parts = t.partitions.map {
                PartitionMetadata(partition: $0.partitionIndex, leader: $0.leaderId, leaderEpoch: $0.leaderEpoch,
                                  replicas: $0.replicaNodes, isr: $0.isrNodes, offlineReplicas: $0.offlineReplicas,
                                  errorCode: $0.errorCode)
            }.sorted { $0.partition < $1.partition }
            topics[name] = TopicMetadata(name: name, topicId: t.topicId, isInternal: t.isInternal, partitions: parts,
                                         errorCode: t.errorCode)
        }
    }

    /// Merges a response about some topics into this snapshot (brokers are replaced).
    mutating func merge(_ other: ClusterMetadata) {
        clusterId = other.clusterId ?? clusterId
        controllerId = other.controllerId
        if !other.brokers.isEmpty { brokers = other.brokers }
        for (name, t) in other.topics {
            if t.errorCode == ErrorCode.unknownTopicOrPartition.rawValue {
                topics.removeValue(forKey: name)
            } else {
                topics[name] = t
            }
        }
    }

    /// The leader of a partition, when known.
    public func leader(of tp: TopicPartition) -> Int32? {
        guard let t = topics[tp.topic], let p = t.partitions.first(where: { $0.partition == tp.partition }),
              p.leader >= 0 else { return nil }
        return p.leader
    }

    /// The number of partitions of a topic, when known.
    public func partitionCount(_ topic: String) -> Int? {
        guard let t = topics[topic], t.errorCode == 0, !t.partitions.isEmpty else { return nil }
        return t.partitions.count
    }
}
