import KafkaProtocol

/// A topic to create.
public struct NewTopic: Sendable {
    public var name: String
    /// -1 lets the broker choose (`num.partitions`).
    public var partitions: Int32
    /// -1 lets the broker choose (`default.replication.factor`).
    public var replicationFactor: Int16
    public var configs: [String: String]

    public init(name: String, partitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// One configuration entry of a topic or broker.
public struct ConfigEntry: Sendable, Equatable {
    public var name: String
    public var value: String?
    public var isDefault: Bool
    public var isReadOnly: Bool
    public var isSensitive: Bool
    /// Kafka's config source number (1 dynamic topic, 4 static broker, 5 default, ...).
    public var source: Int8
}

/// A change to one configuration entry (IncrementalAlterConfigs).
public enum ConfigChange: Sendable, Equatable {
    case set(String, String)
    case delete(String)
}

/// A consumer group as ListGroups reports it.
public struct GroupListing: Sendable, Equatable {
    public var groupId: String
    public var protocolType: String
    /// Empty when the broker does not report states (ListGroups below v4).
    public var state: String
}

/// A member of a consumer group, with the partitions assigned to it.
public struct GroupMemberDescription: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    public var assignment: [TopicPartition]
}

/// A consumer group as DescribeGroups reports it.
public struct GroupDescription: Sendable, Equatable {
    public var groupId: String
    public var state: String
    public var protocolType: String
    /// The assignor in use (range, roundrobin, cooperative-sticky, ...).
    public var protocolName: String
    public var members: [GroupMemberDescription]
    public var coordinator: Int32
}

/// Where a group stands on one partition: committed offset, log end, and the lag between them.
public struct PartitionLag: Sendable, Equatable {
    public var tp: TopicPartition
    /// nil when the group has committed nothing for the partition.
    public var committedOffset: Int64?
    public var logEndOffset: Int64
    public var lag: Int64 { committedOffset.map { max(0, logEndOffset - $0) } ?? logEndOffset }
    /// The member consuming it now, when the group is active.
    public var memberId: String?
    public var clientId: String?
}

/// A position to look up with ListOffsets.
public enum OffsetSpec: Sendable, Equatable {
    case earliest
    case latest
    /// The first offset whose timestamp is at or after this (milliseconds).
    case timestamp(Int64)

    var wireTimestamp: Int64 {
        switch self {
        case .earliest: return -2
        case .latest: return -1
        case let .timestamp(t): return t
        }
    }
}
