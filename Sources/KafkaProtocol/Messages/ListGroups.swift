import NIOCore

// ListGroups (key 16): the groups a broker coordinates.

/// ListGroups request: upstream versions 0-5, flexible from 3+; we serve `ApiKey.versions`.
public struct ListGroupsRequest: WireStruct, Sendable, Equatable {
    /// Versions 4+.
    public var statesFilter: [String] = []
    /// Versions 5+.
    public var typesFilter: [String] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 4 { try c.array(&statesFilter) { c, v in try c.string(&v) } }
        if c.version >= 5 { try c.array(&typesFilter) { c, v in try c.string(&v) } }
        try c.noTags()
    }
}

/// ListGroups response: upstream versions 0-5, flexible from 3+; we serve `ApiKey.versions`.
public struct ListGroupsResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+.
    public var groups: [ListedGroup] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.array(&groups)
        try c.noTags()
    }

    /// An element of `ListGroupsResponse` (versions 0–5).
    public struct ListedGroup: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var groupId: String = ""
        /// Versions 0+.
        public var protocolType: String = ""
        /// Versions 4+.
        public var groupState: String = ""
        /// Versions 5+.
        public var groupType: String = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&groupId)
            try c.string(&protocolType)
            if c.version >= 4 { try c.string(&groupState) }
            if c.version >= 5 { try c.string(&groupType) }
            try c.noTags()
        }
    }
}
