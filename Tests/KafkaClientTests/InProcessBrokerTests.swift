import Broker
import BrokerServer
import Foundation
import KafkaClient
import KafkaProtocol
import Logging
import NIOCore
import Testing
import TributaryCore
#if canImport(Glibc)
import Glibc
#endif

/// The library API end to end against a broker in this process: producer options, the record
/// sequence, seek and pause, groups with a rebalance listener, commits and lag.
@Suite(.serialized)
struct InProcessBrokerTests {
    /// A broker on a free loopback port with a fresh data directory; stopped by `stop()`.
    final class TestBroker {
        let server: BrokerServer
        let port: Int
        let dataDir: String

        init() throws {
            var template = Array("/tmp/tributary-client-test-XXXXXX".utf8CString)
            guard let dir = mkdtemp(&template) else { throw KafkaClientError.invalidArgument("mkdtemp failed") }
            dataDir = String(cString: dir)
            var lastError: Error?
            for _ in 0..<20 {
                let candidate = Int.random(in: 20_000...60_000)
                do {
                    var config = BrokerConfig()
                    try config.set("listeners", "PLAINTEXT://127.0.0.1:\(candidate)")
                    try config.set("log.dirs", dataDir)
                    try config.set("group.initial.rebalance.delay.ms", "0")
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

        /// Stops the broker and removes its data.
        func stop() {
            try? server.stop()
            try? FileManager.default.removeItem(atPath: dataDir)
        }
    }

    @Test func producerOptionsRecordSequenceSeekAndPause() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "lib", partitions: 3)])

        var config = ProducerConfig()
        config.compression = .zstd
        let producer = try KafkaProducer(brokers: broker.brokers, config: config)
        let first = try await producer.send(ProducerRecord(topic: "lib", key: "key-0", value: "v0", headers: [("h", "0")]))
        #expect(first.offset == 0)
        #expect(first.partition == Murmur2.partition(forKeyHash: Murmur2.hash(Array("key-0".utf8)), partitionCount: 3))
        for i in 1..<300 {
            try await producer.produce(ProducerRecord(topic: "lib", key: "key-\(i % 17)", value: "v\(i)", headers: [("h", "\(i)")]))
        }
        try await producer.flush()
        try await producer.close()

        let consumer = try KafkaConsumer(brokers: broker.brokers, config: ConsumerConfig())
        let tps = try await admin.partitions(of: "lib")
        consumer.assign(tps)
        try consumer.seekToBeginning(tps)
        var seen: [Int: ConsumerRecord] = [:]
        for try await r in consumer.records() {
            let i = Int(r.valueString!.dropFirst())!
            seen[i] = r
            if seen.count == 300 { break }
        }
        for (i, r) in seen {
            #expect(r.keyString == "key-\(i % 17)")
            #expect(r.headers == [RecordHeader(key: "h", value: ByteBuffer(string: "\(i)"))])
            let expected = Murmur2.partition(forKeyHash: Murmur2.hash(Array(r.key!.readableBytesView)), partitionCount: 3)
            #expect(r.partition == expected)
        }

        // Back to offset 2 of one partition, the others paused: only that partition's records come.
        let target = tps[0]
        try consumer.seek(target, to: 2)
        consumer.pause(Array(tps.dropFirst()))
        #expect(consumer.paused == Array(tps.dropFirst()))
        var again: [ConsumerRecord] = []
        while again.isEmpty { again = try await consumer.poll() }
        #expect(again.allSatisfy { $0.partition == target.partition })
        #expect(again.first?.offset == 2)
        await consumer.close()
    }

    @Test func manySmallBatchesInFlightArriveInOrderOnce() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "pipelined", partitions: 1)])

        // Tiny batches and no linger: five Produce requests of the partition travel at once.
        var config = ProducerConfig()
        config.batchBytes = 300
        config.lingerMs = 0
        config.maxInFlight = 5
        let producer = try KafkaProducer(brokers: broker.brokers, config: config)
        let n = 3000
        for i in 0..<n { try await producer.produce(ProducerRecord(topic: "pipelined", key: nil, value: "\(i)")) }
        try await producer.close()

        let consumer = try KafkaConsumer(brokers: broker.brokers, config: ConsumerConfig())
        let tp = KafkaClient.TopicPartition("pipelined", 0)
        consumer.assign([tp])
        try consumer.seekToBeginning([tp])
        var values: [Int] = []
        for try await r in consumer.records() {
            values.append(Int(r.valueString ?? "") ?? -1)
            #expect(r.offset == Int64(values.count - 1))
            if values.count == n { break }
        }
        #expect(values == Array(0..<n))
        await consumer.close()
    }

    @Test func produceContentsOfKeepsOrderPartitionsAndBackPressure() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "chunks", partitions: 3)])

        // Small batches and a small buffer: chunks fill batches, move the sticky partition and wait
        // for space in the middle of a call.
        var config = ProducerConfig()
        config.batchBytes = 2_000
        config.bufferBytes = 20_000
        let producer = try KafkaProducer(brokers: broker.brokers, config: config)
        // A record naming a partition the topic lacks fails the call before any of it is buffered.
        await #expect(throws: KafkaClientError.self) {
            try await producer.produce(contentsOf: [ProducerRecord(topic: "chunks", key: nil, value: "never"),
                                                    ProducerRecord(topic: "chunks", partition: 7, value: ByteBuffer(string: "x"))])
        }
        let n = 3_000
        var chunk: [ProducerRecord] = []
        for i in 0..<n {
            // Keyed, keyless and explicitly placed records mixed in one call.
            switch i % 3 {
            case 0: chunk.append(ProducerRecord(topic: "chunks", key: "key-\(i % 11)", value: "\(i)"))
            case 1: chunk.append(ProducerRecord(topic: "chunks", key: nil, value: "\(i)"))
            default: chunk.append(ProducerRecord(topic: "chunks", partition: 2, value: ByteBuffer(string: "\(i)")))
            }
            if chunk.count == 700 || i == n - 1 {
                try await producer.produce(contentsOf: chunk)
                chunk.removeAll()
            }
        }
        try await producer.close()

        let consumer = try KafkaConsumer(brokers: broker.brokers, config: ConsumerConfig())
        let tps = try await admin.partitions(of: "chunks")
        consumer.assign(tps)
        try consumer.seekToBeginning(tps)
        var byPartition: [Int32: [Int]] = [:]
        var count = 0
        for try await r in consumer.records() {
            let i = Int(r.valueString ?? "") ?? -1
            byPartition[r.partition, default: []].append(i)
            if i % 3 == 0 {
                let expected = Murmur2.partition(forKeyHash: Murmur2.hash(Array(r.key!.readableBytesView)), partitionCount: 3)
                #expect(r.partition == expected)
            }
            if i % 3 == 2 { #expect(r.partition == 2) }
            count += 1
            if count == n { break }
        }
        // Every record once ("never" was not sent), each partition in the order of the calls.
        #expect(byPartition.values.flatMap { $0 }.sorted() == Array(0..<n))
        for values in byPartition.values { #expect(values == values.sorted()) }
        await consumer.close()
    }

    @Test func fetchesChainedAheadKeepOrderAndYieldToASeek() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "ahead", partitions: 1)])
        var producerConfig = ProducerConfig()
        producerConfig.batchBytes = 400
        let producer = try KafkaProducer(brokers: broker.brokers, config: producerConfig)
        let n = 2_000
        try await producer.produce(contentsOf: (0..<n).map { ProducerRecord(topic: "ahead", key: nil, value: "\($0)") })
        try await producer.close()

        // Small fetches: many of them, each one starting the next before the poll that uses it.
        var config = ConsumerConfig()
        config.maxPartitionFetchBytes = 600
        let consumer = try KafkaConsumer(brokers: broker.brokers, config: config)
        let tp = KafkaClient.TopicPartition("ahead", 0)
        consumer.assign([tp])
        try consumer.seekToBeginning([tp])
        var offsets: [Int64] = []
        while offsets.count < 1_000 {
            for r in try await consumer.poll() {
                #expect(r.valueString == "\(r.offset)")
                offsets.append(r.offset)
            }
        }
        #expect(offsets == (0..<Int64(offsets.count)).map { $0 })

        // A seek drops what was fetched ahead: reading goes on from the new position, once.
        try consumer.seek(tp, to: 10)
        var again: [Int64] = []
        while again.count < 100 { again += try await consumer.poll().map(\.offset) }
        #expect(again == (10..<Int64(10 + again.count)).map { $0 })

        // pollFetched goes on from where poll stopped, in place, with the same records.
        let resume = Int64(10 + again.count)
        var viewed: [Int64] = []
        while viewed.count < 500 {
            for f in try await consumer.pollFetched() {
                try f.forEach { r in
                    #expect(r.value.map { String(decoding: $0, as: UTF8.self) } == "\(r.offset)")
                    viewed.append(r.offset)
                    return true
                }
                #expect(f.nextOffset == (viewed.last ?? -1) + 1)
            }
        }
        #expect(viewed == (resume..<(resume + Int64(viewed.count))).map { $0 })
        await consumer.close()
    }

    @Test func aBatchFailingForGoodDoesNotTakeTheBatchesBehindItDown() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        // A compacted topic refuses a record without key: the batch holding one fails for good while
        // the batches after it are already on the wire.
        try await admin.createTopics([NewTopic(name: "gap", partitions: 1, configs: ["cleanup.policy": "compact"])])
        var config = ProducerConfig()
        config.batchBytes = 300
        config.lingerMs = 0
        let producer = try KafkaProducer(brokers: broker.brokers, config: config)
        let outcomes = OutcomeLog()
        let n = 400
        for i in 0..<n {
            let record = ProducerRecord(topic: "gap", key: i == 100 ? nil : "k\(i)", value: "\(i)")
            try await producer.produce(record) { outcomes.add(i, $0) }
        }
        try? await producer.flush()
        try await producer.close()

        let failed = outcomes.failed
        #expect(failed.contains(100))
        #expect(failed.count < 40)
        #expect(failed == Array(failed.first!...failed.last!))  // one batch's records
        let delivered = (0..<n).filter { !failed.contains($0) }
        #expect(outcomes.count == n)

        let consumer = try KafkaConsumer(brokers: broker.brokers, config: ConsumerConfig())
        let tp = KafkaClient.TopicPartition("gap", 0)
        consumer.assign([tp])
        try consumer.seekToBeginning([tp])
        var values: [Int] = []
        for try await r in consumer.records() {
            values.append(Int(r.valueString ?? "") ?? -1)
            if values.count == delivered.count { break }
        }
        #expect(values == delivered)
        await consumer.close()
    }

    /// An address literal connects without the resolver; a host name still goes through it.
    @Test func bootstrapByAddressLiteralAndByHostName() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        for brokers in ["127.0.0.1:\(broker.port)", "localhost:\(broker.port)"] {
            let cluster = KafkaCluster(config: try ClientConfig(brokers: brokers))
            defer { cluster.close() }
            let connection = try await cluster.anyConnection()
            #expect(connection.isActive, "\(brokers)")
            let metadata = try await cluster.refreshMetadata(topics: nil)
            #expect(metadata.brokers.count == 1, "\(brokers)")
        }
    }

    @Test func groupMemberGetsAssignmentCommitsAndShowsNoLag() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let admin = try KafkaAdmin(brokers: broker.brokers)
        defer { admin.close() }
        try await admin.createTopics([NewTopic(name: "grp", partitions: 4)])
        var pconfig = ProducerConfig()
        pconfig.acks = .leader
        let producer = try KafkaProducer(brokers: broker.brokers, config: pconfig)
        for i in 0..<100 { try await producer.produce(ProducerRecord(topic: "grp", key: "\(i)", value: "\(i)")) }
        try await producer.close()

        final class Events: @unchecked Sendable {
            let lock = NSLockish()
            var list: [RebalanceEvent] = []
        }
        let events = Events()
        var config = ConsumerConfig(groupId: "lib-group")
        config.autoOffsetReset = .earliest
        config.assignors = [CooperativeStickyAssignor()]
        config.rebalanceListener = { e in events.lock.withLock { events.list.append(e) } }
        let consumer = try KafkaConsumer(brokers: broker.brokers, config: config)
        try consumer.subscribe(["grp"])
        var count = 0
        while count < 100 { count += try await consumer.poll().count }
        #expect(count == 100)
        #expect(events.lock.withLock { events.list } == [.assigned((0..<4).map { TopicPartition("grp", $0) })])
        try await consumer.commit()
        let lags = try await admin.groupLag("lib-group")
        #expect(lags.count == 4)
        #expect(lags.allSatisfy { $0.lag == 0 && $0.committedOffset != nil })
        let described = try await admin.describeGroup("lib-group")
        #expect(described.protocolName == "cooperative-sticky")
        #expect(described.members.count == 1)
        await consumer.close()
    }
}

/// A tiny mutex for test bookkeeping.
final class NSLockish: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return try body()
    }
}

/// Delivery outcomes gathered from producer callbacks on any thread.
final class OutcomeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Bool] = [:]

    func add(_ i: Int, _ result: Result<RecordMetadata, KafkaClientError>) {
        lock.lock()
        defer { lock.unlock() }
        if case .success = result { results[i] = true } else { results[i] = false }
    }

    var failed: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return results.filter { !$0.value }.map(\.key).sorted()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return results.count
    }
}
