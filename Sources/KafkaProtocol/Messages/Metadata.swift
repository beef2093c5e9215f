import NIOCore

// Metadata (key 3): brokers, topics, partitions and their leaders.

/// Metadata request: upstream versions 0-12, flexible from 9+; we serve `ApiKey.versions`.
public struct MetadataRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+; nullable in 1+.
    public var topics: [MetadataRequestTopic]? = []
    /// Versions 4+; default true.
    public var allowAutoTopicCreation: Bool = true
    /// Versions 8-10.
    public var includeClusterAuthorizedOperations: Bool = false
    /// Versions 8+.
    public var includeTopicAuthorizedOperations: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&topics, nullable: c.version >= 1)
        if c.version >= 4 { try c.bool(&allowAutoTopicCreation) }
        if c.version >= 8 && c.version <= 10 { try c.bool(&includeClusterAuthorizedOperations) }
        if c.version >= 8 { try c.bool(&includeTopicAuthorizedOperations) }
        try c.noTags()
    }

    /// An element of `MetadataRequest` (versions 0–12).
    public struct MetadataRequestTopic: WireStruct, Sendable, Equatable {
        /// Versions 10+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 0+; nullable in 10+.
        public var name: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            if c.version >= 10 { try c.uuid(&topicId) }
            try c.string(&name, nullable: c.version >= 10)
            try c.noTags()
        }
    }
}

/// Metadata response: upstream versions 0-12, flexible from 9+; we serve `ApiKey.versions`.
public struct MetadataResponse: WireStruct, Sendable, Equatable {
    /// Versions 3+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var brokers: [MetadataResponseBroker] = []
    /// Versions 2+; nullable in 2+; default null.
    public var clusterId: String? = nil
    /// Versions 1+; default -1.
    public var controllerId: Int32 = -1
    /// Versions 0+.
    public var topics: [MetadataResponseTopic] = []
    /// Versions 8-10; default -2147483648.
    public var clusterAuthorizedOperations: Int32 = Int32.min

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        try c.array(&brokers)
        if c.version >= 2 { try c.nullableString(&clusterId) }
        if c.version >= 1 { try c.int32(&controllerId) }
        try c.array(&topics)
        if c.version >= 8 && c.version <= 10 { try c.int32(&clusterAuthorizedOperations) }
        try c.noTags()
    }

    /// An element of `MetadataResponse` (versions 0–12).
    public struct MetadataResponseBroker: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var nodeId: Int32 = 0
        /// Versions 0+.
        public var host: String = ""
        /// Versions 0+.
        public var port: Int32 = 0
        /// Versions 1+; nullable in 1+; default null.
        public var rack: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&nodeId)
            try c.string(&host)
            try c.int32(&port)
            if c.version >= 1 { try c.nullableString(&rack) }
            try c.noTags()
        }
    }

    /// An element of `MetadataResponse` (versions 0–12).
    public struct MetadataResponsePartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var leaderId: Int32 = 0
        /// Versions 7+; default -1.
        public var leaderEpoch: Int32 = -1
        /// Versions 0+.
        public var replicaNodes: [Int32] = []
        /// Versions 0+.
        public var isrNodes: [Int32] = []
        /// Versions 5+.
        public var offlineReplicas: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.int32(&partitionIndex)
            try c.int32(&leaderId)
            if c.version >= 7 { try c.int32(&leaderEpoch) }
            try c.array(&replicaNodes) { c, v in try c.int32(&v) }
            try c.array(&isrNodes) { c, v in try c.int32(&v) }
            if c.version >= 5 { try c.array(&offlineReplicas) { c, v in try c.int32(&v) } }
            try c.noTags()
        }
    }

    /// An element of `MetadataResponse` (versions 0–12).
    public struct MetadataResponseTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+; nullable in 12+.
        public var name: String? = ""
        /// Versions 10+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 1+; default false.
        public var isInternal: Bool = false
        /// Versions 0+.
        public var partitions: [MetadataResponsePartition] = []
        /// Versions 8+; default -2147483648.
        public var topicAuthorizedOperations: Int32 = Int32.min

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.string(&name, nullable: c.version >= 12)
            if c.version >= 10 { try c.uuid(&topicId) }
            if c.version >= 1 { try c.bool(&isInternal) }
            try c.array(&partitions)
            if c.version >= 8 { try c.int32(&topicAuthorizedOperations) }
            try c.noTags()
        }
    }
}
