import Columnar
import Engine
import Foundation
import KafkaClient

/// The `kafka` data source format: `USING kafka OPTIONS (…)`, `read.format("kafka")`,
/// `write.format("kafka")`, with Spark's option names.
public final class KafkaFormat: DataSourceFormat, @unchecked Sendable {
    private let clusters: ClusterCache
    private let defaultBootstrapServers: String?

    /// A format whose reads and writes name their brokers in `kafka.bootstrap.servers`
    /// (falling back to `defaultBootstrapServers`).
    public init(defaultBootstrapServers: String? = nil) {
        self.clusters = ClusterCache()
        self.defaultBootstrapServers = defaultBootstrapServers
    }

    init(clusters: ClusterCache, defaultBootstrapServers: String?) {
        self.clusters = clusters
        self.defaultBootstrapServers = defaultBootstrapServers
    }

    public func openTable(options: [String: String], schema: Schema?) throws -> any TableProvider {
        if schema != nil {
            throw EngineError.analysis("Kafka source has a fixed schema and cannot be set with a custom one", position: nil)
        }
        let parsed = try KafkaSourceOptions(options, defaultBootstrapServers: defaultBootstrapServers)
        return try KafkaTopicTable(cluster: try clusters.cluster(parsed.bootstrapServers), options: parsed)
    }

    public func write(_ frame: DataFrame, options: [String: String], mode: SaveMode) throws {
        guard mode == .append || mode == .errorIfExists else {
            throw EngineError.analysis("Save mode \(mode.rawValue) not allowed for Kafka. Allowed save modes are "
                                       + "append and errorifexists (default).", position: nil)
        }
        guard let servers = options["kafka.bootstrap.servers"] ?? defaultBootstrapServers else {
            throw EngineError.analysis("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka producer",
                                       position: nil)
        }
        try KafkaSink.write(frame, cluster: try clusters.cluster(servers), topic: options["topic"])
    }
}

/// One client per bootstrap list, shared by the tables and sinks that name it.
final class ClusterCache: @unchecked Sendable {
    private let lock = NSLock()
    private var clusters: [String: KafkaCluster] = [:]

    func cluster(_ servers: String) throws -> KafkaCluster {
        lock.lock()
        defer { lock.unlock() }
        if let c = clusters[servers] { return c }
        var config = try ClientConfig(brokers: servers)
        config.clientId = "tributary-sql"
        config.retriesMax = 3
        config.connectTimeoutMs = 5_000
        let c = KafkaCluster(config: config)
        clusters[servers] = c
        return c
    }

    deinit {
        for c in clusters.values { c.close() }
    }
}
