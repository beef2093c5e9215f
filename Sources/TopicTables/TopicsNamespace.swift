import Engine
import KafkaClient

/// The `topics` schema: every topic of a cluster is a table (`SELECT … FROM topics.clicks`, its
/// whole retained history), and `INSERT INTO topics.out SELECT …` appends to a topic.
public final class TopicsNamespace: TableNamespace, @unchecked Sendable {
    private let servers: String
    private let clusters: ClusterCache

    init(servers: String, clusters: ClusterCache) {
        self.servers = servers
        self.clusters = clusters
    }

    public func table(_ name: String) throws -> (any TableProvider)? {
        let cluster = try clusters.cluster(servers)
        let md = try blocking("listing topic \(name)") { try await cluster.refreshMetadata(topics: [name]) }
        guard let t = md.topics[name], t.errorCode == 0, !t.partitions.isEmpty else { return nil }
        let options = try KafkaSourceOptions(["subscribe": name], defaultBootstrapServers: servers)
        return try KafkaTopicTable(cluster: cluster, options: options)
    }

    public func insert(_ frame: DataFrame, into name: String) throws {
        // A frame with a `topic` column still goes to the named table, as an INSERT target says.
        try KafkaSink.write(frame, cluster: try clusters.cluster(servers), topic: name)
    }

    public func tableNames() throws -> [String] {
        let cluster = try clusters.cluster(servers)
        return try blocking("listing topics") {
            try await KafkaAdmin(cluster: cluster).listTopics().map(\.name).sorted()
        }
    }
}

/// Plugs Kafka into an engine session.
public enum TopicTables {
    /// Registers the `kafka` format and, with `brokers`, the `topics` schema over that cluster.
    public static func install(in session: Session, brokers: String?) {
        let clusters = ClusterCache()
        session.catalog.registerFormat("kafka", KafkaFormat(clusters: clusters, defaultBootstrapServers: nil))
        if let brokers {
            session.catalog.registerNamespace("topics", TopicsNamespace(servers: brokers, clusters: clusters))
        }
    }
}
