/// A partition's current leader, sent back when a Produce (v10+) or Fetch (v12+) reached a broker
/// that no longer leads it (KIP-951), so that the client can go to the new leader without a Metadata
/// round trip. Produce and Fetch responses declare the same fields; one type serves both.
public struct LeaderIdAndEpoch: WireStruct, Sendable, Equatable {
    /// Default -1: unknown.
    public var leaderId: Int32 = -1
    /// Default -1: unknown.
    public var leaderEpoch: Int32 = -1

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&leaderId)
        try c.int32(&leaderEpoch)
        try c.noTags()
    }
}

/// Where a new leader listens, in the `nodeEndpoints` of Produce (v10+) and Fetch (v16+) responses.
public struct NodeEndpoint: WireStruct, Sendable, Equatable {
    /// The broker's node id.
    public var nodeId: Int32 = 0
    /// The host name clients connect to.
    public var host: String = ""
    /// The port clients connect to.
    public var port: Int32 = 0
    /// The broker's rack; nullable, default null.
    public var rack: String? = nil

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&nodeId)
        try c.string(&host)
        try c.int32(&port)
        try c.nullableString(&rack)
        try c.noTags()
    }
}
