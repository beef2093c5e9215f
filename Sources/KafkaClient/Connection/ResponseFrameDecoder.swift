import NIOCore

/// Splits a broker connection's byte stream into response frames (4-byte big-endian size, then
/// the response header and body). A size beyond the limit or below a header's closes the connection
/// before anything is buffered for it.
///
/// With a `FrameReadPlan` the decoder also says how much the next socket read takes: a frame's size
/// prefix is consumed on its own, then exactly the rest of the frame, so that a frame arriving in one
/// read is handed on as that read's buffer, never copied. When the plan reads heads first, a large
/// frame's first `headBytes` come alone and go up the pipeline as a `ResponseHead` event before the
/// rest is read (in a buffer that starts with a copy of the head).
struct ResponseFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxFrameBytes: Int
    let plan: FrameReadPlan?
    /// The size of the frame whose prefix has been consumed and whose body has not fully arrived.
    private var pendingFrameBytes: Int?
    /// Whether the pending frame's head is still to be read and announced.
    private var awaitingHead = false

    init(maxFrameBytes: Int, plan: FrameReadPlan? = nil) {
        self.maxFrameBytes = maxFrameBytes
        self.plan = plan
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let size: Int
        if let pending = pendingFrameBytes {
            size = pending
        } else {
            guard let prefix = buffer.readInteger(as: Int32.self) else {
                plan?.expectSizePrefix(context.channel, have: buffer.readableBytes)
                return .needMoreData
            }
            guard prefix >= 4, Int(prefix) <= maxFrameBytes else {
                throw ProtocolViolation(detail: "response frame size \(prefix) outside 4...\(maxFrameBytes)")
            }
            size = Int(prefix)
            if let plan, plan.readsHeadFirst(frameBytes: size), buffer.readableBytes == 0 {
                pendingFrameBytes = size
                awaitingHead = true
                plan.expectFrameRest(plan.headBytes, context.channel)
                return .needMoreData
            }
        }
        if awaitingHead, let plan {
            guard let head = buffer.readSlice(length: plan.headBytes) else {
                plan.expectFrameRest(plan.headBytes - buffer.readableBytes, context.channel)
                return .needMoreData
            }
            awaitingHead = false
            context.fireUserInboundEventTriggered(ResponseHead(bytes: head))
            if buffer.readableBytes == 0 {
                plan.carry(head, thenExpect: size - head.readableBytes, context.channel)
                return .needMoreData
            }
            // More than the head arrived in this buffer: frame it in place after all.
            buffer.moveReaderIndex(to: buffer.readerIndex - head.readableBytes)
        }
        guard let frame = buffer.readSlice(length: size) else {
            pendingFrameBytes = size
            let missing = size - buffer.readableBytes
            // Room for the rest of the frame at once, so that pieces of a large answer are gathered
            // without the buffer doubling and copying itself on the way; but never more than a few
            // times what has arrived (beyond a first 16 MiB), so a peer that announces a huge frame and
            // sends little cannot make the client hold memory it never fills.
            if buffer.readableBytes > 0 {
                let room = min(missing, max(16 << 20, buffer.readableBytes * 4))
                if buffer.writableBytes < room { buffer.reserveCapacity(minimumWritableBytes: room) }
            }
            plan?.expectFrameRest(missing, context.channel)
            return .needMoreData
        }
        pendingFrameBytes = nil
        if buffer.readableBytes == 0 { plan?.expectSizePrefix(context.channel) }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// The first bytes of a large response frame (correlation id first), announced before the rest of the
/// frame is read.
struct ResponseHead {
    var bytes: ByteBuffer
}

/// A broker sent bytes that are not a Kafka response frame.
struct ProtocolViolation: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
