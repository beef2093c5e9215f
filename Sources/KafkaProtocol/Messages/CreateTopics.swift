import NIOCore

// CreateTopics (key 19): create topics with a partition count, replication factor and configs.

/// CreateTopics request: upstream versions 0-7, flexible from 5+; we serve `ApiKey.versions`.
public struct CreateTopicsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var topics: [CreatableTopic] = []
    /// Versions 0+; default 60000.
    public var timeoutMs: Int32 = 60000
    /// Versions 1+; default false.
    public var validateOnly: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&topics)
        try c.int32(&timeoutMs)
        if c.version >= 1 { try c.bool(&validateOnly) }
        try c.noTags()
    }

    /// An element of `CreateTopicsRequest` (versions 0–7).
    public struct CreatableReplicaAssignment: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var brokerIds: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.array(&brokerIds) { c, v in try c.int32(&v) }
            try c.noTags()
        }
    }

    /// An element of `CreateTopicsRequest` (versions 0–7).
    public struct CreatableTopicConfig: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+; nullable in 0+.
        public var value: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.nullableString(&value)
            try c.noTags()
        }
    }

    /// An element of `CreateTopicsRequest` (versions 0–7).
    public struct CreatableTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var numPartitions: Int32 = 0
        /// Versions 0+.
        public var replicationFactor: Int16 = 0
        /// Versions 0+.
        public var assignments: [CreatableReplicaAssignment] = []
        /// Versions 0+.
        public var configs: [CreatableTopicConfig] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.int32(&numPartitions)
            try c.int16(&replicationFactor)
            try c.array(&assignments)
            try c.array(&configs)
            try c.noTags()
        }
    }
}

/// CreateTopics response: upstream versions 0-7, flexible from 5+; we serve `ApiKey.versions`.
public struct CreateTopicsResponse: WireStruct, Sendable, Equatable {
    /// Versions 2+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [CreatableTopicResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `CreateTopicsResponse` (versions 5–7).
    public struct CreatableTopicConfigs: WireStruct, Sendable, Equatable {
        /// Versions 5+.
        public var name: String = ""
        /// Versions 5+; nullable in 5+.
        public var value: String? = ""
        /// Versions 5+.
        public var readOnly: Bool = false
        /// Versions 5+; default -1.
        public var configSource: Int8 = -1
        /// Versions 5+.
        public var isSensitive: Bool = false

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.nullableString(&value)
            try c.bool(&readOnly)
            try c.int8(&configSource)
            try c.bool(&isSensitive)
            try c.noTags()
        }
    }

    /// An element of `CreateTopicsResponse` (versions 0–7).
    public struct CreatableTopicResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 7+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 1+; nullable in 0+.
        public var errorMessage: String? = ""
        /// Versions 5+; tagged field 0.
        public var topicConfigErrorCode: Int16 = 0
        /// Versions 5+; default -1.
        public var numPartitions: Int32 = -1
        /// Versions 5+; default -1.
        public var replicationFactor: Int16 = -1
        /// Versions 5+; nullable in 5+.
        public var configs: [CreatableTopicConfigs]? = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            if c.version >= 7 { try c.uuid(&topicId) }
            try c.int16(&errorCode)
            if c.version >= 1 { try c.nullableString(&errorMessage) }
            if c.version >= 5 { try c.int32(&numPartitions) }
            if c.version >= 5 { try c.int16(&replicationFactor) }
            if c.version >= 5 { try c.nullableArray(&configs) }
            try c.beginTags()
            if c.version >= 5 {
                try c.tagged(0, present: topicConfigErrorCode != 0) { c in try c.int16(&topicConfigErrorCode) }
            }
            try c.endTags()
        }
    }
}
