import NIOCore

// LeaveGroup (key 13): members leave a group (v3+ several members in one request).

/// LeaveGroup request: upstream versions 0-5, flexible from 4+; we serve `ApiKey.versions`.
public struct LeaveGroupRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 0-2.
    public var memberId: String = ""
    /// Versions 3+.
    public var members: [MemberIdentity] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        if c.version <= 2 { try c.string(&memberId) }
        if c.version >= 3 { try c.array(&members) }
        try c.noTags()
    }

    /// An element of `LeaveGroupRequest` (versions 3–5).
    public struct MemberIdentity: WireStruct, Sendable, Equatable {
        /// Versions 3+.
        public var memberId: String = ""
        /// Versions 3+; nullable in 3+; default null.
        public var groupInstanceId: String? = nil
        /// Versions 5+; nullable in 5+; default null.
        public var reason: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&memberId)
            try c.nullableString(&groupInstanceId)
            if c.version >= 5 { try c.nullableString(&reason) }
            try c.noTags()
        }
    }
}

/// LeaveGroup response: upstream versions 0-5, flexible from 4+; we serve `ApiKey.versions`.
public struct LeaveGroupResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 3+.
    public var members: [MemberResponse] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        if c.version >= 3 { try c.array(&members) }
        try c.noTags()
    }

    /// An element of `LeaveGroupResponse` (versions 3–5).
    public struct MemberResponse: WireStruct, Sendable, Equatable {
        /// Versions 3+.
        public var memberId: String = ""
        /// Versions 3+; nullable in 3+.
        public var groupInstanceId: String? = ""
        /// Versions 3+.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&memberId)
            try c.nullableString(&groupInstanceId)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }
}
