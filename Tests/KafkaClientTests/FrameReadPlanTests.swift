@testable import KafkaClient
import NIOCore
import NIOEmbedded
import Testing

/// How a connection's reads are sized: a frame's 4-byte size first, then exactly the rest of the frame,
/// which is then handed on as the buffer it was read into.
struct FrameReadPlanTests {
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var frames: [ByteBuffer] = []
        var heads: [ByteBuffer] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) { frames.append(unwrapInboundIn(data)) }
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let head = event as? ResponseHead { heads.append(head.bytes) }
        }
    }

    static func channel(_ plan: FrameReadPlan) throws -> (EmbeddedChannel, Collector) {
        let channel = EmbeddedChannel()
        let collector = Collector()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(ResponseFrameDecoder(maxFrameBytes: 1 << 24, plan: plan)))
        try channel.pipeline.syncOperations.addHandler(collector)
        return (channel, collector)
    }

    /// What the connection's allocator hands the next read, as NIO would fill it.
    static func nextReadBuffer(_ plan: FrameReadPlan, filledWith bytes: [UInt8]) -> ByteBuffer {
        let bytesAsked = plan.nextReadBytes
        var buffer = FrameSizedRecvAllocator(plan: plan).buffer(allocator: ByteBufferAllocator())
        #expect(buffer.writableBytes == bytesAsked)
        buffer.writeBytes(bytes.prefix(buffer.writableBytes))
        return buffer
    }

    static func frame(bodyBytes: Int) -> [UInt8] {
        var b = ByteBuffer()
        b.writeInteger(Int32(bodyBytes))
        b.writeBytes((0..<bodyBytes).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        return Array(b.readableBytesView)
    }

    @Test func theSizeIsReadAloneThenTheWholeRestIntoOneBufferThatBecomesTheFrame() throws {
        let plan = FrameReadPlan(readBytesMax: 4 << 20)
        let (channel, collector) = try Self.channel(plan)
        let bytes = Self.frame(bodyBytes: 300_001)  // not a power of two: the read must still stop at the frame's end
        #expect(plan.nextReadBytes == 4)
        try channel.writeInbound(Self.nextReadBuffer(plan, filledWith: Array(bytes[..<4])))
        #expect(plan.nextReadBytes == 300_001)
        let rest = Self.nextReadBuffer(plan, filledWith: Array(bytes[4...]))
        let restAddress = rest.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
        try channel.writeInbound(rest)
        #expect(collector.frames.count == 1)
        let frame = try #require(collector.frames.first)
        #expect(Array(frame.readableBytesView) == Array(bytes[4...]))
        // Handed on in place: the frame is the read buffer, not a copy of it.
        #expect(frame.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == restAddress)
        #expect(plan.nextReadBytes == 4)
        _ = try channel.finish()
    }

    @Test func aLargeFrameShowsItsHeadFirstAndIsStillOneBufferWithoutCopyingTheRest() throws {
        let plan = FrameReadPlan(readBytesMax: 4 << 20, headBytes: 512)
        let (channel, collector) = try Self.channel(plan)
        let small = Self.frame(bodyBytes: 600)  // below the size worth a head: read whole
        let large = Self.frame(bodyBytes: 200_003)
        var asked: [Int] = []
        var restAddress: UInt?
        for bytes in [small, large] {
            var offset = 0
            while offset < bytes.count {
                asked.append(plan.nextReadBytes)
                let carried = plan.carried?.readableBytes ?? 0
                let piece = Array(bytes[offset..<(offset + plan.nextReadBytes)])
                let buffer = Self.nextReadBuffer(plan, filledWith: piece)
                if carried > 0 {
                    #expect(buffer.readableBytes == carried + piece.count)
                    restAddress = buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
                }
                try channel.writeInbound(buffer)
                offset += piece.count
            }
        }
        #expect(asked == [4, 600, 4, 512, 200_003 - 512])
        #expect(plan.nextReadBytes == 4 && plan.carried == nil)
        #expect(collector.heads.map { Array($0.readableBytesView) } == [Array(large[4..<516])])
        #expect(collector.frames.map { Array($0.readableBytesView) } == [Array(small[4...]), Array(large[4...])])
        #expect(collector.frames.last!.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) } == restAddress)
        _ = try channel.finish()
    }

    @Test func aFrameArrivingInPiecesIsGatheredAndTheReadsAskOnlyForWhatIsMissing() throws {
        let plan = FrameReadPlan(readBytesMax: 4 << 20)
        let (channel, collector) = try Self.channel(plan)
        let bytes = Self.frame(bodyBytes: 100_000) + Self.frame(bodyBytes: 10)
        var offset = 0
        var asked: [Int] = []
        // Every read delivers at most 30,000 bytes, as if the rest had not arrived yet.
        while offset < bytes.count {
            asked.append(plan.nextReadBytes)
            let piece = Array(bytes[offset..<min(bytes.count, offset + min(30_000, plan.nextReadBytes))])
            try channel.writeInbound(Self.nextReadBuffer(plan, filledWith: piece))
            offset += piece.count
        }
        #expect(asked == [4, 100_000, 70_000, 40_000, 10_000, 4, 10])
        #expect(collector.frames.map(\.readableBytes) == [100_000, 10])
        #expect(Array(collector.frames[0].readableBytesView) == Array(bytes[4..<100_004]))
        #expect(Array(collector.frames[1].readableBytesView) == Array(bytes[100_008...]))
        _ = try channel.finish()
    }

    @Test func aReadIsNeverLargerThanTheLimit() throws {
        let plan = FrameReadPlan(readBytesMax: 64 * 1024)
        let (channel, collector) = try Self.channel(plan)
        let bytes = Self.frame(bodyBytes: 200_000)
        var offset = 0
        while offset < bytes.count {
            #expect(plan.nextReadBytes <= 64 * 1024)
            let piece = Array(bytes[offset..<min(bytes.count, offset + plan.nextReadBytes)])
            try channel.writeInbound(Self.nextReadBuffer(plan, filledWith: piece))
            offset += piece.count
        }
        #expect(collector.frames.count == 1 && collector.frames[0].readableBytes == 200_000)
        _ = try channel.finish()
    }
}
