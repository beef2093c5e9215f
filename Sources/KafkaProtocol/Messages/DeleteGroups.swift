import NIOCore

// DeleteGroups (key 42): delete consumer groups and their committed offsets.

/// DeleteGroups request: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct DeleteGroupsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupsNames: [String] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&groupsNames) { c, v in try c.string(&v) }
        try c.noTags()
    }
}

/// DeleteGroups response: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct DeleteGroupsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var results: [DeletableGroupResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.array(&results)
        try c.noTags()
    }

    /// An element of `DeleteGroupsResponse` (versions 0–2).
    public struct DeletableGroupResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var groupId: String = ""
        /// Versions 0+.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&groupId)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }
}
