import NIOCore

// DescribeGroups (key 15): state, protocol and members of groups.

/// DescribeGroups request: upstream versions 0-5, flexible from 5+; we serve `ApiKey.versions`.
public struct DescribeGroupsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groups: [String] = []
    /// Versions 3+.
    public var includeAuthorizedOperations: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&groups) { c, v in try c.string(&v) }
        if c.version >= 3 { try c.bool(&includeAuthorizedOperations) }
        try c.noTags()
    }
}

/// DescribeGroups response: upstream versions 0-5, flexible from 5+; we serve `ApiKey.versions`.
public struct DescribeGroupsResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var groups: [DescribedGroup] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.array(&groups)
        try c.noTags()
    }

    /// An element of `DescribeGroupsResponse` (versions 0–5).
    public struct DescribedGroupMember: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var memberId: String = ""
        /// Versions 4+; nullable in 4+; default null.
        public var groupInstanceId: String? = nil
        /// Versions 0+.
        public var clientId: String = ""
        /// Versions 0+.
        public var clientHost: String = ""
        /// Versions 0+.
        public var memberMetadata: ByteBuffer = ByteBuffer()
        /// Versions 0+.
        public var memberAssignment: ByteBuffer = ByteBuffer()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&memberId)
            if c.version >= 4 { try c.nullableString(&groupInstanceId) }
            try c.string(&clientId)
            try c.string(&clientHost)
            try c.bytes(&memberMetadata)
            try c.bytes(&memberAssignment)
            try c.noTags()
        }
    }

    /// An element of `DescribeGroupsResponse` (versions 0–5).
    public struct DescribedGroup: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+.
        public var groupId: String = ""
        /// Versions 0+.
        public var groupState: String = ""
        /// Versions 0+.
        public var protocolType: String = ""
        /// Versions 0+.
        public var protocolData: String = ""
        /// Versions 0+.
        public var members: [DescribedGroupMember] = []
        /// Versions 3+; default -2147483648.
        public var authorizedOperations: Int32 = Int32.min

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.string(&groupId)
            try c.string(&groupState)
            try c.string(&protocolType)
            try c.string(&protocolData)
            try c.array(&members)
            if c.version >= 3 { try c.int32(&authorizedOperations) }
            try c.noTags()
        }
    }
}
