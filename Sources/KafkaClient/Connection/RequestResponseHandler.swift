import KafkaProtocol
import NIOCore

/// Pipelines requests on one broker connection: stamps each outgoing frame with a fresh
/// correlation id, remembers its promise, and completes it with the response frame that carries the
/// same id. Any number of requests may be in flight. A timeout, a read error or the connection
/// closing fails every outstanding request and closes the channel, since the stream's state is then
/// unknown.
final class RequestResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutboundRequest
    typealias OutboundOut = ByteBuffer

    /// Offset of the correlation id in a request frame: size int32, api key int16, version int16.
    static let correlationIdOffset = 8

    private var outstanding = OutstandingRequests()
    private let brokerName: String
    private var closedError: KafkaClientError?

    init(brokerName: String) {
        self.brokerName = brokerName
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var request = unwrapOutboundIn(data)
        if let closedError {
            request.response?.fail(closedError)
            promise?.fail(closedError)
            return
        }
        let id = outstanding.allocateId()
        request.frame.setInteger(id, at: request.frame.readerIndex + Self.correlationIdOffset)
        if let response = request.response {
            let api = request.apiKey
            let timeoutMs = request.timeout.nanoseconds / 1_000_000
            let scheduled = context.eventLoop.scheduleTask(in: request.timeout) { [weak self] in
                guard let self else { return }
                let apiKey = ApiKey(rawValue: api) ?? .apiVersions
                self.failAll(context: context, KafkaClientError.requestTimedOut(api: apiKey, broker: self.brokerName, timeoutMs: timeoutMs))
            }
            outstanding.add(id, .init(promise: response, apiKey: api, timeout: scheduled, onHead: request.onHead))
        }
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard let id = frame.getInteger(at: frame.readerIndex, as: Int32.self) else { return }
        guard let entry = outstanding.remove(id) else {
            // An answer to nothing we asked: the stream cannot be trusted any more.
            failAll(context: context, .protocolViolation(broker: brokerName, detail: "response to unknown correlation id \(id)"))
            return
        }
        entry.timeout?.cancel()
        entry.promise.succeed(frame)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let head = event as? ResponseHead else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard let id = head.bytes.getInteger(at: head.bytes.readerIndex, as: Int32.self) else { return }
        // The callback may send requests of its own through this handler.
        let onHead = outstanding.entry(id)?.onHead
        onHead?(head.bytes)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(context: context, .connectionClosed(broker: brokerName))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let clientError: KafkaClientError
        if let e = error as? KafkaClientError {
            clientError = e
        } else if error is ProtocolViolation || error is ByteToMessageDecoderError {
            clientError = .protocolViolation(broker: brokerName, detail: "\(error)")
        } else {
            clientError = .connectionFailed(broker: brokerName, reason: "\(error)")
        }
        failAll(context: context, clientError)
    }

    private func failAll(context: ChannelHandlerContext, _ error: KafkaClientError) {
        if closedError == nil { closedError = error }
        for entry in outstanding.drain() {
            entry.timeout?.cancel()
            entry.promise.fail(error)
        }
        context.close(promise: nil)
    }
}
