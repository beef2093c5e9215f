import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// One TCP connection to one broker, with the API versions negotiated when it opened.
///
/// Requests are pipelined: `send` may be called from any thread, any number of times, without
/// waiting for earlier answers.
public final class BrokerConnection: @unchecked Sendable {
    /// The broker's node id, or nil for a bootstrap connection made before metadata was known.
    public let nodeId: Int32?
    public let address: BrokerAddress
    /// The versions chosen against this broker.
    public let versions: ApiVersionTable
    let channel: Channel
    private let clientId: String
    private let requestTimeout: TimeAmount

    private init(nodeId: Int32?, address: BrokerAddress, channel: Channel, versions: ApiVersionTable, config: ClientConfig) {
        self.nodeId = nodeId
        self.address = address
        self.channel = channel
        self.versions = versions
        self.clientId = config.clientId
        self.requestTimeout = .milliseconds(config.requestTimeoutMs)
    }

    private init(adopting other: BrokerConnection, nodeId: Int32) {
        self.nodeId = nodeId
        self.address = other.address
        self.channel = other.channel
        self.versions = other.versions
        self.clientId = other.clientId
        self.requestTimeout = other.requestTimeout
    }

    /// This (bootstrap) connection as the connection of broker `nodeId`: the same channel and
    /// negotiated versions, with the node's id.
    func adopted(asNode nodeId: Int32) -> BrokerConnection {
        BrokerConnection(adopting: self, nodeId: nodeId)
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Opens a connection and negotiates API versions (ApiVersions v3, falling back to v0 for brokers
    /// that predate flexible versions).
    public static func connect(
        to address: BrokerAddress, nodeId: Int32?, config: ClientConfig, group: EventLoopGroup
    ) async throws -> BrokerConnection {
        let name = "\(address)" + (nodeId.map { " (node \($0))" } ?? "")
        // Each read takes what the framing asks for: a frame's size, then the rest of the frame in one
        // buffer once it has all arrived (FrameReadPlan), so an answer is framed in place, not copied
        // together from the pieces it arrived in. One read per wake-up, so that the read of a size
        // prefix is not followed at once by a read of whatever part of the frame is there yet.
        let plan = FrameReadPlan(readBytesMax: config.readBufferBytesMax, headBytes: ClientLimits.responseHeadBytes)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(config.connectTimeoutMs))
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .channelOption(ChannelOptions.recvAllocator, value: FrameSizedRecvAllocator(plan: plan))
            .channelOption(ChannelOptions.maxMessagesPerRead, value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(ResponseFrameDecoder(maxFrameBytes: ClientLimits.responseFrameBytesMax, plan: plan)))
                    try channel.pipeline.syncOperations.addHandler(RequestResponseHandler(brokerName: name))
                }
            }
        let channel: Channel
        do {
            if let ip = try? SocketAddress(ipAddress: address.host, port: address.port) {
                // An address literal needs no resolver: connect at once instead of resolving it on a
                // background thread and racing the (one) result, as `connect(host:port:)` would.
                channel = try await bootstrap.connect(to: ip).get()
            } else {
                channel = try await bootstrap.connect(host: address.host, port: address.port).get()
            }
        } catch {
            throw KafkaClientError.connectionFailed(broker: name, reason: "\(error)")
        }
        do {
            let versions = try await negotiate(channel: channel, name: name, config: config)
            return BrokerConnection(nodeId: nodeId, address: address, channel: channel, versions: versions, config: config)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    private static func negotiate(channel: Channel, name: String, config: ClientConfig) async throws -> ApiVersionTable {
        var request = ApiVersionsRequest()
        request.clientSoftwareName = "tributary-swift"
        request.clientSoftwareVersion = "0.1.0"
        let timeout = TimeAmount.milliseconds(config.requestTimeoutMs)
        let frame = try KafkaFrame.encodeRequest(request, version: 3, correlationId: 0, clientId: config.clientId)
        let reply = try await roundTrip(channel: channel, frame: frame, api: .apiVersions, timeout: timeout)
        // A broker that does not know v3 answers in the v0 layout with UNSUPPORTED_VERSION.
        if let (_, body) = try? KafkaFrame.decodeResponse(ApiVersionsResponse.self, version: 3, from: reply),
           body.errorCode == 0 {
            return ApiVersionTable(body)
        }
        let frame0 = try KafkaFrame.encodeRequest(ApiVersionsRequest(), version: 0, correlationId: 0, clientId: config.clientId)
        let reply0 = try await roundTrip(channel: channel, frame: frame0, api: .apiVersions, timeout: timeout)
        let body0: ApiVersionsResponse
        do {
            body0 = try KafkaFrame.decodeResponse(ApiVersionsResponse.self, version: 0, from: reply0).body
        } catch {
            throw KafkaClientError.protocolViolation(broker: name, detail: "ApiVersions v0: \(error)")
        }
        if let e = KafkaClientError.check(body0.errorCode, "ApiVersions to \(name)") { throw e }
        return ApiVersionTable(body0)
    }

    private static func roundTrip(channel: Channel, frame: ByteBuffer, api: ApiKey, timeout: TimeAmount) async throws -> ByteBuffer {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(OutboundRequest(frame: frame, apiKey: api.rawValue, response: promise, timeout: timeout), promise: nil)
        return try await promise.futureResult.get()
    }

    /// Sends an already-encoded request frame; the future gives the response frame (header included).
    /// With `expectsResponse` false the future completes when the bytes are written, with an empty buffer.
    /// `timeoutMs` overrides the request timeout (JoinGroup waits for a whole rebalance).
    public func sendFrame(_ frame: ByteBuffer, api: ApiKey, expectsResponse: Bool = true, timeoutMs: Int64? = nil) -> EventLoopFuture<ByteBuffer> {
        sendFrame(frame, api: api, expectsResponse: expectsResponse, timeoutMs: timeoutMs, onHead: nil)
    }

    /// As `sendFrame`, and `onHead` sees the first `ResponseHead.bytes` of a large answer on the event loop
    /// before the rest of it is read.
    func sendFrame(_ frame: ByteBuffer, api: ApiKey, expectsResponse: Bool = true, timeoutMs: Int64? = nil,
                   onHead: ((ByteBuffer) -> Void)?) -> EventLoopFuture<ByteBuffer> {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        let request = OutboundRequest(
            frame: frame, apiKey: api.rawValue, response: expectsResponse ? promise : nil,
            timeout: timeoutMs.map { .milliseconds($0) } ?? requestTimeout, onHead: onHead)
        if expectsResponse {
            // A write that never reaches the handler (the channel closed and its pipeline is gone)
            // must still complete the answer; one the handler already failed is not failed twice.
            let written = channel.eventLoop.makePromise(of: Void.self)
            let address = self.address
            written.futureResult.whenFailure { error in
                promise.fail(error as? KafkaClientError ?? .connectionClosed(broker: "\(address)"))
            }
            channel.writeAndFlush(request, promise: written)
        } else {
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(request, promise: written)
            written.futureResult.map { ByteBuffer() }.cascade(to: promise)
        }
        return promise.futureResult
    }

    /// The version to use for `api` with this broker, or a typed error when there is none.
    public func version(for api: ApiKey) throws -> Int16 {
        guard let v = versions.version(for: api) else {
            let r = versions.broker[api.rawValue]
            throw KafkaClientError.unsupportedVersion(
                api: api, broker: "\(address)", brokerMin: r?.lowerBound, brokerMax: r?.upperBound)
        }
        return v
    }

    /// Encodes `body` at the negotiated (or given) version, sends it, and decodes the answer.
    public func request<R: KafkaRequestMessage>(_ body: R, version: Int16? = nil, timeoutMs: Int64? = nil) async throws -> R.Response {
        let v = try version ?? self.version(for: R.apiKey)
        let frame = try KafkaFrame.encodeRequest(body, version: v, correlationId: 0, clientId: clientId)
        let reply = try await sendFrame(frame, api: R.apiKey, timeoutMs: timeoutMs).get()
        return try decode(R.Response.self, version: v, from: reply)
    }

    /// As `request`, without suspending: the request is written now (at once when called on the
    /// connection's event loop) and the answer is decoded on that event loop.
    public func send<R: KafkaRequestMessage>(_ body: R, version: Int16? = nil, timeoutMs: Int64? = nil) -> EventLoopFuture<R.Response> {
        send(body, version: version, timeoutMs: timeoutMs, onHead: nil)
    }

    /// As `send`; `onHead` gets the negotiated version and the first bytes of a large answer (see
    /// `sendFrame(_:api:expectsResponse:timeoutMs:onHead:)`).
    func send<R: KafkaRequestMessage>(_ body: R, version: Int16? = nil, timeoutMs: Int64? = nil,
                                      onHead: ((Int16, ByteBuffer) -> Void)?) -> EventLoopFuture<R.Response> {
        do {
            let v = try version ?? self.version(for: R.apiKey)
            let frame = try KafkaFrame.encodeRequest(body, version: v, correlationId: 0, clientId: clientId)
            return sendFrame(frame, api: R.apiKey, timeoutMs: timeoutMs, onHead: onHead.map { f in { f(v, $0) } }).flatMapThrowing { reply in
                try self.decode(R.Response.self, version: v, from: reply)
            }
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
    }

    /// The event loop the connection's I/O runs on.
    public var eventLoop: EventLoop { channel.eventLoop }

    /// Decodes a response frame of `T` at `version`, turning codec errors into typed client errors.
    public func decode<T: KafkaMessage>(_: T.Type, version: Int16, from frame: ByteBuffer) throws -> T {
        do {
            return try KafkaFrame.decodeResponse(T.self, version: version, from: frame).body
        } catch {
            throw KafkaClientError.protocolViolation(broker: "\(address)", detail: "\(T.apiKey) v\(version): \(error)")
        }
    }

    /// Closes the connection; outstanding requests fail with `connectionClosed`.
    public func close() {
        channel.close(promise: nil)
    }
}
