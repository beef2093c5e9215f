import NIOCore

// OffsetDelete (key 47): delete a group's committed offsets for some partitions.

/// OffsetDelete request: upstream versions 0, flexible from none; we serve `ApiKey.versions`.
public struct OffsetDeleteRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var groupId: String = ""
    /// Versions 0+.
    public var topics: [OffsetDeleteRequestTopic] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&groupId)
        try c.array(&topics)
    }

    /// An element of `OffsetDeleteRequest` (versions 0–0).
    public struct OffsetDeleteRequestPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
        }
    }

    /// An element of `OffsetDeleteRequest` (versions 0–0).
    public struct OffsetDeleteRequestTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [OffsetDeleteRequestPartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
        }
    }
}

/// OffsetDelete response: upstream versions 0, flexible from none; we serve `ApiKey.versions`.
public struct OffsetDeleteResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [OffsetDeleteResponseTopic] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int16(&errorCode)
        try c.int32(&throttleTimeMs)
        try c.array(&topics)
    }

    /// An element of `OffsetDeleteResponse` (versions 0–0).
    public struct OffsetDeleteResponsePartition: WireStruct, Sendable, Equatable {
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
        }
    }

    /// An element of `OffsetDeleteResponse` (versions 0–0).
    public struct OffsetDeleteResponseTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [OffsetDeleteResponsePartition] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.array(&partitions)
        }
    }
}
