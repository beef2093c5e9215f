import NIOCore

// SyncGroup (key 14): the leader hands out partition assignments; every member receives its own.

/// SyncGroup request: upstream versions 0-5, flexible from 4+; we serve `ApiKey.versions`.
public struct SyncGroupRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 0+.
    public var generationId: Int32 = 0
    /// Versions 0+.
    public var memberId: String = ""
    /// Versions 3+; nullable in 3+; default null.
    public var groupInstanceId: String? = nil
    /// Versions 5+; nullable in 5+; default null.
    public var protocolType: String? = nil
    /// Versions 5+; nullable in 5+; default null.
    public var protocolName: String? = nil
    /// Versions 0+.
    public var assignments: [SyncGroupRequestAssignment] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        try c.int32(&generationId)
        try c.string(&memberId)
        if c.version >= 3 { try c.nullableString(&groupInstanceId) }
        if c.version >= 5 { try c.nullableString(&protocolType) }
        if c.version >= 5 { try c.nullableString(&protocolName) }
        try c.array(&assignments)
        try c.noTags()
    }

    /// An element of `SyncGroupRequest` (versions 0–5).
    public struct SyncGroupRequestAssignment: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var memberId: String = ""
        /// Versions 0+.
        public var assignment: ByteBuffer = ByteBuffer()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&memberId)
            try c.bytes(&assignment)
            try c.noTags()
        }
    }
}

/// SyncGroup response: upstream versions 0-5, flexible from 4+; we serve `ApiKey.versions`.
public struct SyncGroupResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 5+; nullable in 5+; default null.
    public var protocolType: String? = nil
    /// Versions 5+; nullable in 5+; default null.
    public var protocolName: String? = nil
    /// Versions 0+.
    public var assignment: ByteBuffer = ByteBuffer()

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        if c.version >= 5 { try c.nullableString(&protocolType) }
        if c.version >= 5 { try c.nullableString(&protocolName) }
        try c.bytes(&assignment)
        try c.noTags()
    }
}
