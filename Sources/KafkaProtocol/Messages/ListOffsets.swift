import NIOCore

// ListOffsets (key 2): look up the offset for a timestamp, or the earliest / latest offset.

/// ListOffsets request: upstream versions 0-10, flexible from 6+; we serve `ApiKey.versions`.
public struct ListOffsetsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var replicaId: Int32 = 0
    /// Versions 2+.
    public var isolationLevel: Int8 = 0
    /// Versions 0+.
    public var topics: [ListOffsetsTopic] = []
    /// Versions 10+.
    public var timeoutMs: Int32 = 0

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&replicaId)
        if c.version >= 2 { try c.int8(&isolationLevel) }
        try c.array(&topics)
        if c.version >= 10 { try c.int32(&timeoutMs) }
        try c.noTags()
    }

    /// An element of `ListOffsetsRequest` (versions 0–10).
    public struct ListOffsetsPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 4+; default -1.
        public var currentLeaderEpoch: Int32 = -1
        /// Versions 0+.
        public var timestamp: Int64 = 0
        /// Versions 0 only; default 1.
        public var maxNumOffsets: Int32 = 1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            if c.version >= 4 { try c.int32(&currentLeaderEpoch) }
            try c.int64(&timestamp)
            if c.version <= 0 { try c.int32(&maxNumOffsets) }
            try c.noTags()
        }
    }

    /// An element of `ListOffsetsRequest` (versions 0–10).
    public struct ListOffsetsTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [ListOffsetsPartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
            try c.noTags()
        }
    }
}

/// ListOffsets response: upstream versions 0-10, flexible from 6+; we serve `ApiKey.versions`.
public struct ListOffsetsResponse: WireStruct, Sendable, Equatable {
    /// Versions 2+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [ListOffsetsTopicResponse] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 2 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `ListOffsetsResponse` (versions 0–10).
    public struct ListOffsetsPartitionResponse: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0 only.
        public var oldStyleOffsets: [Int64] = []
        /// Versions 1+; default -1.
        public var timestamp: Int64 = -1
        /// Versions 1+; default -1.
        public var offset: Int64 = -1
        /// Versions 4+; default -1.
        public var leaderEpoch: Int32 = -1

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            if c.version <= 0 { try c.array(&oldStyleOffsets) { c, v in try c.int64(&v) } }
            if c.version >= 1 { try c.int64(&timestamp) }
            if c.version >= 1 { try c.int64(&offset) }
            if c.version >= 4 { try c.int32(&leaderEpoch) }
            try c.noTags()
        }
    }

    /// An element of `ListOffsetsResponse` (versions 0–10).
    public struct ListOffsetsTopicResponse: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [ListOffsetsPartitionResponse] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
            try c.noTags()
        }
    }
}
