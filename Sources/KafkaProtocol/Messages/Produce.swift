import NIOCore

// Produce (key 0): a producer appends record batches to partitions.

/// Produce request: upstream versions 0-11, flexible from 9+; we serve `ApiKey.versions`.
public struct ProduceRequest: WireStruct, Sendable, Equatable {
    /// Versions 3+; nullable in 3+; default null.
    public var transactionalId: String? = nil
    /// Versions 0+.
    public var acks: Int16 = 0
    /// Versions 0+.
    public var timeoutMs: Int32 = 0
    /// Versions 0+.
    public var topicData: [TopicProduceData] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.nullableString(&transactionalId) }
        try c.int16(&acks)
        try c.int32(&timeoutMs)
        try c.array(&topicData)
        try c.noTags()
    }

    /// An element of `ProduceRequest` (versions 0–11).
    public struct PartitionProduceData: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var index: Int32 = 0
        /// Versions 0+; nullable in 0+.
        public var records: ByteBuffer? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&index)
            try c.nullableBytes(&records)
            try c.noTags()
        }
    }

    /// An element of `ProduceRequest` (versions 0–11).
    public struct TopicProduceData: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitionData: [PartitionProduceData] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitionData)
            try c.noTags()
        }
    }
}

/// Produce response: upstream versions 0-11, flexible from 9+; we serve `ApiKey.versions`.
public struct ProduceResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var responses: [TopicProduceResponse] = []
    /// Versions 1+; default 0.
    public var throttleTimeMs: Int32 = 0
    /// Versions 10+; tagged field 0.
    public var nodeEndpoints: [NodeEndpoint] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&responses)
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.beginTags()
        if c.version >= 10 { try c.tagged(0, present: !nodeEndpoints.isEmpty) { c in try c.array(&nodeEndpoints) } }
        try c.endTags()
    }

    /// An element of `ProduceResponse` (versions 8–11).
    public struct BatchIndexAndErrorMessage: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var batchIndex: Int32 = 0
        /// Versions 8+; nullable in 8+; default null.
        public var batchIndexErrorMessage: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&batchIndex)
            try c.nullableString(&batchIndexErrorMessage)
            try c.noTags()
        }
    }

    /// The shared `LeaderIdAndEpoch` (see `Messages/LeaderAndEndpoint.swift`).
    public typealias LeaderIdAndEpoch = KafkaProtocol.LeaderIdAndEpoch

    /// An element of `ProduceResponse` (versions 0–11).
    public struct PartitionProduceResponse: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var index: Int32 = 0
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+.
        public var baseOffset: Int64 = 0
        /// Versions 2+; default -1.
        public var logAppendTimeMs: Int64 = -1
        /// Versions 5+; default -1.
        public var logStartOffset: Int64 = -1
        /// Versions 8+.
        public var recordErrors: [BatchIndexAndErrorMessage] = []
        /// Versions 8+; nullable in 8+; default null.
        public var errorMessage: String? = nil
        /// Versions 10+; tagged field 0.
        public var currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&index)
            try c.int16(&errorCode)
            try c.int64(&baseOffset)
            if c.version >= 2 { try c.int64(&logAppendTimeMs) }
            if c.version >= 5 { try c.int64(&logStartOffset) }
            if c.version >= 8 { try c.array(&recordErrors) }
            if c.version >= 8 { try c.nullableString(&errorMessage) }
            try c.beginTags()
            if c.version >= 10 {
                try c.tagged(0, present: currentLeader != LeaderIdAndEpoch()) { c in try c.struct(&currentLeader) }
            }
            try c.endTags()
        }
    }

    /// An element of `ProduceResponse` (versions 0–11).
    public struct TopicProduceResponse: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitionResponses: [PartitionProduceResponse] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitionResponses)
            try c.noTags()
        }
    }

    /// The shared `NodeEndpoint` (see `Messages/LeaderAndEndpoint.swift`).
    public typealias NodeEndpoint = KafkaProtocol.NodeEndpoint
}
