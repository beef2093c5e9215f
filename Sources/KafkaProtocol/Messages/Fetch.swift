import NIOCore

// Fetch (key 1): consumers and followers read record batches from partitions.

/// Fetch request: upstream versions 0-17, flexible from 12+; we serve `ApiKey.versions`.
public struct FetchRequest: WireStruct, Sendable, Equatable {
    /// Versions 12+; nullable in 12+; tagged field 0; default null.
    public var clusterId: String? = nil
    /// Versions 0-14; default -1.
    public var replicaId: Int32 = -1
    /// Versions 15+; tagged field 1.
    public var replicaState: ReplicaState = ReplicaState()
    /// Versions 0+.
    public var maxWaitMs: Int32 = 0
    /// Versions 0+.
    public var minBytes: Int32 = 0
    /// Versions 3+; default 0x7fffffff.
    public var maxBytes: Int32 = Int32.max
    /// Versions 4+; default 0.
    public var isolationLevel: Int8 = 0
    /// Versions 7+; default 0.
    public var sessionId: Int32 = 0
    /// Versions 7+; default -1.
    public var sessionEpoch: Int32 = -1
    /// Versions 0+.
    public var topics: [FetchTopic] = []
    /// Versions 7+.
    public var forgottenTopicsData: [ForgottenTopic] = []
    /// Versions 11+; default "".
    public var rackId: String = ""

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version <= 14 { try c.int32(&replicaId) }
        try c.int32(&maxWaitMs)
        try c.int32(&minBytes)
        if c.version >= 3 { try c.int32(&maxBytes) }
        if c.version >= 4 { try c.int8(&isolationLevel) }
        if c.version >= 7 { try c.int32(&sessionId) }
        if c.version >= 7 { try c.int32(&sessionEpoch) }
        try c.array(&topics)
        if c.version >= 7 { try c.array(&forgottenTopicsData) }
        if c.version >= 11 { try c.string(&rackId) }
        try c.beginTags()
        if c.version >= 12 { try c.tagged(0, present: clusterId != nil) { c in try c.nullableString(&clusterId) } }
        if c.version >= 15 {
            try c.tagged(1, present: replicaState != ReplicaState()) { c in try c.struct(&replicaState) }
        }
        try c.endTags()
    }

    /// An element of `FetchRequest` (versions 15–17).
    public struct ReplicaState: WireStruct, Sendable, Equatable {
        /// Versions 15+; default -1.
        public var replicaId: Int32 = -1
        /// Versions 15+; default -1.
        public var replicaEpoch: Int64 = -1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&replicaId)
            try c.int64(&replicaEpoch)
            try c.noTags()
        }
    }

    /// An element of `FetchRequest` (versions 0–17).
    public struct FetchPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partition: Int32 = 0
        /// Versions 9+; default -1.
        public var currentLeaderEpoch: Int32 = -1
        /// Versions 0+.
        public var fetchOffset: Int64 = 0
        /// Versions 12+; default -1.
        public var lastFetchedEpoch: Int32 = -1
        /// Versions 5+; default -1.
        public var logStartOffset: Int64 = -1
        /// Versions 0+.
        public var partitionMaxBytes: Int32 = 0
        /// Versions 17+; tagged field 0.
        public var replicaDirectoryId: Uuid = Uuid.zero

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partition)
            if c.version >= 9 { try c.int32(&currentLeaderEpoch) }
            try c.int64(&fetchOffset)
            if c.version >= 12 { try c.int32(&lastFetchedEpoch) }
            if c.version >= 5 { try c.int64(&logStartOffset) }
            try c.int32(&partitionMaxBytes)
            try c.beginTags()
            if c.version >= 17 {
                try c.tagged(0, present: replicaDirectoryId != Uuid.zero) { c in try c.uuid(&replicaDirectoryId) }
            }
            try c.endTags()
        }
    }

    /// An element of `FetchRequest` (versions 0–17).
    public struct FetchTopic: WireStruct, Sendable, Equatable {
        /// Versions 0-12.
        public var topic: String = ""
        /// Versions 13+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 0+.
        public var partitions: [FetchPartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            if c.version <= 12 { try c.string(&topic) }
            if c.version >= 13 { try c.uuid(&topicId) }
            try c.array(&partitions)
            try c.noTags()
        }
    }

    /// An element of `FetchRequest` (versions 7–17).
    public struct ForgottenTopic: WireStruct, Sendable, Equatable {
        /// Versions 7-12.
        public var topic: String = ""
        /// Versions 13+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 7+.
        public var partitions: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            if c.version <= 12 { try c.string(&topic) }
            if c.version >= 13 { try c.uuid(&topicId) }
            try c.array(&partitions) { c, v in try c.int32(&v) }
            try c.noTags()
        }
    }
}

/// Fetch response: upstream versions 0-17, flexible from 12+; we serve `ApiKey.versions`.
public struct FetchResponse: WireStruct, Sendable, Equatable {
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 7+.
    public var errorCode: Int16 = 0
    /// Versions 7+; default 0.
    public var sessionId: Int32 = 0
    /// Versions 0+.
    public var responses: [FetchableTopicResponse] = []
    /// Versions 16+; tagged field 0.
    public var nodeEndpoints: [NodeEndpoint] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        if c.version >= 7 { try c.int16(&errorCode) }
        if c.version >= 7 { try c.int32(&sessionId) }
        try c.array(&responses)
        try c.beginTags()
        if c.version >= 16 { try c.tagged(0, present: !nodeEndpoints.isEmpty) { c in try c.array(&nodeEndpoints) } }
        try c.endTags()
    }

    /// An element of `FetchResponse` (versions 12–17).
    public struct EpochEndOffset: WireStruct, Sendable, Equatable {
        /// Versions 12+; default -1.
        public var epoch: Int32 = -1
        /// Versions 12+; default -1.
        public var endOffset: Int64 = -1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&epoch)
            try c.int64(&endOffset)
            try c.noTags()
        }
    }

    /// The shared `LeaderIdAndEpoch` (see `Messages/LeaderAndEndpoint.swift`).
    public typealias LeaderIdAndEpoch = KafkaProtocol.LeaderIdAndEpoch

    /// An element of `FetchResponse` (versions 12–17).
    public struct SnapshotId: WireStruct, Sendable, Equatable {
        /// Versions 0+; default -1.
        public var endOffset: Int64 = -1
        /// Versions 0+; default -1.
        public var epoch: Int32 = -1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int64(&endOffset)
            try c.int32(&epoch)
            try c.noTags()
        }
    }

    /// An element of `FetchResponse` (versions 4–17).
    public struct AbortedTransaction: WireStruct, Sendable, Equatable {
        /// Versions 4+.
        public var producerId: Int64 = 0
        /// Versions 4+.
        public var firstOffset: Int64 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int64(&producerId)
            try c.int64(&firstOffset)
            try c.noTags()
        }
    }

    /// An element of `FetchResponse` (versions 0–17).
    public struct PartitionData: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+.
        public var highWatermark: Int64 = 0
        /// Versions 4+; default -1.
        public var lastStableOffset: Int64 = -1
        /// Versions 5+; default -1.
        public var logStartOffset: Int64 = -1
        /// Versions 12+; tagged field 0.
        public var divergingEpoch: EpochEndOffset = EpochEndOffset()
        /// Versions 12+; tagged field 1.
        public var currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()
        /// Versions 12+; tagged field 2.
        public var snapshotId: SnapshotId = SnapshotId()
        /// Versions 4+; nullable in 4+.
        public var abortedTransactions: [AbortedTransaction]? = []
        /// Versions 11+; default -1.
        public var preferredReadReplica: Int32 = -1
        /// Versions 0+; nullable in 0+. Defaults to empty rather than upstream's null: brokers answer
        /// every partition, errors included, with empty records, and librdkafka rejects a null here.
        public var records: ByteBuffer? = ByteBuffer()

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            try c.int64(&highWatermark)
            if c.version >= 4 { try c.int64(&lastStableOffset) }
            if c.version >= 5 { try c.int64(&logStartOffset) }
            if c.version >= 4 { try c.nullableArray(&abortedTransactions) }
            if c.version >= 11 { try c.int32(&preferredReadReplica) }
            try c.nullableBytes(&records)
            try c.beginTags()
            if c.version >= 12 {
                try c.tagged(0, present: divergingEpoch != EpochEndOffset()) { c in try c.struct(&divergingEpoch) }
            }
            if c.version >= 12 {
                try c.tagged(1, present: currentLeader != LeaderIdAndEpoch()) { c in try c.struct(&currentLeader) }
            }
            if c.version >= 12 {
                try c.tagged(2, present: snapshotId != SnapshotId()) { c in try c.struct(&snapshotId) }
            }
            try c.endTags()
        }
    }

    /// An element of `FetchResponse` (versions 0–17).
    public struct FetchableTopicResponse: WireStruct, Sendable, Equatable {
        /// Versions 0-12.
        public var topic: String = ""
        /// Versions 13+.
        public var topicId: Uuid = Uuid.zero
        /// Versions 0+.
        public var partitions: [PartitionData] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            if c.version <= 12 { try c.string(&topic) }
            if c.version >= 13 { try c.uuid(&topicId) }
            try c.array(&partitions)
            try c.noTags()
        }
    }

    /// The shared `NodeEndpoint` (see `Messages/LeaderAndEndpoint.swift`).
    public typealias NodeEndpoint = KafkaProtocol.NodeEndpoint
}
