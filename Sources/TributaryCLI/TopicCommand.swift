import ArgumentParser
import KafkaClient

/// `tributary topic`: create, list, describe, alter and delete topics on any Kafka-compatible cluster.
struct TopicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topic",
        abstract: "Create, list, describe, alter and delete topics.",
        subcommands: [Create.self, List.self, Describe.self, Alter.self, Delete.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create topics.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Topic names.") var topics: [String]
        @Option(name: .shortAndLong, help: "Partitions per topic (default: the broker's num.partitions).")
        var partitions: Int32 = -1
        @Option(name: .shortAndLong, help: "Replication factor (default: the broker's).")
        var replicas: Int16 = -1
        @Option(name: [.customShort("c"), .long], parsing: .singleValue, help: "A topic config key=value (repeatable).")
        var config: [String] = []
        @Flag(name: .long, help: "Succeed quietly when a topic already exists.")
        var ifNotExists = false

        func validate() throws {
            if topics.isEmpty { throw ValidationError("name at least one topic") }
            if partitions == 0 || partitions < -1 { throw ValidationError("--partitions must be positive") }
        }

        func run() throws {
            let configs = try Dictionary(config.map { try parseKeyValue($0, what: "config") }, uniquingKeysWith: { $1 })
            let (topics, partitions, replicas, ifNotExists) = (self.topics, self.partitions, self.replicas, self.ifNotExists)
            try cluster.withAdmin { admin in
                var table = TextTable(["TOPIC", "STATUS"])
                var failed = false
                for name in topics {
                    do {
                        try await admin.createTopics([NewTopic(name: name, partitions: partitions, replicationFactor: replicas, configs: configs)])
                        table.add([name, "OK"])
                    } catch let e as KafkaClientError where e.errorCode == .topicAlreadyExists && ifNotExists {
                        table.add([name, "OK (exists)"])
                    } catch let e as KafkaClientError {
                        if case .broker = e {} else { throw e }
                        table.add([name, e.errorCode?.name ?? "\(e)"])
                        printError("error: \(e)")
                        failed = true
                    }
                }
                print(table.render())
                if failed { throw ExitCode.failure }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topics.", aliases: ["ls"])
        @OptionGroup var cluster: BrokerOptions
        @Flag(name: [.short, .customLong("internal")], help: "Include internal topics.") var includeInternal = false

        func run() throws {
            let includeInternal = self.includeInternal
            try cluster.withAdmin { admin in
                var table = TextTable(["NAME", "PARTITIONS", "REPLICAS"])
                for t in try await admin.listTopics(includeInternal: includeInternal) {
                    table.add([t.name, "\(t.partitions.count)", "\(t.partitions.first?.replicas.count ?? 0)"])
                }
                print(table.render())
            }
        }
    }

    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a topic's partitions, offsets and configs.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Topic name.") var topic: String
        @Flag(name: .long, help: "Print only non-default configs.") var nonDefault = false

        func run() throws {
            let (topic, nonDefault) = (self.topic, self.nonDefault)
            try cluster.withAdmin { admin in
                let meta = try await admin.describeTopic(topic)
                print("SUMMARY\n=======")
                var summary = TextTable(["NAME", "\(meta.name)"])
                summary.add(["PARTITIONS", "\(meta.partitions.count)"])
                summary.add(["REPLICAS", "\(meta.partitions.first?.replicas.count ?? 0)"])
                if !meta.topicId.isZero { summary.add(["TOPIC-ID", meta.topicId.description]) }
                summary.add(["INTERNAL", "\(meta.isInternal)"])
                print(summary.render())

                if let configs = try? await admin.describeConfigs(topic: topic) {
                    print("\nCONFIGS\n=======")
                    var table = TextTable(["KEY", "VALUE", "SOURCE"])
                    for c in configs where !nonDefault || !c.isDefault {
                        table.add([c.name, c.isSensitive ? "(sensitive)" : (c.value ?? "null"), Self.sourceName(c.source, c.isDefault)])
                    }
                    print(table.render())
                }

                let tps = meta.partitions.map { TopicPartition(topic, $0.partition) }
                let starts = (try? await admin.listOffsets(tps, spec: .earliest)) ?? [:]
                let ends = (try? await admin.listOffsets(tps, spec: .latest)) ?? [:]
                print("\nPARTITIONS\n==========")
                var table = TextTable(["PARTITION", "LEADER", "EPOCH", "REPLICAS", "LOG-START-OFFSET", "HIGH-WATERMARK"])
                for p in meta.partitions {
                    let tp = TopicPartition(topic, p.partition)
                    table.add(["\(p.partition)", "\(p.leader)", "\(p.leaderEpoch)", "\(p.replicas)",
                               starts[tp].map { "\($0.offset)" } ?? "-", ends[tp].map { "\($0.offset)" } ?? "-"])
                }
                print(table.render())
            }
        }

        static func sourceName(_ source: Int8, _ isDefault: Bool) -> String {
            switch source {
            case 1: return "DYNAMIC_TOPIC_CONFIG"
            case 2: return "DYNAMIC_BROKER_CONFIG"
            case 3: return "DYNAMIC_DEFAULT_BROKER_CONFIG"
            case 4: return "STATIC_BROKER_CONFIG"
            case 5: return "DEFAULT_CONFIG"
            case 6: return "DYNAMIC_BROKER_LOGGER_CONFIG"
            default: return isDefault ? "DEFAULT_CONFIG" : "UNKNOWN"
            }
        }
    }

    struct Alter: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a topic's configs or add partitions.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Topic name.") var topic: String
        @Option(name: .long, parsing: .singleValue, help: "Set a config key=value (repeatable).") var set: [String] = []
        @Option(name: .long, parsing: .singleValue, help: "Remove a config override, back to the default (repeatable).")
        var delete: [String] = []
        @Option(name: .shortAndLong, help: "Raise the partition count to this total.") var partitions: Int32?

        func validate() throws {
            if set.isEmpty && delete.isEmpty && partitions == nil {
                throw ValidationError("nothing to change: give --set, --delete or --partitions")
            }
        }

        func run() throws {
            var changes: [ConfigChange] = try set.map { let (k, v) = try parseKeyValue($0, what: "--set"); return .set(k, v) }
            changes += delete.map { .delete($0) }
            let (topic, partitions) = (self.topic, self.partitions)
            try cluster.withAdmin { [changes] admin in
                if !changes.isEmpty {
                    try await admin.alterTopicConfigs(topic, changes)
                    print("altered \(changes.count) config(s) of \(topic)")
                }
                if let partitions {
                    try await admin.createPartitions(topic, totalCount: partitions)
                    print("\(topic) now has \(partitions) partitions")
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete topics.")
        @OptionGroup var cluster: BrokerOptions
        @Argument(help: "Topic names.") var topics: [String]

        func run() throws {
            let topics = self.topics
            try cluster.withAdmin { admin in
                var table = TextTable(["TOPIC", "STATUS"])
                var failed = false
                for name in topics {
                    do {
                        try await admin.deleteTopics([name])
                        table.add([name, "OK"])
                    } catch let e as KafkaClientError {
                        switch e {
                        case .broker, .unknownTopic: break
                        default: throw e
                        }
                        table.add([name, e.errorCode?.name ?? "UNKNOWN_TOPIC_OR_PARTITION"])
                        printError("error: \(e)")
                        failed = true
                    }
                }
                print(table.render())
                if failed { throw ExitCode.failure }
            }
        }
    }
}
