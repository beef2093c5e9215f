import NIOCore

// DeleteTopics (key 20): delete topics by name (v6+ also by topic id).

/// DeleteTopics request: upstream versions 0-6, flexible from 4+; we serve `ApiKey.versions`.
public struct DeleteTopicsRequest: WireStruct, Sendable, Equatable {
    /// Versions 6+.
    public var topics: [DeleteTopicState] = []
    /// Versions 0-5.
    public var topicNames: [String] = []
    /// Versions 0+.
    public var timeoutMs: Int32 = 0

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 6 { try c.array(&topics) }
        if c.version <= 5 { try c.array(&topicNames) { c, v in try c.string(&v) } }
        try c.int32(&timeoutMs)
        try c.noTags()
    }

    /// An element of `DeleteTopicsRequest` (versions 6–6).
    public struct DeleteTopicState: WireStruct, Sendable, Equatable {
        /// Versions 6+; nullable in 6+; default null.
        public var name: String? = nil
        /// Versions 6+.
        public var topicId: Uuid = Uuid.zero

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.nullableString(&name)
            try c.uuid(&topicId)
            try c.noTags()
        }
    }
}

/// DeleteTopics response: upstream versions 0-6, flexible from 4+; we serve `ApiKey.versions`.
public struct DeleteTopicsResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var responses: [DeletableTopicResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.array(&responses)
        try c.noTags()
    }

    /// An element of `DeleteTopicsResponse` (versions 0–6).
    public struct DeletableTopicResult: WireStruct, Sendable, Equatable {
        /// Versions 0+; nullable in 6+.
        public var name: String? = ""
        /// Versions 6+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 5+; nullable in 5+; default null.
        public var errorMessage: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name, nullable: c.version >= 6)
            if c.version >= 6 { try c.uuid(&topicId) }
            try c.int16(&errorCode)
            if c.version >= 5 { try c.nullableString(&errorMessage) }
            try c.noTags()
        }
    }
}
