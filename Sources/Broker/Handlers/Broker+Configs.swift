import KafkaProtocol

/// Config sources as DescribeConfigs numbers them.
enum ConfigSource {
    static let dynamicTopic: Int8 = 1
    static let staticBroker: Int8 = 4
    static let defaultConfig: Int8 = 5
}

/// Resource types of the config APIs.
enum ConfigResource {
    static let topic: Int8 = 2
    static let broker: Int8 = 4
}

extension Broker {
    func handleDescribeConfigs(_ request: DescribeConfigsRequest, _ ctx: RequestContext) {
        var response = DescribeConfigsResponse()
        response.results = request.resources.map { r in
            var result = DescribeConfigsResponse.DescribeConfigsResult()
            result.resourceType = r.resourceType
            result.resourceName = r.resourceName
            var entries: [(name: String, value: String, source: Int8, type: Int8)] = []
            switch r.resourceType {
            case ConfigResource.topic:
                guard let topic = registry.topic(r.resourceName) else {
                    result.errorCode = ErrorCode.unknownTopicOrPartition.rawValue
                    result.errorMessage = "topic '\(r.resourceName)' does not exist"
                    return result
                }
                entries = registry.effectiveConfigs(of: topic).map { c in
                    (c.name, c.value, c.isOverride ? ConfigSource.dynamicTopic : ConfigSource.defaultConfig,
                     Self.configType(TopicConfigs.definition(c.name)?.kind))
                }
            case ConfigResource.broker:
                guard r.resourceName.isEmpty || r.resourceName == String(config.nodeId) else {
                    result.errorCode = ErrorCode.invalidRequest.rawValue
                    result.errorMessage = "unknown broker '\(r.resourceName)'"
                    return result
                }
                var names = Set(config.values.keys)
                for def in TopicConfigs.all { names.insert(def.brokerName) }
                let defaults = config.topicDefaults
                entries = names.sorted().map { name in
                    if let v = config.values[name] { return (name, v, ConfigSource.staticBroker, 2) }
                    let def = TopicConfigs.all.first { $0.brokerName == name }
                    return (name, def.flatMap { defaults[$0.name] } ?? "", ConfigSource.defaultConfig, Self.configType(def?.kind))
                }
            default:
                result.errorCode = ErrorCode.invalidRequest.rawValue
                result.errorMessage = "resource type \(r.resourceType) is not supported"
                return result
            }
            if let keys = r.configurationKeys { entries = entries.filter { keys.contains($0.name) } }
            result.configs = entries.map { e in
                var c = DescribeConfigsResponse.DescribeConfigsResourceResult()
                c.name = e.name
                c.value = e.value
                c.configSource = e.source
                c.isDefault = e.source == ConfigSource.defaultConfig
                c.configType = e.type
                if request.includeSynonyms && e.source != ConfigSource.defaultConfig {
                    var s = DescribeConfigsResponse.DescribeConfigsSynonym()
                    s.name = e.name
                    s.value = e.value
                    s.source = e.source
                    c.synonyms = [s]
                }
                return c
            }
            return result
        }
        ctx.reply(response)
    }

    static func configType(_ kind: TopicConfigDefinition.Kind?) -> Int8 {
        switch kind {
        case .boolean: 1
        case .string, nil: 2
        case .int: 3
        case .long: 5
        case .double: 6
        case .list: 7
        }
    }

    func handleAlterConfigs(_ request: AlterConfigsRequest, _ ctx: RequestContext) {
        var response = AlterConfigsResponse()
        response.responses = request.resources.map { r in
            var result = AlterConfigsResponse.AlterConfigsResourceResponse()
            result.resourceType = r.resourceType
            result.resourceName = r.resourceName
            (result.errorCode, result.errorMessage) = alter(type: r.resourceType, name: r.resourceName, validateOnly: request.validateOnly) { overrides in
                // AlterConfigs replaces the whole set of overrides.
                overrides = [:]
                for c in r.configs { if let v = c.value { overrides[c.name] = v } }
            }
            return result
        }
        ctx.reply(response)
    }

    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, _ ctx: RequestContext) {
        var response = IncrementalAlterConfigsResponse()
        response.responses = request.resources.map { r in
            var result = IncrementalAlterConfigsResponse.AlterConfigsResourceResponse()
            result.resourceType = r.resourceType
            result.resourceName = r.resourceName
            (result.errorCode, result.errorMessage) = alter(type: r.resourceType, name: r.resourceName, validateOnly: request.validateOnly) { overrides in
                for c in r.configs {
                    switch c.configOperation {
                    case 0: overrides[c.name] = c.value ?? ""                              // SET
                    case 1: overrides[c.name] = nil                                        // DELETE
                    case 2, 3:                                                             // APPEND, SUBTRACT (lists)
                        let current = overrides[c.name] ?? registry.config.topicDefaults[c.name] ?? ""
                        var items = current.split(separator: ",").map(String.init)
                        let changes = (c.value ?? "").split(separator: ",").map(String.init)
                        if c.configOperation == 2 { items += changes.filter { !items.contains($0) } } else { items.removeAll(where: changes.contains) }
                        overrides[c.name] = items.joined(separator: ",")
                    default:
                        throw TopicRegistry.TopicError(code: .invalidRequest, message: "unknown config operation \(c.configOperation)")
                    }
                }
            }
            return result
        }
        ctx.reply(response)
    }

    private func alter(type: Int8, name: String, validateOnly: Bool, _ edit: (inout [String: String]) throws -> Void) -> (Int16, String?) {
        guard type == ConfigResource.topic else {
            return (ErrorCode.invalidRequest.rawValue, "only topic configs can be altered; broker settings come from the properties file")
        }
        do {
            try registry.alterConfigs(name: name, validateOnly: validateOnly, edit)
            return (0, nil)
        } catch {
            return adminError(error)
        }
    }
}
