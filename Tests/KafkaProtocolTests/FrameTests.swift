import NIOCore
import Testing
@testable import KafkaProtocol

/// Whole frames: size prefix, header, body, in both directions.
@Suite struct FrameTests {
    func stripSize(_ frame: ByteBuffer) throws -> ByteBuffer {
        var f = frame
        let size = f.readInteger(as: Int32.self)
        #expect(size.map(Int.init) == f.readableBytes)
        return f
    }

    @Test(arguments: [Int16(0), 3, 9, 12])
    func requestFramesRoundTrip(version: Int16) throws {
        var request = MetadataRequest()
        var topic = MetadataRequest.MetadataRequestTopic()
        topic.name = "orders"
        request.topics = [topic]
        let frame = try KafkaFrame.encodeRequest(request, version: version, correlationId: 41, clientId: "me")
        let (header, body) = try KafkaFrame.decodeRequest(from: try stripSize(frame))
        #expect(header.apiKey == ApiKey.metadata.rawValue)
        #expect(header.apiVersion == version)
        #expect(header.correlationId == 41)
        #expect(header.clientId == "me")
        guard case .metadata(let decoded) = body else { Issue.record("not Metadata"); return }
        #expect(decoded.topics?.first?.name == "orders")
    }

    @Test(arguments: [Int16(3), 8, 9, 11])
    func responseFramesRoundTrip(version: Int16) throws {
        var response = ProduceResponse()
        var topic = ProduceResponse.TopicProduceResponse()
        topic.name = "orders"
        var partition = ProduceResponse.PartitionProduceResponse()
        partition.baseOffset = 99
        topic.partitionResponses = [partition]
        response.responses = [topic]
        let frame = try KafkaFrame.encodeResponse(response, version: version, correlationId: 7)
        let (correlationId, decoded) = try KafkaFrame.decodeResponse(
            ProduceResponse.self, version: version, from: try stripSize(frame))
        #expect(correlationId == 7)
        #expect(decoded == response)
    }

    @Test func apiVersionsResponsesKeepHeaderV0EvenWhenFlexible() throws {
        var response = ApiVersionsResponse()
        response.apiKeys = [ApiVersionsResponse.ApiVersion(apiKey: 18, minVersion: 0, maxVersion: 4)]
        let frame = try stripSize(try KafkaFrame.encodeResponse(response, version: 3, correlationId: 1))
        // correlation id (4 bytes) then directly the error code: no tagged-field byte in the header.
        #expect(frame.getInteger(at: frame.readerIndex + 4, as: Int16.self) == 0)
        #expect(frame.getInteger(at: frame.readerIndex + 6, as: UInt8.self) == 2)  // compact array of 1
        #expect(try KafkaFrame.decodeResponse(ApiVersionsResponse.self, version: 3, from: frame).body == response)
    }

    @Test func flexibleResponseHeadersCarryATagBlock() throws {
        let frame = try stripSize(try KafkaFrame.encodeResponse(HeartbeatResponse(), version: 4, correlationId: 1))
        // correlation id, empty header tags, throttle, error code, empty body tags.
        #expect(frame.readableBytes == 4 + 1 + 4 + 2 + 1)
    }

    @Test func unknownApiKeysAndUnsupportedVersionsAreReported() throws {
        var unknown = ByteBuffer()
        RequestHeader(apiKey: 999, apiVersion: 0, correlationId: 5, clientId: nil).encode(into: &unknown)
        #expect {
            _ = try KafkaFrame.decodeRequest(from: unknown)
        } throws: { ($0 as? ProtocolError)?.kind == .unknownApi }
        var tooNew = ByteBuffer()
        RequestHeader(apiKey: 18, apiVersion: 99, correlationId: 5, clientId: "c").encode(into: &tooNew)
        var header = tooNew
        #expect(try RequestHeader.decode(from: &header).correlationId == 5)
        #expect {
            _ = try KafkaFrame.decodeRequest(from: tooNew)
        } throws: { ($0 as? ProtocolError)?.kind == .unsupportedVersion }
        #expect(throws: ProtocolError.self) {
            _ = try KafkaFrame.encodeRequest(ApiVersionsRequest(), version: 9, correlationId: 1, clientId: nil)
        }
    }
}
