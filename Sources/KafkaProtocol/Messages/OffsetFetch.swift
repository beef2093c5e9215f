import NIOCore

// OffsetFetch (key 9): read a group's committed offsets (v8+ asks for several groups at once).

/// OffsetFetch request: upstream versions 0-9, flexible from 6+; we serve `ApiKey.versions`.
public struct OffsetFetchRequest: WireStruct, Sendable, Equatable {
    /// Versions 0-7.
    public var groupId: String = ""
    /// Versions 0-7; nullable in 2-7.
    public var topics: [OffsetFetchRequestTopic]? = []
    /// Versions 8+.
    public var groups: [OffsetFetchRequestGroup] = []
    /// Versions 7+; default false.
    public var requireStable: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version <= 7 { try c.string(&groupId) }
        if c.version <= 7 { try c.array(&topics, nullable: c.version >= 2) }
        if c.version >= 8 { try c.array(&groups) }
        if c.version >= 7 { try c.bool(&requireStable) }
        try c.noTags()
    }

    /// An element of `OffsetFetchRequest` (versions 0–7).
    public struct OffsetFetchRequestTopic: WireStruct, Sendable, Equatable {
        /// Versions 0-7.
        public var name: String = ""
        /// Versions 0-7.
        public var partitionIndexes: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitionIndexes) { c, v in try c.int32(&v) }
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchRequest` (versions 8–9).
    public struct OffsetFetchRequestTopics: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var name: String = ""
        /// Versions 8+.
        public var partitionIndexes: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitionIndexes) { c, v in try c.int32(&v) }
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchRequest` (versions 8–9).
    public struct OffsetFetchRequestGroup: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var groupId: String = ""
        /// Versions 9+; nullable in 9+; default null.
        public var memberId: String? = nil
        /// Versions 9+; default -1.
        public var memberEpoch: Int32 = -1
        /// Versions 8+; nullable in 8+.
        public var topics: [OffsetFetchRequestTopics]? = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&groupId)
            if c.version >= 9 { try c.nullableString(&memberId) }
            if c.version >= 9 { try c.int32(&memberEpoch) }
            try c.nullableArray(&topics)
            try c.noTags()
        }
    }
}

/// OffsetFetch response: upstream versions 0-9, flexible from 6+; we serve `ApiKey.versions`.
public struct OffsetFetchResponse: WireStruct, Sendable, Equatable {
    /// Versions 3+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0-7.
    public var topics: [OffsetFetchResponseTopic] = []
    /// Versions 2-7; default 0.
    public var errorCode: Int16 = 0
    /// Versions 8+.
    public var groups: [OffsetFetchResponseGroup] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.int32(&throttleTimeMs) }
        if c.version <= 7 { try c.array(&topics) }
        if c.version >= 2 && c.version <= 7 { try c.int16(&errorCode) }
        if c.version >= 8 { try c.array(&groups) }
        try c.noTags()
    }

    /// An element of `OffsetFetchResponse` (versions 0–7).
    public struct OffsetFetchResponsePartition: WireStruct, Sendable, Equatable {
        /// Versions 0-7.
        public var partitionIndex: Int32 = 0
        /// Versions 0-7.
        public var committedOffset: Int64 = 0
        /// Versions 5-7; default -1.
        public var committedLeaderEpoch: Int32 = -1
        /// Versions 0-7; nullable in 0-7.
        public var metadata: String? = ""
        /// Versions 0-7.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int64(&committedOffset)
            if c.version >= 5 { try c.int32(&committedLeaderEpoch) }
            try c.nullableString(&metadata)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchResponse` (versions 0–7).
    public struct OffsetFetchResponseTopic: WireStruct, Sendable, Equatable {
        /// Versions 0-7.
        public var name: String = ""
        /// Versions 0-7.
        public var partitions: [OffsetFetchResponsePartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchResponse` (versions 8–9).
    public struct OffsetFetchResponsePartitions: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var partitionIndex: Int32 = 0
        /// Versions 8+.
        public var committedOffset: Int64 = 0
        /// Versions 8+; default -1.
        public var committedLeaderEpoch: Int32 = -1
        /// Versions 8+; nullable in 8+.
        public var metadata: String? = ""
        /// Versions 8+.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int64(&committedOffset)
            try c.int32(&committedLeaderEpoch)
            try c.nullableString(&metadata)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchResponse` (versions 8–9).
    public struct OffsetFetchResponseTopics: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var name: String = ""
        /// Versions 8+.
        public var partitions: [OffsetFetchResponsePartitions] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
            try c.noTags()
        }
    }

    /// An element of `OffsetFetchResponse` (versions 8–9).
    public struct OffsetFetchResponseGroup: WireStruct, Sendable, Equatable {
        /// Versions 8+.
        public var groupId: String = ""
        /// Versions 8+.
        public var topics: [OffsetFetchResponseTopics] = []
        /// Versions 8+; default 0.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&groupId)
            try c.array(&topics)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }
}
