@testable import Broker
import KafkaProtocol
import Logging
import NIOCore
import NIOEmbedded
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A broker on a temporary data directory, driven request by request without sockets.
final class BrokerHarness {
    let broker: Broker
    let loop = EmbeddedEventLoop()
    let directory: String
    var correlation: Int32 = 0

    init(_ settings: [String: String] = [:]) throws {
        var template = Array("/tmp/tributary-broker-XXXXXX".utf8CString)
        directory = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        var config = BrokerConfig()
        try config.set("log.dirs", directory)
        for (k, v) in settings { try config.set(k, v) }
        broker = try Broker(config: config, logger: Logger(label: "test"))
    }

    deinit { broker.shutdown() }

    /// Sends a request; returns the responses written so far (nil entries: no response).
    func send<Request: KafkaRequestMessage>(_ request: Request, version: Int16, collect: @escaping (ByteBuffer?) -> Void) throws {
        correlation += 1
        var frame = try KafkaFrame.encodeRequest(request, version: version, correlationId: correlation, clientId: "test")
        frame.moveReaderIndex(forwardBy: 4)
        try broker.handle(frame: frame, eventLoop: loop, respond: collect)
    }

    /// Sends a request and decodes its response, which must come without waiting.
    func call<Request: KafkaRequestMessage, Response: KafkaMessage>(_ request: Request, version: Int16, _: Response.Type) throws -> Response {
        var answer: ByteBuffer??
        try send(request, version: version) { answer = .some($0) }
        loop.run()
        guard case .some(.some(var bytes)) = answer else { throw TestFailure("no response") }
        bytes.moveReaderIndex(forwardBy: 4)
        return try KafkaFrame.decodeResponse(Response.self, version: version, from: bytes).body
    }

    func produce(_ topic: String, partition: Int32 = 0, values: [String], acks: Int16 = 1, version: Int16 = 9) throws -> ProduceResponse {
        var builder = RecordBatchBuilder()
        for v in values { builder.append(key: nil, value: ByteBuffer(string: v), timestamp: 1000) }
        var request = ProduceRequest()
        request.acks = acks
        request.timeoutMs = 1000
        var t = ProduceRequest.TopicProduceData()
        t.name = topic
        var p = ProduceRequest.PartitionProduceData()
        p.index = partition
        p.records = try builder.build()
        t.partitionData = [p]
        request.topicData = [t]
        return try call(request, version: version, ProduceResponse.self)
    }

    func fetchRequest(_ topic: String, offset: Int64, maxWaitMs: Int32 = 0, minBytes: Int32 = 1) -> FetchRequest {
        var request = FetchRequest()
        request.maxWaitMs = maxWaitMs
        request.minBytes = minBytes
        request.maxBytes = 1 << 20
        request.sessionEpoch = -1
        var t = FetchRequest.FetchTopic()
        t.topic = topic
        var p = FetchRequest.FetchPartition()
        p.partition = 0
        p.fetchOffset = offset
        p.partitionMaxBytes = 1 << 20
        t.partitions = [p]
        request.topics = [t]
        return request
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func recordValues(_ records: ByteBuffer?) throws -> [String] {
    guard var rest = records else { return [] }
    var out: [String] = []
    while rest.readableBytes > 0 {
        let batch = try RecordBatch(rest)
        for r in try batch.records() { var v = r.value!; out.append(v.readString(length: v.readableBytes)!) }
        rest.moveReaderIndex(forwardBy: batch.header.totalSize)
    }
    return out
}

@Suite struct BrokerHandlerTests {
    @Test func apiVersionsReportsTheDeclaredRanges() throws {
        let h = try BrokerHarness()
        for version in Int16(0)...4 {
            let r = try h.call(ApiVersionsRequest(), version: version, ApiVersionsResponse.self)
            #expect(r.errorCode == 0)
            let fetch = r.apiKeys.first { $0.apiKey == ApiKey.fetch.rawValue }
            #expect(fetch?.maxVersion == ApiKey.fetch.versions.max)
            #expect(r.apiKeys.count == ApiKey.allCases.count)
        }
    }

    @Test func unsupportedVersionOfOtherApisIsRefused() throws {
        let h = try BrokerHarness()
        var frame = ByteBuffer()
        RequestHeader(apiKey: ApiKey.metadata.rawValue, apiVersion: 99, correlationId: 1, clientId: nil).encode(into: &frame)
        #expect(throws: Broker.RequestError.self) { try h.broker.handle(frame: frame, eventLoop: h.loop, respond: { _ in }) }
        var unknown = ByteBuffer()
        RequestHeader(apiKey: 999, apiVersion: 0, correlationId: 1, clientId: nil).encode(into: &unknown)
        #expect(throws: Broker.RequestError.self) { try h.broker.handle(frame: unknown, eventLoop: h.loop, respond: { _ in }) }
    }

    @Test func metadataAutoCreatesWhenAllowed() throws {
        let h = try BrokerHarness(["num.partitions": "3"])
        var request = MetadataRequest()
        var t = MetadataRequest.MetadataRequestTopic()
        t.name = "auto"
        request.topics = [t]
        request.allowAutoTopicCreation = true
        let r = try h.call(request, version: 12, MetadataResponse.self)
        #expect(r.topics.first?.errorCode == 0)
        #expect(r.topics.first?.partitions.count == 3)
        #expect(r.topics.first?.topicId.isZero == false)

        let off = try BrokerHarness(["auto.create.topics.enable": "false"])
        let missing = try off.call(request, version: 12, MetadataResponse.self)
        #expect(missing.topics.first?.errorCode == ErrorCode.unknownTopicOrPartition.rawValue)

        var bad = MetadataRequest()
        var b = MetadataRequest.MetadataRequestTopic()
        b.name = "no spaces allowed"
        bad.topics = [b]
        let invalid = try h.call(bad, version: 12, MetadataResponse.self)
        #expect(invalid.topics.first?.errorCode == ErrorCode.invalidTopicException.rawValue)
    }

    @Test func produceThenFetchAtOldAndNewVersions() throws {
        let h = try BrokerHarness()
        for version: Int16 in [3, 7, 9, 11] {
            let r = try h.produce("pf", values: ["a\(version)", "b\(version)"], version: version)
            #expect(r.responses[0].partitionResponses[0].errorCode == 0)
        }
        for version: Int16 in [4, 11, 12] {
            let f = try h.call(h.fetchRequest("pf", offset: 2), version: version, FetchResponse.self)
            let p = f.responses[0].partitions[0]
            #expect(p.errorCode == 0 && p.highWatermark == 8)
            #expect(try recordValues(p.records) == ["a7", "b7", "a9", "b9", "a11", "b11"])
        }
        let out = try h.call(h.fetchRequest("pf", offset: 9), version: 12, FetchResponse.self)
        #expect(out.responses[0].partitions[0].errorCode == ErrorCode.offsetOutOfRange.rawValue)
    }

    @Test func fetchByTopicIdAtVersion13() throws {
        let h = try BrokerHarness()
        _ = try h.produce("ids", values: ["x"])
        let id = h.broker.registry.topic("ids")!.id
        var request = h.fetchRequest("", offset: 0)
        request.topics[0].topicId = id
        let f = try h.call(request, version: 13, FetchResponse.self)
        #expect(f.responses[0].topicId == id)
        #expect(try recordValues(f.responses[0].partitions[0].records) == ["x"])
        request.topics[0].topicId = Uuid.random()
        let unknown = try h.call(request, version: 13, FetchResponse.self)
        #expect(unknown.responses[0].partitions[0].errorCode == ErrorCode.unknownTopicId.rawValue)
    }

    @Test func parkedFetchAnswersWhenDataArrives() throws {
        let h = try BrokerHarness()
        _ = try h.produce("wait", values: ["first"])
        var answer: ByteBuffer?
        try h.send(h.fetchRequest("wait", offset: 1, maxWaitMs: 60_000), version: 12) { answer = $0 }
        h.loop.run()
        #expect(answer == nil, "no data yet: the fetch waits")
        _ = try h.produce("wait", values: ["second"])
        h.loop.run()
        guard var bytes = answer else { Issue.record("the append should wake the fetch"); return }
        bytes.moveReaderIndex(forwardBy: 4)
        let f = try KafkaFrame.decodeResponse(FetchResponse.self, version: 12, from: bytes).body
        #expect(try recordValues(f.responses[0].partitions[0].records) == ["second"])
    }

    @Test func parkedFetchAnswersEmptyAtMaxWait() throws {
        let h = try BrokerHarness()
        _ = try h.produce("idle", values: ["only"])
        var answer: ByteBuffer?
        try h.send(h.fetchRequest("idle", offset: 1, maxWaitMs: 500), version: 12) { answer = $0 }
        h.loop.advanceTime(by: .milliseconds(499))
        #expect(answer == nil)
        h.loop.advanceTime(by: .milliseconds(2))
        #expect(answer != nil)
    }

    @Test func parkedFetchOfADeletedTopicAnswersWithAnError() throws {
        let h = try BrokerHarness()
        _ = try h.produce("doomed", values: ["x"])
        var answer: ByteBuffer?
        try h.send(h.fetchRequest("doomed", offset: 1, maxWaitMs: 500), version: 12) { answer = $0 }
        try h.broker.registry.delete(name: "doomed")
        h.loop.advanceTime(by: .milliseconds(600))
        guard var bytes = answer else { Issue.record("the parked fetch should answer at its max wait"); return }
        bytes.moveReaderIndex(forwardBy: 4)
        let f = try KafkaFrame.decodeResponse(FetchResponse.self, version: 12, from: bytes).body
        #expect(f.responses[0].partitions[0].errorCode == ErrorCode.unknownTopicOrPartition.rawValue)
    }

    @Test func acksZeroGetsNoResponse() throws {
        let h = try BrokerHarness()
        var builder = RecordBatchBuilder()
        builder.append(key: nil, value: ByteBuffer(string: "fire-and-forget"), timestamp: 1)
        var request = ProduceRequest()
        request.acks = 0
        var t = ProduceRequest.TopicProduceData()
        t.name = "quiet"
        var p = ProduceRequest.PartitionProduceData()
        p.records = try builder.build()
        t.partitionData = [p]
        request.topicData = [t]
        var answers: [ByteBuffer?] = []
        try h.send(request, version: 9) { answers.append($0) }
        h.loop.run()
        #expect(answers.count == 1 && answers[0] == nil)
        #expect(h.broker.registry.topic("quiet")?.partition(0)?.logEndOffset == 1)
    }

    @Test func createTopicsValidatesAndReportsConfigs() throws {
        let h = try BrokerHarness()
        var request = CreateTopicsRequest()
        var t = CreateTopicsRequest.CreatableTopic()
        t.name = "made"
        t.numPartitions = 4
        t.replicationFactor = 1
        var c = CreateTopicsRequest.CreatableTopicConfig()
        c.name = "retention.ms"
        c.value = "1000"
        t.configs = [c]
        var bad = t
        bad.name = "made-bad"
        c.name = "retention.ms"
        c.value = "soon"
        bad.configs = [c]
        var rf = t
        rf.name = "made-rf"
        rf.replicationFactor = 3
        request.topics = [t, bad, rf]
        let r = try h.call(request, version: 7, CreateTopicsResponse.self)
        #expect(r.topics[0].errorCode == 0 && r.topics[0].numPartitions == 4)
        #expect(r.topics[0].configs?.first { $0.name == "retention.ms" }?.value == "1000")
        #expect(r.topics[1].errorCode == ErrorCode.invalidConfig.rawValue)
        #expect(r.topics[2].errorCode == ErrorCode.invalidReplicationFactor.rawValue)
        let again = try h.call(request, version: 7, CreateTopicsResponse.self)
        #expect(again.topics[0].errorCode == ErrorCode.topicAlreadyExists.rawValue)
    }
}
