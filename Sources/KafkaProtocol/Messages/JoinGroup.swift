import NIOCore

// JoinGroup (key 11): a member joins a classic consumer group and takes part in a rebalance.

/// JoinGroup request: upstream versions 0-9, flexible from 6+; we serve `ApiKey.versions`.
public struct JoinGroupRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 0+.
    public var sessionTimeoutMs: Int32 = 0
    /// Versions 1+; default -1.
    public var rebalanceTimeoutMs: Int32 = -1
    /// Versions 0+.
    public var memberId: String = ""
    /// Versions 5+; nullable in 5+; default null.
    public var groupInstanceId: String? = nil
    /// Versions 0+.
    public var protocolType: String = ""
    /// Versions 0+.
    public var protocols: [JoinGroupRequestProtocol] = []
    /// Versions 8+; nullable in 8+; default null.
    public var reason: String? = nil

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        try c.int32(&sessionTimeoutMs)
        if c.version >= 1 { try c.int32(&rebalanceTimeoutMs) }
        try c.string(&memberId)
        if c.version >= 5 { try c.nullableString(&groupInstanceId) }
        try c.string(&protocolType)
        try c.array(&protocols)
        if c.version >= 8 { try c.nullableString(&reason) }
        try c.noTags()
    }

    /// An element of `JoinGroupRequest` (versions 0–9).
    public struct JoinGroupRequestProtocol: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var metadata: ByteBuffer = ByteBuffer()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.bytes(&metadata)
            try c.noTags()
        }
    }
}

/// JoinGroup response: upstream versions 0-9, flexible from 6+; we serve `ApiKey.versions`.
public struct JoinGroupResponse: WireStruct, Sendable, Equatable {
    /// Versions 2+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+; default -1.
    public var generationId: Int32 = -1
    /// Versions 7+; nullable in 7+; default null.
    public var protocolType: String? = nil
    /// Versions 0+; nullable in 7+.
    public var protocolName: String? = ""
    /// Versions 0+.
    public var leader: String = ""
    /// Versions 9+; default false.
    public var skipAssignment: Bool = false
    /// Versions 0+.
    public var memberId: String = ""
    /// Versions 0+.
    public var members: [JoinGroupResponseMember] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.int32(&generationId)
        if c.version >= 7 { try c.nullableString(&protocolType) }
        try c.string(&protocolName, nullable: c.version >= 7)
        try c.string(&leader)
        if c.version >= 9 { try c.bool(&skipAssignment) }
        try c.string(&memberId)
        try c.array(&members)
        try c.noTags()
    }

    /// An element of `JoinGroupResponse` (versions 0–9).
    public struct JoinGroupResponseMember: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var memberId: String = ""
        /// Versions 5+; nullable in 5+; default null.
        public var groupInstanceId: String? = nil
        /// Versions 0+.
        public var metadata: ByteBuffer = ByteBuffer()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&memberId)
            if c.version >= 5 { try c.nullableString(&groupInstanceId) }
            try c.bytes(&metadata)
            try c.noTags()
        }
    }
}
