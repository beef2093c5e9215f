import NIOCore

// OffsetCommit (key 8): a consumer group stores the offsets it has consumed up to.

/// OffsetCommit request: upstream versions 0-9, flexible from 8+; we serve `ApiKey.versions`.
public struct OffsetCommitRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 1+; default -1.
    public var generationIdOrMemberEpoch: Int32 = -1
    /// Versions 1+.
    public var memberId: String = ""
    /// Versions 7+; nullable in 7+; default null.
    public var groupInstanceId: String? = nil
    /// Versions 2-4; default -1.
    public var retentionTimeMs: Int64 = -1
    /// Versions 0+.
    public var topics: [OffsetCommitRequestTopic] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        if c.version >= 1 { try c.int32(&generationIdOrMemberEpoch) }
        if c.version >= 1 { try c.string(&memberId) }
        if c.version >= 7 { try c.nullableString(&groupInstanceId) }
        if c.version >= 2 && c.version <= 4 { try c.int64(&retentionTimeMs) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `OffsetCommitRequest` (versions 0–9).
    public struct OffsetCommitRequestPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var committedOffset: Int64 = 0
        /// Versions 6+; default -1.
        public var committedLeaderEpoch: Int32 = -1
        /// Versions 1 only; default -1.
        public var commitTimestamp: Int64 = -1
        /// Versions 0+; nullable in 0+.
        public var committedMetadata: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int64(&committedOffset)
            if c.version >= 6 { try c.int32(&committedLeaderEpoch) }
            if c.version == 1 { try c.int64(&commitTimestamp) }
            try c.nullableString(&committedMetadata)
            try c.noTags()
        }
    }

    /// An element of `OffsetCommitRequest` (versions 0–9).
    public struct OffsetCommitRequestTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [OffsetCommitRequestPartition] = []

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

/// OffsetCommit response: upstream versions 0-9, flexible from 8+; we serve `ApiKey.versions`.
public struct OffsetCommitResponse: WireStruct, Sendable, Equatable {
    /// Versions 3+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [OffsetCommitResponseTopic] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `OffsetCommitResponse` (versions 0–9).
    public struct OffsetCommitResponsePartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }

    /// An element of `OffsetCommitResponse` (versions 0–9).
    public struct OffsetCommitResponseTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [OffsetCommitResponsePartition] = []

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
