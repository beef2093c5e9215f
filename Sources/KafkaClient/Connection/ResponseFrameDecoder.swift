import NIOCore

/// Splits a broker connection's byte stream into response frames (4-byte big-endian size, then
/// the response header and body). A size beyond the limit or below a header's closes the connection
/// before anything is buffered for it.
struct ResponseFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxFrameBytes: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 4, Int(size) <= maxFrameBytes else {
            throw ProtocolViolation(detail: "response frame size \(size) outside 4...\(maxFrameBytes)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else {
            // Room for the rest of the frame at once, so that a large Fetch answer is gathered without
            // the buffer doubling and copying itself on the way; but never more than a few times what
            // has arrived (beyond a first 16 MiB), so a peer that announces a huge frame and sends
            // little cannot make the client hold memory it never fills.
            let missing = 4 + Int(size) - buffer.readableBytes
            let room = min(missing, max(16 << 20, buffer.readableBytes * 4))
            if buffer.writableBytes < room { buffer.reserveCapacity(minimumWritableBytes: room) }
            return .needMoreData
        }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(size)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

/// A broker sent bytes that are not a Kafka response frame.
struct ProtocolViolation: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}
