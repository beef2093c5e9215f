import NIOCore
import Testing
@testable import KafkaProtocol

@Suite struct TaggedFieldTests {
    func fetchResponse() -> FetchResponse {
        var partition = FetchResponse.PartitionData()
        partition.partitionIndex = 3
        partition.highWatermark = 100
        partition.divergingEpoch.epoch = 7
        partition.divergingEpoch.endOffset = 90
        partition.currentLeader.leaderId = 1
        partition.currentLeader.leaderEpoch = 7
        partition.snapshotId.endOffset = 80
        partition.snapshotId.epoch = 6
        partition.records = ByteBuffer(bytes: [1, 2, 3])
        var topic = FetchResponse.FetchableTopicResponse()
        topic.topicId = Uuid(high: 1, low: 2)
        topic.partitions = [partition]
        var response = FetchResponse()
        response.responses = [topic]
        var node = FetchResponse.NodeEndpoint()
        node.nodeId = 1
        node.host = "localhost"
        node.port = 9092
        node.rack = "r1"
        response.nodeEndpoints = [node]
        return response
    }

    @Test func fetchResponseTaggedFieldsRoundTripInFlexibleVersions() throws {
        let response = fetchResponse()
        let bytes = try KafkaFrame.encodeBody(response, version: 16)
        let decoded = try KafkaFrame.decodeBody(FetchResponse.self, version: 16, from: bytes)
        #expect(decoded == response)
        #expect(decoded.responses[0].partitions[0].divergingEpoch.endOffset == 90)
        #expect(decoded.nodeEndpoints[0].host == "localhost")
    }

    @Test func taggedFieldsAreDroppedInVersionsWithoutThem() throws {
        // v15 has DivergingEpoch etc. but not NodeEndpoints; v11 has no tagged fields at all.
        let v15 = try KafkaFrame.decodeBody(
            FetchResponse.self, version: 15, from: try KafkaFrame.encodeBody(fetchResponse(), version: 15))
        #expect(v15.nodeEndpoints.isEmpty)
        #expect(v15.responses[0].partitions[0].divergingEpoch.epoch == 7)
        let v11 = try KafkaFrame.decodeBody(
            FetchResponse.self, version: 11, from: try KafkaFrame.encodeBody(fetchResponse(), version: 11))
        #expect(v11.responses[0].partitions[0].divergingEpoch == FetchResponse.EpochEndOffset())
    }

    @Test func defaultTaggedFieldsAreNotWritten() throws {
        var response = ProduceResponse()
        var topic = ProduceResponse.TopicProduceResponse()
        topic.name = "a"
        var partition = ProduceResponse.PartitionProduceResponse()
        partition.baseOffset = 5
        topic.partitionResponses = [partition]
        response.responses = [topic]
        let plain = try KafkaFrame.encodeBody(response, version: 10)
        response.responses[0].partitionResponses[0].currentLeader.leaderId = 2
        let tagged = try KafkaFrame.encodeBody(response, version: 10)
        // The tag (1 byte), its size (1 byte) and the struct (4 + 4 + 1 bytes) are added.
        #expect(tagged.readableBytes == plain.readableBytes + 11)
        #expect(try KafkaFrame.decodeBody(ProduceResponse.self, version: 10, from: tagged) == response)
    }

    @Test func unknownTagsAreSkipped() throws {
        // ApiVersions v3 request with an extra tag 9 that we do not know.
        var b = ByteBuffer()
        b.writeUnsignedVarint(4); b.writeString("abc")
        b.writeUnsignedVarint(2); b.writeString("1")
        b.writeUnsignedVarint(1)  // one tagged field
        b.writeUnsignedVarint(9); b.writeUnsignedVarint(3); b.writeBytes([1, 2, 3])
        let request = try KafkaFrame.decodeBody(ApiVersionsRequest.self, version: 3, from: b)
        #expect(request.clientSoftwareName == "abc")
        #expect(request.clientSoftwareVersion == "1")
    }

    @Test func tagsOutOfOrderAreRejected() throws {
        var b = ByteBuffer()
        b.writeUnsignedVarint(1); b.writeUnsignedVarint(1)
        b.writeUnsignedVarint(2)
        b.writeUnsignedVarint(5); b.writeUnsignedVarint(0)
        b.writeUnsignedVarint(4); b.writeUnsignedVarint(0)
        #expect(throws: ProtocolError.self) { _ = try KafkaFrame.decodeBody(ApiVersionsRequest.self, version: 3, from: b) }
    }

    @Test func nullInAVersionThatForbidsItIsAnEncodingError() throws {
        var request = MetadataRequest()
        request.topics = nil  // "all topics" is null only from v1
        #expect(throws: ProtocolError.self) { _ = try KafkaFrame.encodeBody(request, version: 0) }
        let v1 = try KafkaFrame.decodeBody(MetadataRequest.self, version: 1, from: try KafkaFrame.encodeBody(request, version: 1))
        #expect(v1.topics == nil)
    }
}

@Suite struct DefaultValueTests {
    @Test func upstreamDefaultsAreKept() {
        #expect(FetchRequest().maxBytes == Int32.max)
        #expect(FetchRequest().sessionEpoch == -1)
        #expect(FetchRequest().replicaId == -1)
        #expect(MetadataRequest().allowAutoTopicCreation)
        #expect(MetadataResponse().clusterAuthorizedOperations == Int32.min)
        #expect(ProduceResponse.PartitionProduceResponse().logAppendTimeMs == -1)
        #expect(CreateTopicsRequest().timeoutMs == 60_000)
        #expect(DescribeClusterRequest().endpointType == 1)
        #expect(OffsetForLeaderEpochRequest().replicaId == -2)
        #expect(ProduceRequest().transactionalId == nil)
    }

    @Test func fetchPartitionsDefaultToEmptyNotNullRecords() throws {
        // librdkafka fails the whole fetch response on a null records field ("invalid MessageSetSize -1").
        var topic = FetchResponse.FetchableTopicResponse()
        topic.partitions = [FetchResponse.PartitionData()]
        var response = FetchResponse()
        response.responses = [topic]
        for version: Int16 in [4, 11, 12, 16] {
            let decoded = try KafkaFrame.decodeBody(
                FetchResponse.self, version: version, from: try KafkaFrame.encodeBody(response, version: version))
            #expect(decoded.responses[0].partitions[0].records == ByteBuffer())
        }
    }
}
