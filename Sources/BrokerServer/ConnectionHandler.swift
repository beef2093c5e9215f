#if canImport(Glibc)
import Glibc
#endif
import Broker
import Logging
import NIOCore

/// One client connection: hands each frame to the broker and writes the responses back in
/// request order, as Kafka promises, even when a later request finishes first (a fetch parked
/// for data behind a produce, say).
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Requests in flight on one connection before we stop reading from it.
    static let inFlightMax = 128

    private let broker: Broker
    private let logger: Logger
    private var nextSequence = 0
    private var nextToSend = 0
    /// Finished responses waiting for earlier ones; `.some(nil)` is a request with no response.
    private var finished: [Int: ByteBuffer?] = [:]
    private var readPaused = false
    private var peer = "?"

    init(broker: Broker, logger: Logger) {
        self.broker = broker
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress?.description ?? "?"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let sequence = nextSequence
        nextSequence += 1
        let loop = context.eventLoop
        let respond: (ByteBuffer?) -> Void = { [self] response in
            if loop.inEventLoop {
                complete(sequence, response, context: context)
            } else {
                loop.execute { self.complete(sequence, response, context: context) }
            }
        }
        do {
            try broker.handle(frame: frame, eventLoop: loop, respond: respond)
        } catch {
            logger.warning("closing connection from \(peer): \(error)")
            context.close(promise: nil)
            return
        }
        if nextSequence - nextToSend >= Self.inFlightMax && !readPaused {
            readPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    private func complete(_ sequence: Int, _ response: ByteBuffer?, context: ChannelHandlerContext) {
        finished[sequence] = .some(response)
        var wrote = false
        while let next = finished.removeValue(forKey: nextToSend) {
            nextToSend += 1
            if let bytes = next {
                context.write(wrapOutboundOut(bytes), promise: nil)
                wrote = true
            }
        }
        if wrote { context.flush() }
        if readPaused && nextSequence - nextToSend < Self.inFlightMax / 2 {
            readPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let io = error as? IOError, io.errnoCode == ECONNRESET || io.errnoCode == EPIPE {
            // The client went away: nothing to report.
        } else {
            logger.warning("closing connection from \(peer): \(error)")
        }
        context.close(promise: nil)
    }
}
