import NIOCore

/// A request the coordinator has not answered yet (a JoinGroup or SyncGroup waiting for the
/// rebalance to progress). The coordinator maps the id to the connection that sent it.
public struct ParkedRequest: Sendable, Equatable {
    public var id: UInt64
    /// The request's API version: it decides what the answer may carry.
    public var version: Int16

    public init(id: UInt64, version: Int16) {
        self.id = id
        self.version = version
    }
}

/// One protocol a member can speak (an assignor, for consumers), in the member's order of preference.
public struct MemberProtocol: Sendable, Equatable {
    public var name: String
    public var metadata: ByteBuffer

    public init(name: String, metadata: ByteBuffer) {
        self.name = name
        self.metadata = metadata
    }
}

/// A member of a classic group.
public struct GroupMember: Sendable {
    public var memberId: String
    /// Set for static members (group.instance.id): the id survives restarts of the client.
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    public var rebalanceTimeoutMs: Int32
    public var sessionTimeoutMs: Int32
    public var protocolType: String
    public var protocols: [MemberProtocol]
    /// What the leader assigned to this member in the current generation.
    public var assignment = ByteBuffer()
    /// The member's JoinGroup waiting for the join phase to end.
    public var awaitingJoin: ParkedRequest?
    /// The member's SyncGroup waiting for the leader's assignment.
    public var awaitingSync: ParkedRequest?
    /// When the member last showed it is alive (any group request counts).
    public var lastHeartbeatMs: Int64

    public init(
        memberId: String, groupInstanceId: String?, clientId: String, clientHost: String,
        rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32, protocolType: String, protocols: [MemberProtocol],
        lastHeartbeatMs: Int64
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.sessionTimeoutMs = sessionTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.lastHeartbeatMs = lastHeartbeatMs
    }

    /// The metadata this member sent for `protocol`.
    func metadata(for protocol: String) -> ByteBuffer? {
        protocols.first { $0.name == `protocol` }?.metadata
    }

    /// Whether the member sent the same protocols (names and metadata, same order) as `other`.
    func sameProtocols(as other: [MemberProtocol]) -> Bool { protocols == other }

    /// The moment the member's session ends unless it shows life. A member waiting for a
    /// rebalance to answer it is alive by definition, as in Kafka.
    var sessionDeadlineMs: Int64? {
        if awaitingJoin != nil || awaitingSync != nil { return nil }
        return lastHeartbeatMs + Int64(sessionTimeoutMs)
    }
}
