import KafkaProtocol
import LogStorage

/// The cluster id, made once and kept in `<data>/meta.properties` as Kafka keeps it.
enum ClusterIdentity {
    static func loadOrCreate(dataDirectory: String, nodeId: Int32) throws -> String {
        let path = dataDirectory + "/meta.properties"
        if FileSystem.exists(path) {
            for (k, v) in try Properties.parse(try FileSystem.readText(path)) where k == "cluster.id" { return v }
        }
        let id = Uuid.random().base64
        try FileSystem.writeAtomically(path, contents: Properties.render([
            ("version", "1"), ("cluster.id", id), ("node.id", String(nodeId)),
        ]))
        return id
    }
}
