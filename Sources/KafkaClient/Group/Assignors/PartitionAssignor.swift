/// One member's subscription as the group leader sees it.
public struct MemberSubscription: Sendable, Equatable {
    public var memberId: String
    public var groupInstanceId: String?
    public var subscription: ConsumerSubscription

    public init(memberId: String, groupInstanceId: String? = nil, subscription: ConsumerSubscription) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.subscription = subscription
    }

    /// The Java client's member order: by group instance id when both have one, else by member id.
    static func javaOrder(_ a: MemberSubscription, _ b: MemberSubscription) -> Bool {
        if let x = a.groupInstanceId, let y = b.groupInstanceId, x != y { return x < y }
        return a.memberId < b.memberId
    }
}

/// A partition assignment strategy of the classic consumer protocol. The leader runs it on every
/// member's subscription and the partition counts, and sends each member its share.
public protocol PartitionAssignor: Sendable {
    /// The protocol name members advertise in JoinGroup ("range", "roundrobin", "cooperative-sticky").
    var name: String { get }
    /// Whether members keep their partitions through a rebalance and give up only those that move.
    var isCooperative: Bool { get }
    /// Partitions per member id; every member appears, possibly with none.
    func assign(members: [MemberSubscription], partitionsPerTopic: [String: Int]) -> [String: [TopicPartition]]
}

/// The assignors the client knows, by protocol name.
public enum Assignors {
    public static func named(_ name: String) throws -> any PartitionAssignor {
        switch name.lowercased() {
        case "range": return RangeAssignor()
        case "roundrobin", "round-robin": return RoundRobinAssignor()
        case "cooperative-sticky", "cooperative_sticky", "sticky": return CooperativeStickyAssignor()
        default:
            throw KafkaClientError.invalidArgument(
                "unknown assignor '\(name)'; use range, roundrobin or cooperative-sticky")
        }
    }
}
