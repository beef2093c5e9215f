import KafkaProtocol

extension Broker {
    /// The address clients should use to reach this broker.
    var advertised: BrokerConfig.Listener {
        let listener = (try? config.advertisedListeners.first) ?? nil
        return listener ?? BrokerConfig.Listener(name: "PLAINTEXT", host: "127.0.0.1", port: 9092)
    }

    func handleMetadata(_ request: MetadataRequest, _ ctx: RequestContext) {
        var response = MetadataResponse()
        var me = MetadataResponse.MetadataResponseBroker()
        me.nodeId = config.nodeId
        me.host = advertised.host == "0.0.0.0" ? "127.0.0.1" : advertised.host
        me.port = Int32(advertised.port)
        response.brokers = [me]
        response.clusterId = clusterId
        response.controllerId = config.nodeId

        // v0 asks for all topics with an empty list; v1+ with null.
        let all = request.topics == nil || (ctx.version == 0 && request.topics!.isEmpty)
        if all {
            response.topics = registry.all.map { describe($0) }
        } else {
            let autoCreate = config.autoCreateTopics && (ctx.version < 4 || request.allowAutoTopicCreation)
            response.topics = request.topics!.map { wanted in
                if let name = wanted.name {
                    return describeOrCreate(name: name, autoCreate: autoCreate)
                }
                guard let topic = registry.topic(id: wanted.topicId) else {
                    var missing = MetadataResponse.MetadataResponseTopic()
                    missing.topicId = wanted.topicId
                    missing.errorCode = ErrorCode.unknownTopicId.rawValue
                    return missing
                }
                return describe(topic)
            }
        }
        ctx.reply(response)
    }

    private func describeOrCreate(name: String, autoCreate: Bool) -> MetadataResponse.MetadataResponseTopic {
        let (topic, error) = self.topic(named: name, autoCreate: autoCreate)
        if let topic { return describe(topic) }
        var result = MetadataResponse.MetadataResponseTopic()
        result.name = name
        result.errorCode = error.rawValue
        return result
    }

    func describe(_ topic: Topic) -> MetadataResponse.MetadataResponseTopic {
        var t = MetadataResponse.MetadataResponseTopic()
        t.name = topic.name
        t.topicId = topic.id
        t.isInternal = topic.name.hasPrefix("__")
        t.partitions = (0..<topic.partitions.count).map { p in
            var part = MetadataResponse.MetadataResponsePartition()
            part.partitionIndex = Int32(p)
            part.leaderId = config.nodeId
            part.leaderEpoch = 0
            part.replicaNodes = [config.nodeId]
            part.isrNodes = [config.nodeId]
            return part
        }
        return t
    }

    func handleDescribeCluster(_ request: DescribeClusterRequest, _ ctx: RequestContext) {
        var response = DescribeClusterResponse()
        response.clusterId = clusterId
        response.controllerId = config.nodeId
        response.endpointType = request.endpointType
        var me = DescribeClusterResponse.DescribeClusterBroker()
        me.brokerId = config.nodeId
        me.host = advertised.host == "0.0.0.0" ? "127.0.0.1" : advertised.host
        me.port = Int32(advertised.port)
        response.brokers = [me]
        ctx.reply(response)
    }
}
