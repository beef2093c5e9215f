import NIOCore

// OffsetForLeaderEpoch (key 23): the end offset of a leader epoch, used to detect log divergence.

/// OffsetForLeaderEpoch request: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct OffsetForLeaderEpochRequest: WireStruct, Sendable, Equatable {
    /// Versions 3+; default -2.
    public var replicaId: Int32 = -2
    /// Versions 0+.
    public var topics: [OffsetForLeaderTopic] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.int32(&replicaId) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `OffsetForLeaderEpochRequest` (versions 0–4).
    public struct OffsetForLeaderPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partition: Int32 = 0
        /// Versions 2+; default -1.
        public var currentLeaderEpoch: Int32 = -1
        /// Versions 0+.
        public var leaderEpoch: Int32 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partition)
            if c.version >= 2 { try c.int32(&currentLeaderEpoch) }
            try c.int32(&leaderEpoch)
            try c.noTags()
        }
    }

    /// An element of `OffsetForLeaderEpochRequest` (versions 0–4).
    public struct OffsetForLeaderTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var topic: String = ""
        /// Versions 0+.
        public var partitions: [OffsetForLeaderPartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&topic)
            try c.array(&partitions)
            try c.noTags()
        }
    }
}

/// OffsetForLeaderEpoch response: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct OffsetForLeaderEpochResponse: WireStruct, Sendable, Equatable {
    /// Versions 2+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [OffsetForLeaderTopicResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `OffsetForLeaderEpochResponse` (versions 0–4).
    public struct EpochEndOffset: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+.
        public var partition: Int32 = 0
        /// Versions 1+; default -1.
        public var leaderEpoch: Int32 = -1
        /// Versions 0+; default -1.
        public var endOffset: Int64 = -1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.int32(&partition)
            if c.version >= 1 { try c.int32(&leaderEpoch) }
            try c.int64(&endOffset)
            try c.noTags()
        }
    }

    /// An element of `OffsetForLeaderEpochResponse` (versions 0–4).
    public struct OffsetForLeaderTopicResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var topic: String = ""
        /// Versions 0+.
        public var partitions: [EpochEndOffset] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&topic)
            try c.array(&partitions)
            try c.noTags()
        }
    }
}
