#if canImport(Glibc)
import Glibc
#endif
import KafkaProtocol
import LogStorage
import Logging
import NIOCore

/// What a handler needs of the connection a request came on.
public struct RequestContext {
    public var header: RequestHeader
    public var apiKey: ApiKey
    /// The connection's event loop: parked fetches and timers run here.
    public var eventLoop: EventLoop
    /// Sends the response frame (size prefix included); nil means "no response" (acks=0).
    public var respond: (ByteBuffer?) -> Void

    public init(header: RequestHeader, apiKey: ApiKey, eventLoop: EventLoop, respond: @escaping (ByteBuffer?) -> Void) {
        self.header = header
        self.apiKey = apiKey
        self.eventLoop = eventLoop
        self.respond = respond
    }

    var version: Int16 { header.apiVersion }
    var flexible: Bool { apiKey.versions.isFlexible(header.apiVersion) }

    /// Encodes `body` as this request's response frame and sends it.
    func reply<T: WireStruct>(_ body: T) {
        respond(Broker.frame(body, apiKey: apiKey, version: version, correlationId: header.correlationId))
    }
}

/// The broker: the topics and their logs, and a handler for each API.
///
/// Handlers run on the event loop of the connection that sent the request; shared state is
/// guarded by the registry's and each log's locks. Waiting (acks=all durability, fetch long
/// polls) never blocks a thread: it parks a continuation that the flusher or an append resumes.
public final class Broker: @unchecked Sendable {
    public let config: BrokerConfig
    public let registry: TopicRegistry
    public let clusterId: String
    let logger: Logger
    let flusher: Flusher
    let fetchWaiters = FetchWaiters()
    let producerIds: ProducerIdAllocator
    /// The consumer-group coordinator; its offsets topic is loaded when the broker starts.
    public let groups: GroupCoordinator
    let clock: @Sendable () -> Int64

    public init(config: BrokerConfig, logger: Logger, clock: @escaping @Sendable () -> Int64 = Broker.wallClockMs) throws {
        self.config = config
        self.logger = logger
        self.clock = clock
        try FileSystem.createDirectory(config.dataDirectory)
        clusterId = try ClusterIdentity.loadOrCreate(dataDirectory: config.dataDirectory, nodeId: config.nodeId)
        registry = try TopicRegistry(config: config, clock: clock)
        groups = try GroupCoordinator(config: GroupConfig(broker: config), registry: registry, logger: logger, clock: clock)
        producerIds = try ProducerIdAllocator(dataDirectory: config.dataDirectory)
        flusher = Flusher(logger: logger)
    }

    public static let wallClockMs: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Encodes a response frame: size, response header, body.
    static func frame<T: WireStruct>(_ body: T, apiKey: ApiKey, version: Int16, correlationId: Int32) -> ByteBuffer {
        do {
            return try KafkaFrame.encodeResponse(body, apiKey: apiKey, version: version, correlationId: correlationId)
        } catch {
            // Only a value our own handler put in the response can fail to encode: a bug.
            preconditionFailure("encoding \(apiKey) v\(version) response failed: \(error)")
        }
    }

    /// Why a request frame could not be served; the connection is closed.
    public struct RequestError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Handles one request frame (without its size prefix). Throws when the frame cannot be
    /// answered at all (unknown API, unsupported version, malformed body): the caller logs it and
    /// closes the connection, as Kafka does.
    public func handle(frame: ByteBuffer, eventLoop: EventLoop, respond: @escaping (ByteBuffer?) -> Void) throws {
        var body = frame
        let header = try RequestHeader.decode(from: &body)
        guard let api = ApiKey(rawValue: header.apiKey) else {
            throw RequestError(description: "unknown API key \(header.apiKey) from client '\(header.clientId ?? "")'")
        }
        guard api.versions.contains(header.apiVersion) else {
            if api == .apiVersions {
                // Answer in the v0 layout, which every client can read, with what we serve.
                var response = apiVersionsResponse()
                response.errorCode = ErrorCode.unsupportedVersion.rawValue
                respond(Broker.frame(response, apiKey: .apiVersions, version: 0, correlationId: header.correlationId))
                return
            }
            throw RequestError(description: "\(api) version \(header.apiVersion) is not supported (we serve \(api.versions.min)–\(api.versions.max))")
        }
        let ctx = RequestContext(header: header, apiKey: api, eventLoop: eventLoop, respond: respond)
        func decode<T: WireStruct>(_: T.Type) throws -> T {
            try WireDecoder.decode(T.self, from: body, version: header.apiVersion, flexible: ctx.flexible)
        }
        switch api {
        case .apiVersions: handleApiVersions(try decode(ApiVersionsRequest.self), ctx)
        case .metadata: handleMetadata(try decode(MetadataRequest.self), ctx)
        case .produce: handleProduce(try decode(ProduceRequest.self), ctx)
        case .fetch: handleFetch(try decode(FetchRequest.self), ctx)
        case .listOffsets: handleListOffsets(try decode(ListOffsetsRequest.self), ctx)
        case .createTopics: handleCreateTopics(try decode(CreateTopicsRequest.self), ctx)
        case .deleteTopics: handleDeleteTopics(try decode(DeleteTopicsRequest.self), ctx)
        case .createPartitions: handleCreatePartitions(try decode(CreatePartitionsRequest.self), ctx)
        case .describeConfigs: handleDescribeConfigs(try decode(DescribeConfigsRequest.self), ctx)
        case .alterConfigs: handleAlterConfigs(try decode(AlterConfigsRequest.self), ctx)
        case .incrementalAlterConfigs: handleIncrementalAlterConfigs(try decode(IncrementalAlterConfigsRequest.self), ctx)
        case .describeCluster: handleDescribeCluster(try decode(DescribeClusterRequest.self), ctx)
        case .offsetForLeaderEpoch: handleOffsetForLeaderEpoch(try decode(OffsetForLeaderEpochRequest.self), ctx)
        case .deleteRecords: handleDeleteRecords(try decode(DeleteRecordsRequest.self), ctx)
        case .initProducerId: handleInitProducerId(try decode(InitProducerIdRequest.self), ctx)
        case .offsetCommit, .offsetFetch, .findCoordinator, .joinGroup, .heartbeat, .leaveGroup, .syncGroup,
             .describeGroups, .listGroups, .deleteGroups, .offsetDelete:
            try handleGroupRequest(api, body: body, ctx)
        }
    }

    /// Applies retention to every partition (called periodically by the server).
    public func enforceRetention() {
        let now = clock()
        for topic in registry.all {
            for log in topic.partitions {
                do { try log.enforceRetention(nowMs: now) } catch { logger.error("retention of \(log.directory) failed: \(error)") }
            }
        }
    }

    /// One pass of the log cleaner: compacts every compacted partition whose dirty share has reached
    /// min.cleanable.dirty.ratio (called every log.cleaner.backoff.ms by the server).
    public func cleanCompactedLogs() {
        let now = clock()
        for topic in registry.all {
            for log in topic.partitions {
                do {
                    if let r = try log.compact(nowMs: now) {
                        logger.debug("cleaned \(log.directory): \(r.segmentsCleaned) segments, \(r.recordsRemoved) records removed, \(r.bytesBefore) → \(r.bytesAfter) bytes")
                    }
                } catch {
                    logger.error("cleaning of \(log.directory) failed: \(error)")
                }
            }
        }
    }

    /// Flushes every partition (the interval flush policy, and shutdown).
    public func flushAll() {
        for topic in registry.all {
            for log in topic.partitions {
                do { try log.flush() } catch { logger.error("flush of \(log.directory) failed: \(error)") }
            }
        }
    }

    public func shutdown() {
        groups.shutdown()
        flushAll()
        flusher.stop()
    }
}
