@testable import KafkaClient
import KafkaProtocol
import NIOCore
import NIOEmbedded
import Testing

/// The connection pipeline without sockets: framing, correlation ids, pipelining, timeouts and
/// failure of everything outstanding when the stream breaks.
struct RequestResponseHandlerTests {
    static func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ResponseFrameDecoder(maxFrameBytes: 1 << 20)))
        try channel.pipeline.syncOperations.addHandler(RequestResponseHandler(brokerName: "test"))
        return channel
    }

    /// A request frame (size, key, version, correlation id placeholder, one body byte).
    static func requestFrame(_ tag: UInt8) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int32(9))
        b.writeInteger(Int16(3))
        b.writeInteger(Int16(0))
        b.writeInteger(Int32(-1))
        b.writeInteger(tag)
        return b
    }

    static func responseFrame(correlationId: Int32, _ tag: UInt8) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int32(5))
        b.writeInteger(correlationId)
        b.writeInteger(tag)
        return b
    }

    static func send(_ channel: EmbeddedChannel, _ tag: UInt8, timeout: TimeAmount = .seconds(30)) -> EventLoopFuture<ByteBuffer> {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(OutboundRequest(frame: requestFrame(tag), apiKey: 3, response: promise, timeout: timeout), promise: nil)
        return promise.futureResult
    }

    /// The correlation ids stamped on the frames written so far.
    static func writtenIds(_ channel: EmbeddedChannel) throws -> [Int32] {
        var ids: [Int32] = []
        while let frame = try channel.readOutbound(as: ByteBuffer.self) {
            ids.append(frame.getInteger(at: frame.readerIndex + 8, as: Int32.self)!)
        }
        return ids
    }

    @Test func pipelinedRequestsAreMatchedByCorrelationIdEvenOutOfOrder() throws {
        let channel = try Self.channel()
        let first = Self.send(channel, 1)
        let second = Self.send(channel, 2)
        let ids = try Self.writtenIds(channel)
        #expect(ids.count == 2 && ids[0] != ids[1])
        // Answer the second first, delivered one byte at a time.
        var bytes = Self.responseFrame(correlationId: ids[1], 22)
        while let byte = bytes.readSlice(length: 1) { try channel.writeInbound(byte) }
        #expect(try second.wait().getInteger(at: 4, as: UInt8.self) == 22)
        try channel.writeInbound(Self.responseFrame(correlationId: ids[0], 11))
        #expect(try first.wait().getInteger(at: 4, as: UInt8.self) == 11)
        _ = try? channel.finish()
    }

    @Test func closingFailsOutstandingRequests() throws {
        let channel = try Self.channel()
        let pending = Self.send(channel, 1)
        _ = try Self.writtenIds(channel)
        channel.pipeline.fireChannelInactive()
        #expect(throws: KafkaClientError.connectionClosed(broker: "test")) { try pending.wait() }
    }

    @Test func timeoutFailsTheRequestAndClosesTheConnection() throws {
        let channel = try Self.channel()
        let pending = Self.send(channel, 1, timeout: .milliseconds(50))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(60))
        #expect(throws: KafkaClientError.requestTimedOut(api: .metadata, broker: "test", timeoutMs: 50)) { try pending.wait() }
        #expect(!channel.isActive)
    }

    @Test func answerToAnUnknownCorrelationIdBreaksTheConnection() throws {
        let channel = try Self.channel()
        let pending = Self.send(channel, 1)
        _ = try Self.writtenIds(channel)
        try? channel.writeInbound(Self.responseFrame(correlationId: 999, 0))
        #expect(throws: KafkaClientError.self) { try pending.wait() }
        #expect(!channel.isActive)
    }

    @Test func oversizedOrNegativeFrameSizeIsRefusedBeforeBuffering() throws {
        for size in [Int32(-1), 2, Int32(1 << 21)] {
            let channel = try Self.channel()
            let pending = Self.send(channel, 1)
            var b = ByteBuffer()
            b.writeInteger(size)
            // The decoder's error reaches the handler, which fails the request and closes.
            try? channel.writeInbound(b)
            #expect(throws: KafkaClientError.self) { try pending.wait() }
            #expect(!channel.isActive)
        }
    }
}
