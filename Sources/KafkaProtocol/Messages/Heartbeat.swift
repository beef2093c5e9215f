import NIOCore

// Heartbeat (key 12): a member tells its group coordinator it is alive.

/// Heartbeat request: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct HeartbeatRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 0+.
    public var generationId: Int32 = 0
    /// Versions 0+.
    public var memberId: String = ""
    /// Versions 3+; nullable in 3+; default null.
    public var groupInstanceId: String? = nil

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        try c.int32(&generationId)
        try c.string(&memberId)
        if c.version >= 3 { try c.nullableString(&groupInstanceId) }
        try c.noTags()
    }
}

/// Heartbeat response: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct HeartbeatResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.int16(&errorCode)
        try c.noTags()
    }
}
