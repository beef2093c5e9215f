import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaClient

/// The consumer's fetch path against a broker in this process: one connection to a one-broker
/// cluster, large answers read in growing reads, and rounds chained ahead of a slow caller.
@Suite(.serialized)
struct FetchChainTests {
    typealias TestBroker = InProcessBrokerTests.TestBroker

    @Test func theBootstrapConnectionBecomesTheBrokersConnection() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let cluster = KafkaCluster(config: try ClientConfig(brokers: broker.brokers))
        defer { cluster.close() }
        let bootstrap = try await cluster.anyConnection()
        let md = try await cluster.refreshMetadata(topics: nil)
        let node = try #require(md.brokers.keys.first)
        let c = try await cluster.connection(toNode: node)
        #expect(c.channel === bootstrap.channel)
        #expect(c.nodeId == node)
        #expect(cluster.readyConnection(toNode: node)?.channel === bootstrap.channel)
        // Once it closes, the node gets a connection of its own again.
        c.close()
        try await c.channel.closeFuture.get()
        #expect(cluster.readyConnection(toNode: node) == nil)
        let fresh = try await cluster.connection(toNode: node)
        #expect(fresh.channel !== bootstrap.channel && fresh.isActive)
    }

    @Test(.timeLimit(.minutes(1))) func aRequestOnAClosedConnectionFailsInsteadOfWaiting() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let cluster = KafkaCluster(config: try ClientConfig(brokers: broker.brokers))
        defer { cluster.close() }
        let c = try await cluster.anyConnection()
        c.close()
        try await c.channel.closeFuture.get()
        await #expect(throws: KafkaClientError.self) { _ = try await c.request(MetadataRequest()) }
        await #expect(throws: KafkaClientError.self) { _ = try await c.send(MetadataRequest()).get() }
    }

    @Test func largeRecordsArriveWholeThroughGrowingReads() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "large", partitions: 1)])
        let producer = try KafkaProducer(brokers: broker.brokers, config: ProducerConfig())
        // Values from 1 byte to 700 KiB, each filled with a byte that depends on its index.
        let sizes = [1, 70_000, 300_000, 5, 700_000, 131_072, 65_536, 65_535, 900_000]
        try await producer.produce(contentsOf: sizes.enumerated().map { i, n in
            ProducerRecord(topic: "large", value: ByteBuffer(repeating: UInt8(0x41 + i), count: n))
        })
        try await producer.close()

        var config = ConsumerConfig()
        config.maxPartitionFetchBytes = 4 << 20
        var clientConfig = try ClientConfig(brokers: broker.brokers)
        clientConfig.readBufferBytesMax = 256 * 1024  // smaller than most answers: frames span reads
        let consumer = KafkaConsumer(cluster: KafkaCluster(config: clientConfig), config: config)
        defer { consumer.cluster.close() }
        let tp = KafkaClient.TopicPartition("large", 0)
        consumer.assign([tp])
        try consumer.seekToBeginning([tp])
        var seen = 0
        while seen < sizes.count {
            for f in try await consumer.pollFetched() {
                try f.forEach { r in
                    let i = Int(r.offset)
                    let value = try #require(r.value)
                    #expect(value.count == sizes[i])
                    #expect(value.allSatisfy { $0 == UInt8(0x41 + i) })
                    seen += 1
                    return true
                }
            }
        }
        #expect(seen == sizes.count)
        await consumer.close()
    }

    @Test func roundsWaitingForASlowCallerResumeInOrder() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "slow", partitions: 2)])
        var producerConfig = ProducerConfig()
        producerConfig.batchBytes = 300
        let producer = try KafkaProducer(brokers: broker.brokers, config: producerConfig)
        let n = 600
        try await producer.produce(contentsOf: (0..<n).map {
            ProducerRecord(topic: "slow", key: nil, value: "\($0 / 2)", partition: Int32($0 % 2))
        })
        try await producer.close()

        // Small rounds, and a caller slower than the broker: rounds land while the queue is full and
        // start their successors when the caller takes one.
        var config = ConsumerConfig()
        config.maxPartitionFetchBytes = 400
        let consumer = try KafkaConsumer(brokers: broker.brokers, config: config)
        let tps = [KafkaClient.TopicPartition("slow", 0), KafkaClient.TopicPartition("slow", 1)]
        consumer.assign(tps)
        try consumer.seekToBeginning(tps)
        var offsets: [Int32: [Int64]] = [0: [], 1: []]
        var polls = 0
        while offsets.values.map(\.count).reduce(0, +) < n {
            for r in try await consumer.poll() {
                #expect(r.valueString == "\(r.offset)")
                offsets[r.partition, default: []].append(r.offset)
            }
            polls += 1
            if polls % 3 == 0 { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        for p: Int32 in [0, 1] {
            #expect(offsets[p] == (0..<Int64(n / 2)).map { $0 })
        }
        await consumer.close()
    }
}
