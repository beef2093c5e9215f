import NIOCore

/// A decoded request body of any API we serve, so a broker can decode by key and version in one call
/// and dispatch on the case.
public enum RequestBody: Sendable {
    case produce(ProduceRequest)
    case fetch(FetchRequest)
    case listOffsets(ListOffsetsRequest)
    case metadata(MetadataRequest)
    case offsetCommit(OffsetCommitRequest)
    case offsetFetch(OffsetFetchRequest)
    case findCoordinator(FindCoordinatorRequest)
    case joinGroup(JoinGroupRequest)
    case heartbeat(HeartbeatRequest)
    case leaveGroup(LeaveGroupRequest)
    case syncGroup(SyncGroupRequest)
    case describeGroups(DescribeGroupsRequest)
    case listGroups(ListGroupsRequest)
    case apiVersions(ApiVersionsRequest)
    case createTopics(CreateTopicsRequest)
    case deleteTopics(DeleteTopicsRequest)
    case deleteRecords(DeleteRecordsRequest)
    case initProducerId(InitProducerIdRequest)
    case offsetForLeaderEpoch(OffsetForLeaderEpochRequest)
    case describeConfigs(DescribeConfigsRequest)
    case alterConfigs(AlterConfigsRequest)
    case createPartitions(CreatePartitionsRequest)
    case deleteGroups(DeleteGroupsRequest)
    case incrementalAlterConfigs(IncrementalAlterConfigsRequest)
    case offsetDelete(OffsetDeleteRequest)
    case describeCluster(DescribeClusterRequest)

    /// Decodes the body of a request whose header said `apiKey` and `version`.
    ///
    /// Throws `ProtocolError` with kind `.unsupportedVersion` when `version` is outside the range we
    /// serve, and `.truncated` / `.invalid` when the bytes are not a valid body of that version.
    public static func decode(apiKey: ApiKey, version: Int16, from buffer: ByteBuffer) throws -> RequestBody {
        func body<T: KafkaMessage>(_: T.Type) throws -> T {
            try KafkaFrame.decodeBody(T.self, version: version, from: buffer)
        }
        return switch apiKey {
        case .produce: .produce(try body(ProduceRequest.self))
        case .fetch: .fetch(try body(FetchRequest.self))
        case .listOffsets: .listOffsets(try body(ListOffsetsRequest.self))
        case .metadata: .metadata(try body(MetadataRequest.self))
        case .offsetCommit: .offsetCommit(try body(OffsetCommitRequest.self))
        case .offsetFetch: .offsetFetch(try body(OffsetFetchRequest.self))
        case .findCoordinator: .findCoordinator(try body(FindCoordinatorRequest.self))
        case .joinGroup: .joinGroup(try body(JoinGroupRequest.self))
        case .heartbeat: .heartbeat(try body(HeartbeatRequest.self))
        case .leaveGroup: .leaveGroup(try body(LeaveGroupRequest.self))
        case .syncGroup: .syncGroup(try body(SyncGroupRequest.self))
        case .describeGroups: .describeGroups(try body(DescribeGroupsRequest.self))
        case .listGroups: .listGroups(try body(ListGroupsRequest.self))
        case .apiVersions: .apiVersions(try body(ApiVersionsRequest.self))
        case .createTopics: .createTopics(try body(CreateTopicsRequest.self))
        case .deleteTopics: .deleteTopics(try body(DeleteTopicsRequest.self))
        case .deleteRecords: .deleteRecords(try body(DeleteRecordsRequest.self))
        case .initProducerId: .initProducerId(try body(InitProducerIdRequest.self))
        case .offsetForLeaderEpoch: .offsetForLeaderEpoch(try body(OffsetForLeaderEpochRequest.self))
        case .describeConfigs: .describeConfigs(try body(DescribeConfigsRequest.self))
        case .alterConfigs: .alterConfigs(try body(AlterConfigsRequest.self))
        case .createPartitions: .createPartitions(try body(CreatePartitionsRequest.self))
        case .deleteGroups: .deleteGroups(try body(DeleteGroupsRequest.self))
        case .incrementalAlterConfigs: .incrementalAlterConfigs(try body(IncrementalAlterConfigsRequest.self))
        case .offsetDelete: .offsetDelete(try body(OffsetDeleteRequest.self))
        case .describeCluster: .describeCluster(try body(DescribeClusterRequest.self))
        }
    }

    /// The API of this request.
    public var apiKey: ApiKey {
        switch self {
        case .produce: .produce
        case .fetch: .fetch
        case .listOffsets: .listOffsets
        case .metadata: .metadata
        case .offsetCommit: .offsetCommit
        case .offsetFetch: .offsetFetch
        case .findCoordinator: .findCoordinator
        case .joinGroup: .joinGroup
        case .heartbeat: .heartbeat
        case .leaveGroup: .leaveGroup
        case .syncGroup: .syncGroup
        case .describeGroups: .describeGroups
        case .listGroups: .listGroups
        case .apiVersions: .apiVersions
        case .createTopics: .createTopics
        case .deleteTopics: .deleteTopics
        case .deleteRecords: .deleteRecords
        case .initProducerId: .initProducerId
        case .offsetForLeaderEpoch: .offsetForLeaderEpoch
        case .describeConfigs: .describeConfigs
        case .alterConfigs: .alterConfigs
        case .createPartitions: .createPartitions
        case .deleteGroups: .deleteGroups
        case .incrementalAlterConfigs: .incrementalAlterConfigs
        case .offsetDelete: .offsetDelete
        case .describeCluster: .describeCluster
        }
    }

    /// Encodes the body alone at `version` (the inverse of `decode`).
    public func encode(version: Int16) throws -> ByteBuffer {
        switch self {
        case .produce(let body): try KafkaFrame.encodeBody(body, version: version)
        case .fetch(let body): try KafkaFrame.encodeBody(body, version: version)
        case .listOffsets(let body): try KafkaFrame.encodeBody(body, version: version)
        case .metadata(let body): try KafkaFrame.encodeBody(body, version: version)
        case .offsetCommit(let body): try KafkaFrame.encodeBody(body, version: version)
        case .offsetFetch(let body): try KafkaFrame.encodeBody(body, version: version)
        case .findCoordinator(let body): try KafkaFrame.encodeBody(body, version: version)
        case .joinGroup(let body): try KafkaFrame.encodeBody(body, version: version)
        case .heartbeat(let body): try KafkaFrame.encodeBody(body, version: version)
        case .leaveGroup(let body): try KafkaFrame.encodeBody(body, version: version)
        case .syncGroup(let body): try KafkaFrame.encodeBody(body, version: version)
        case .describeGroups(let body): try KafkaFrame.encodeBody(body, version: version)
        case .listGroups(let body): try KafkaFrame.encodeBody(body, version: version)
        case .apiVersions(let body): try KafkaFrame.encodeBody(body, version: version)
        case .createTopics(let body): try KafkaFrame.encodeBody(body, version: version)
        case .deleteTopics(let body): try KafkaFrame.encodeBody(body, version: version)
        case .deleteRecords(let body): try KafkaFrame.encodeBody(body, version: version)
        case .initProducerId(let body): try KafkaFrame.encodeBody(body, version: version)
        case .offsetForLeaderEpoch(let body): try KafkaFrame.encodeBody(body, version: version)
        case .describeConfigs(let body): try KafkaFrame.encodeBody(body, version: version)
        case .alterConfigs(let body): try KafkaFrame.encodeBody(body, version: version)
        case .createPartitions(let body): try KafkaFrame.encodeBody(body, version: version)
        case .deleteGroups(let body): try KafkaFrame.encodeBody(body, version: version)
        case .incrementalAlterConfigs(let body): try KafkaFrame.encodeBody(body, version: version)
        case .offsetDelete(let body): try KafkaFrame.encodeBody(body, version: version)
        case .describeCluster(let body): try KafkaFrame.encodeBody(body, version: version)
        }
    }
}
