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
        switch apiKey {
        case .produce: .produce(try KafkaFrame.decodeBody(ProduceRequest.self, version: version, from: buffer))
        case .fetch: .fetch(try KafkaFrame.decodeBody(FetchRequest.self, version: version, from: buffer))
        case .listOffsets: .listOffsets(try KafkaFrame.decodeBody(ListOffsetsRequest.self, version: version, from: buffer))
        case .metadata: .metadata(try KafkaFrame.decodeBody(MetadataRequest.self, version: version, from: buffer))
        case .offsetCommit: .offsetCommit(try KafkaFrame.decodeBody(OffsetCommitRequest.self, version: version, from: buffer))
        case .offsetFetch: .offsetFetch(try KafkaFrame.decodeBody(OffsetFetchRequest.self, version: version, from: buffer))
        case .findCoordinator: .findCoordinator(try KafkaFrame.decodeBody(FindCoordinatorRequest.self, version: version, from: buffer))
        case .joinGroup: .joinGroup(try KafkaFrame.decodeBody(JoinGroupRequest.self, version: version, from: buffer))
        case .heartbeat: .heartbeat(try KafkaFrame.decodeBody(HeartbeatRequest.self, version: version, from: buffer))
        case .leaveGroup: .leaveGroup(try KafkaFrame.decodeBody(LeaveGroupRequest.self, version: version, from: buffer))
        case .syncGroup: .syncGroup(try KafkaFrame.decodeBody(SyncGroupRequest.self, version: version, from: buffer))
        case .describeGroups: .describeGroups(try KafkaFrame.decodeBody(DescribeGroupsRequest.self, version: version, from: buffer))
        case .listGroups: .listGroups(try KafkaFrame.decodeBody(ListGroupsRequest.self, version: version, from: buffer))
        case .apiVersions: .apiVersions(try KafkaFrame.decodeBody(ApiVersionsRequest.self, version: version, from: buffer))
        case .createTopics: .createTopics(try KafkaFrame.decodeBody(CreateTopicsRequest.self, version: version, from: buffer))
        case .deleteTopics: .deleteTopics(try KafkaFrame.decodeBody(DeleteTopicsRequest.self, version: version, from: buffer))
        case .deleteRecords: .deleteRecords(try KafkaFrame.decodeBody(DeleteRecordsRequest.self, version: version, from: buffer))
        case .initProducerId: .initProducerId(try KafkaFrame.decodeBody(InitProducerIdRequest.self, version: version, from: buffer))
        case .offsetForLeaderEpoch: .offsetForLeaderEpoch(try KafkaFrame.decodeBody(OffsetForLeaderEpochRequest.self, version: version, from: buffer))
        case .describeConfigs: .describeConfigs(try KafkaFrame.decodeBody(DescribeConfigsRequest.self, version: version, from: buffer))
        case .alterConfigs: .alterConfigs(try KafkaFrame.decodeBody(AlterConfigsRequest.self, version: version, from: buffer))
        case .createPartitions: .createPartitions(try KafkaFrame.decodeBody(CreatePartitionsRequest.self, version: version, from: buffer))
        case .deleteGroups: .deleteGroups(try KafkaFrame.decodeBody(DeleteGroupsRequest.self, version: version, from: buffer))
        case .incrementalAlterConfigs: .incrementalAlterConfigs(try KafkaFrame.decodeBody(IncrementalAlterConfigsRequest.self, version: version, from: buffer))
        case .offsetDelete: .offsetDelete(try KafkaFrame.decodeBody(OffsetDeleteRequest.self, version: version, from: buffer))
        case .describeCluster: .describeCluster(try KafkaFrame.decodeBody(DescribeClusterRequest.self, version: version, from: buffer))
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
