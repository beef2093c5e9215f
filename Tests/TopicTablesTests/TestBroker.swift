import Broker
import BrokerServer
import Foundation
import KafkaClient
import KafkaProtocol
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A broker in this process on a free loopback port with a fresh data directory; `stop()` stops
/// it and removes the data.
final class TestBroker: @unchecked Sendable {
    let server: BrokerServer
    let port: Int
    let dataDir: String

    init() throws {
        var template = Array("/tmp/tributary-topics-test-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { throw KafkaClientError.invalidArgument("mkdtemp failed") }
        dataDir = String(cString: dir)
        var lastError: Error?
        for _ in 0..<20 {
            let candidate = Int.random(in: 20_000...60_000)
            do {
                var config = BrokerConfig()
                try config.set("listeners", "PLAINTEXT://127.0.0.1:\(candidate)")
                try config.set("log.dirs", dataDir)
                var logger = Logger(label: "test-broker")
                logger.logLevel = .warning
                let server = BrokerServer(broker: try Broker(config: config, logger: logger), threads: 2, logger: logger)
                try server.start()
                self.server = server
                self.port = candidate
                return
            } catch {
                lastError = error
            }
        }
        throw lastError ?? KafkaClientError.invalidArgument("no free port")
    }

    var brokers: String { "127.0.0.1:\(port)" }

    func stop() {
        try? server.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Creates a topic.
    func createTopic(_ name: String, partitions: Int32) async throws {
        let admin = try KafkaAdmin(brokers: brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: name, partitions: partitions)])
    }

    /// Produces records to fixed partitions; returns where each landed.
    @discardableResult
    func produce(_ records: [ProducerRecord]) async throws -> [RecordMetadata] {
        let producer = try KafkaProducer(brokers: brokers)
        var out: [RecordMetadata] = []
        for r in records { out.append(try await producer.send(r)) }
        try await producer.close()
        return out
    }

    /// Moves the log start of a partition with DeleteRecords.
    func deleteRecords(_ topic: String, partition: Int32, before offset: Int64) async throws {
        var config = try ClientConfig(brokers: brokers)
        config.clientId = "test"
        let cluster = KafkaCluster(config: config)
        defer { cluster.close() }
        let c = try await cluster.leaderConnection(for: TopicPartition(topic, partition))
        var p = DeleteRecordsRequest.DeleteRecordsPartition()
        p.partitionIndex = partition
        p.offset = offset
        var t = DeleteRecordsRequest.DeleteRecordsTopic()
        t.name = topic
        t.partitions = [p]
        var request = DeleteRecordsRequest()
        request.topics = [t]
        request.timeoutMs = 10_000
        let response = try await c.request(request)
        let code = response.topics.first?.partitions.first?.errorCode ?? -1
        if code != 0 { throw KafkaClientError.invalidArgument("DeleteRecords failed with code \(code)") }
    }
}
