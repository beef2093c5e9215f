import KafkaProtocol
import NIOCore

/// Cluster administration: topics, configs, partitions, offsets and consumer groups.
public final class KafkaAdmin: Sendable {
    public let cluster: KafkaCluster
    private let ownsCluster: Bool

    public init(cluster: KafkaCluster) {
        self.cluster = cluster
        self.ownsCluster = false
    }

    /// An admin client with its own connections to `brokers` (`host:port,...`).
    public init(brokers: String, clientId: String = "tributary-admin") throws {
        var config = try ClientConfig(brokers: brokers)
        config.clientId = clientId
        self.cluster = KafkaCluster(config: config)
        self.ownsCluster = true
    }

    /// Closes connections this admin client opened.
    public func close() {
        if ownsCluster { cluster.close() }
    }

    /// The controller when metadata names one, else any broker: topic changes go there.
    func controllerConnection() async throws -> BrokerConnection {
        let md = try await cluster.refreshMetadata(topics: [])
        if md.controllerId >= 0, md.brokers[md.controllerId] != nil {
            return try await cluster.connection(toNode: md.controllerId)
        }
        return try await cluster.anyConnection()
    }

    // MARK: topics

    /// Creates topics; throws the first failure (e.g. TOPIC_ALREADY_EXISTS) with the broker's message.
    public func createTopics(_ topics: [NewTopic], validateOnly: Bool = false) async throws {
        let response = try await cluster.withRetry("CreateTopics") { () -> CreateTopicsResponse in
            let c = try await controllerConnection()
            var request = CreateTopicsRequest()
            request.timeoutMs = Int32(clamping: cluster.config.requestTimeoutMs)
            request.validateOnly = validateOnly
            request.topics = topics.map { t in
                var ct = CreateTopicsRequest.CreatableTopic()
                ct.name = t.name
                ct.numPartitions = t.partitions
                ct.replicationFactor = t.replicationFactor
                ct.configs = t.configs.sorted { $0.key < $1.key }.map { k, v in
                    var e = CreateTopicsRequest.CreatableTopicConfig()
                    e.name = k
                    e.value = v
                    return e
                }
                return ct
            }
            return try await c.request(request)
        }
        for r in response.topics {
            if let e = KafkaClientError.check(r.errorCode, "creating topic '\(r.name)'", message: r.errorMessage) { throw e }
        }
        _ = try? await cluster.refreshMetadata(topics: topics.map(\.name))
    }

    /// Deletes topics by name.
    public func deleteTopics(_ names: [String]) async throws {
        let response = try await cluster.withRetry("DeleteTopics") { () -> DeleteTopicsResponse in
            let c = try await controllerConnection()
            var request = DeleteTopicsRequest()
            request.timeoutMs = Int32(clamping: cluster.config.requestTimeoutMs)
            let version = try c.version(for: .deleteTopics)
            if version >= 6 {
                request.topics = names.map { n in
                    var s = DeleteTopicsRequest.DeleteTopicState()
                    s.name = n
                    return s
                }
            } else {
                request.topicNames = names
            }
            return try await c.request(request, version: version)
        }
        for r in response.responses {
            let name = r.name ?? r.topicId.description
            if r.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw KafkaClientError.unknownTopic(name) }
            if let e = KafkaClientError.check(r.errorCode, "deleting topic '\(name)'", message: r.errorMessage) { throw e }
        }
        cluster.invalidateMetadata()
    }

    /// Every topic (internal ones only when asked), sorted by name.
    public func listTopics(includeInternal: Bool = false) async throws -> [TopicMetadata] {
        let md = try await cluster.refreshMetadata(topics: nil)
        return md.topics.values.filter { includeInternal || !$0.isInternal }.sorted { $0.name < $1.name }
    }

    /// One topic's partitions, leaders and replicas.
    public func describeTopic(_ name: String) async throws -> TopicMetadata {
        let md = try await cluster.refreshMetadata(topics: [name])
        guard let t = md.topics[name], t.errorCode != ErrorCode.unknownTopicOrPartition.rawValue else {
            throw KafkaClientError.unknownTopic(name)
        }
        if let e = KafkaClientError.check(t.errorCode, "describing topic '\(name)'") { throw e }
        return t
    }

    /// A topic's configuration (resource type 2) or a broker's (type 4, name = node id).
    public func describeConfigs(topic: String) async throws -> [ConfigEntry] {
        try await describeConfigs(resourceType: 2, name: topic)
    }

    func describeConfigs(resourceType: Int8, name: String) async throws -> [ConfigEntry] {
        let response = try await cluster.withRetry("DescribeConfigs") { () -> DescribeConfigsResponse in
            let c = try await cluster.anyConnection()
            var request = DescribeConfigsRequest()
            var r = DescribeConfigsRequest.DescribeConfigsResource()
            r.resourceType = resourceType
            r.resourceName = name
            r.configurationKeys = nil
            request.resources = [r]
            return try await c.request(request)
        }
        guard let result = response.results.first else { return [] }
        if result.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw KafkaClientError.unknownTopic(name) }
        if let e = KafkaClientError.check(result.errorCode, "describing configs of '\(name)'", message: result.errorMessage) {
            throw e
        }
        return result.configs.map {
            ConfigEntry(name: $0.name, value: $0.value, isDefault: $0.isDefault || $0.configSource == 5,
                        isReadOnly: $0.readOnly, isSensitive: $0.isSensitive, source: $0.configSource)
        }.sorted { $0.name < $1.name }
    }

    /// Sets or deletes single configuration entries of a topic (IncrementalAlterConfigs).
    public func alterTopicConfigs(_ topic: String, _ changes: [ConfigChange]) async throws {
        let response = try await cluster.withRetry("IncrementalAlterConfigs") { () -> IncrementalAlterConfigsResponse in
            let c = try await controllerConnection()
            var request = IncrementalAlterConfigsRequest()
            var resource = IncrementalAlterConfigsRequest.AlterConfigsResource()
            resource.resourceType = 2
            resource.resourceName = topic
            resource.configs = changes.map { change in
                var a = IncrementalAlterConfigsRequest.AlterableConfig()
                switch change {
                case let .set(k, v):
                    a.name = k
                    a.configOperation = 0
                    a.value = v
                case let .delete(k):
                    a.name = k
                    a.configOperation = 1
                    a.value = nil
                }
                return a
            }
            request.resources = [resource]
            return try await c.request(request)
        }
        for r in response.responses {
            if r.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw KafkaClientError.unknownTopic(topic) }
            if let e = KafkaClientError.check(r.errorCode, "altering configs of '\(topic)'", message: r.errorMessage) { throw e }
        }
    }

    /// Raises a topic's partition count to `totalCount`.
    public func createPartitions(_ topic: String, totalCount: Int32) async throws {
        let response = try await cluster.withRetry("CreatePartitions") { () -> CreatePartitionsResponse in
            let c = try await controllerConnection()
            var request = CreatePartitionsRequest()
            var t = CreatePartitionsRequest.CreatePartitionsTopic()
            t.name = topic
            t.count = totalCount
            t.assignments = nil
            request.topics = [t]
            request.timeoutMs = Int32(clamping: cluster.config.requestTimeoutMs)
            return try await c.request(request)
        }
        for r in response.results {
            if r.errorCode == ErrorCode.unknownTopicOrPartition.rawValue { throw KafkaClientError.unknownTopic(topic) }
            if let e = KafkaClientError.check(r.errorCode, "adding partitions to '\(topic)'", message: r.errorMessage) { throw e }
        }
        cluster.invalidateMetadata()
    }

    // MARK: offsets

    /// ListOffsets for the given partitions, grouped by leader; returns offset (and timestamp) per
    /// partition. A timestamp with no record at or after it gives -1.
    public func listOffsets(_ partitions: [TopicPartition], spec: OffsetSpec, isolationLevel: Int8 = 0) async throws
        -> [TopicPartition: (offset: Int64, timestampMs: Int64)] {
        try await OffsetLookup.listOffsets(cluster: cluster, partitions.map { ($0, spec) }, isolationLevel: isolationLevel)
    }

    /// Every partition of `topic`.
    public func partitions(of topic: String) async throws -> [TopicPartition] {
        try await describeTopic(topic).partitions.map { TopicPartition(topic, $0.partition) }
    }
}
