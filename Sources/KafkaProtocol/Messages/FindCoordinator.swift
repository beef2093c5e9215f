import NIOCore

// FindCoordinator (key 10): which broker coordinates a group or transactional id (v4+ batches several keys).

/// FindCoordinator request: upstream versions 0-6, flexible from 3+; we serve `ApiKey.versions`.
public struct FindCoordinatorRequest: WireStruct, Sendable, Equatable {
    /// Versions 0-3.
    public var key: String = ""
    /// Versions 1+; default 0.
    public var keyType: Int8 = 0
    /// Versions 4+.
    public var coordinatorKeys: [String] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version <= 3 { try c.string(&key) }
        if c.version >= 1 { try c.int8(&keyType) }
        if c.version >= 4 { try c.array(&coordinatorKeys) { c, v in try c.string(&v) } }
        try c.noTags()
    }
}

/// FindCoordinator response: upstream versions 0-6, flexible from 3+; we serve `ApiKey.versions`.
public struct FindCoordinatorResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0-3.
    public var errorCode: Int16 = 0
    /// Versions 1-3; nullable in 1-3.
    public var errorMessage: String? = ""
    /// Versions 0-3.
    public var nodeId: Int32 = 0
    /// Versions 0-3.
    public var host: String = ""
    /// Versions 0-3.
    public var port: Int32 = 0
    /// Versions 4+.
    public var coordinators: [Coordinator] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        if c.version <= 3 { try c.int16(&errorCode) }
        if c.version >= 1 && c.version <= 3 { try c.nullableString(&errorMessage) }
        if c.version <= 3 { try c.int32(&nodeId) }
        if c.version <= 3 { try c.string(&host) }
        if c.version <= 3 { try c.int32(&port) }
        if c.version >= 4 { try c.array(&coordinators) }
        try c.noTags()
    }

    /// An element of `FindCoordinatorResponse` (versions 4–6).
    public struct Coordinator: WireStruct, Sendable, Equatable {
        /// Versions 4+.
        public var key: String = ""
        /// Versions 4+.
        public var nodeId: Int32 = 0
        /// Versions 4+.
        public var host: String = ""
        /// Versions 4+.
        public var port: Int32 = 0
        /// Versions 4+.
        public var errorCode: Int16 = 0
        /// Versions 4+; nullable in 4+.
        public var errorMessage: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&key)
            try c.int32(&nodeId)
            try c.string(&host)
            try c.int32(&port)
            try c.int16(&errorCode)
            try c.nullableString(&errorMessage)
            try c.noTags()
        }
    }
}
