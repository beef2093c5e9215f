import NIOCore

/// A message body type of the protocol, tied to its API key so that frames can be built and read
/// generically (`KafkaFrame`).
public protocol KafkaMessage: WireStruct, Sendable {
    /// The API this message belongs to.
    static var apiKey: ApiKey { get }
}

/// A request body; `Response` is the body that answers it.
public protocol KafkaRequestMessage: KafkaMessage {
    associatedtype Response: KafkaMessage
}

extension ProduceRequest: KafkaRequestMessage {
    public typealias Response = ProduceResponse
    public static var apiKey: ApiKey { .produce }
}

extension ProduceResponse: KafkaMessage {
    public static var apiKey: ApiKey { .produce }
}

extension FetchRequest: KafkaRequestMessage {
    public typealias Response = FetchResponse
    public static var apiKey: ApiKey { .fetch }
}

extension FetchResponse: KafkaMessage {
    public static var apiKey: ApiKey { .fetch }
}

extension ListOffsetsRequest: KafkaRequestMessage {
    public typealias Response = ListOffsetsResponse
    public static var apiKey: ApiKey { .listOffsets }
}

extension ListOffsetsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .listOffsets }
}

extension MetadataRequest: KafkaRequestMessage {
    public typealias Response = MetadataResponse
    public static var apiKey: ApiKey { .metadata }
}

extension MetadataResponse: KafkaMessage {
    public static var apiKey: ApiKey { .metadata }
}

extension OffsetCommitRequest: KafkaRequestMessage {
    public typealias Response = OffsetCommitResponse
    public static var apiKey: ApiKey { .offsetCommit }
}

extension OffsetCommitResponse: KafkaMessage {
    public static var apiKey: ApiKey { .offsetCommit }
}

extension OffsetFetchRequest: KafkaRequestMessage {
    public typealias Response = OffsetFetchResponse
    public static var apiKey: ApiKey { .offsetFetch }
}

extension OffsetFetchResponse: KafkaMessage {
    public static var apiKey: ApiKey { .offsetFetch }
}

extension FindCoordinatorRequest: KafkaRequestMessage {
    public typealias Response = FindCoordinatorResponse
    public static var apiKey: ApiKey { .findCoordinator }
}

extension FindCoordinatorResponse: KafkaMessage {
    public static var apiKey: ApiKey { .findCoordinator }
}

extension JoinGroupRequest: KafkaRequestMessage {
    public typealias Response = JoinGroupResponse
    public static var apiKey: ApiKey { .joinGroup }
}

extension JoinGroupResponse: KafkaMessage {
    public static var apiKey: ApiKey { .joinGroup }
}

extension HeartbeatRequest: KafkaRequestMessage {
    public typealias Response = HeartbeatResponse
    public static var apiKey: ApiKey { .heartbeat }
}

extension HeartbeatResponse: KafkaMessage {
    public static var apiKey: ApiKey { .heartbeat }
}

extension LeaveGroupRequest: KafkaRequestMessage {
    public typealias Response = LeaveGroupResponse
    public static var apiKey: ApiKey { .leaveGroup }
}

extension LeaveGroupResponse: KafkaMessage {
    public static var apiKey: ApiKey { .leaveGroup }
}

extension SyncGroupRequest: KafkaRequestMessage {
    public typealias Response = SyncGroupResponse
    public static var apiKey: ApiKey { .syncGroup }
}

extension SyncGroupResponse: KafkaMessage {
    public static var apiKey: ApiKey { .syncGroup }
}

extension DescribeGroupsRequest: KafkaRequestMessage {
    public typealias Response = DescribeGroupsResponse
    public static var apiKey: ApiKey { .describeGroups }
}

extension DescribeGroupsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .describeGroups }
}

extension ListGroupsRequest: KafkaRequestMessage {
    public typealias Response = ListGroupsResponse
    public static var apiKey: ApiKey { .listGroups }
}

extension ListGroupsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .listGroups }
}

extension ApiVersionsRequest: KafkaRequestMessage {
    public typealias Response = ApiVersionsResponse
    public static var apiKey: ApiKey { .apiVersions }
}

extension ApiVersionsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .apiVersions }
}

extension CreateTopicsRequest: KafkaRequestMessage {
    public typealias Response = CreateTopicsResponse
    public static var apiKey: ApiKey { .createTopics }
}

extension CreateTopicsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .createTopics }
}

extension DeleteTopicsRequest: KafkaRequestMessage {
    public typealias Response = DeleteTopicsResponse
    public static var apiKey: ApiKey { .deleteTopics }
}

extension DeleteTopicsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .deleteTopics }
}

extension DeleteRecordsRequest: KafkaRequestMessage {
    public typealias Response = DeleteRecordsResponse
    public static var apiKey: ApiKey { .deleteRecords }
}

extension DeleteRecordsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .deleteRecords }
}

extension InitProducerIdRequest: KafkaRequestMessage {
    public typealias Response = InitProducerIdResponse
    public static var apiKey: ApiKey { .initProducerId }
}

extension InitProducerIdResponse: KafkaMessage {
    public static var apiKey: ApiKey { .initProducerId }
}

extension OffsetForLeaderEpochRequest: KafkaRequestMessage {
    public typealias Response = OffsetForLeaderEpochResponse
    public static var apiKey: ApiKey { .offsetForLeaderEpoch }
}

extension OffsetForLeaderEpochResponse: KafkaMessage {
    public static var apiKey: ApiKey { .offsetForLeaderEpoch }
}

extension DescribeConfigsRequest: KafkaRequestMessage {
    public typealias Response = DescribeConfigsResponse
    public static var apiKey: ApiKey { .describeConfigs }
}

extension DescribeConfigsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .describeConfigs }
}

extension AlterConfigsRequest: KafkaRequestMessage {
    public typealias Response = AlterConfigsResponse
    public static var apiKey: ApiKey { .alterConfigs }
}

extension AlterConfigsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .alterConfigs }
}

extension CreatePartitionsRequest: KafkaRequestMessage {
    public typealias Response = CreatePartitionsResponse
    public static var apiKey: ApiKey { .createPartitions }
}

extension CreatePartitionsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .createPartitions }
}

extension DeleteGroupsRequest: KafkaRequestMessage {
    public typealias Response = DeleteGroupsResponse
    public static var apiKey: ApiKey { .deleteGroups }
}

extension DeleteGroupsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .deleteGroups }
}

extension IncrementalAlterConfigsRequest: KafkaRequestMessage {
    public typealias Response = IncrementalAlterConfigsResponse
    public static var apiKey: ApiKey { .incrementalAlterConfigs }
}

extension IncrementalAlterConfigsResponse: KafkaMessage {
    public static var apiKey: ApiKey { .incrementalAlterConfigs }
}

extension OffsetDeleteRequest: KafkaRequestMessage {
    public typealias Response = OffsetDeleteResponse
    public static var apiKey: ApiKey { .offsetDelete }
}

extension OffsetDeleteResponse: KafkaMessage {
    public static var apiKey: ApiKey { .offsetDelete }
}

extension DescribeClusterRequest: KafkaRequestMessage {
    public typealias Response = DescribeClusterResponse
    public static var apiKey: ApiKey { .describeCluster }
}

extension DescribeClusterResponse: KafkaMessage {
    public static var apiKey: ApiKey { .describeCluster }
}
