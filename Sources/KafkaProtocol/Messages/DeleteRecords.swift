import NIOCore

// DeleteRecords (key 21): advance partitions' log start offsets, dropping records below them.

/// DeleteRecords request: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct DeleteRecordsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var topics: [DeleteRecordsTopic] = []
    /// Versions 0+.
    public var timeoutMs: Int32 = 0

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&topics)
        try c.int32(&timeoutMs)
        try c.noTags()
    }

    /// An element of `DeleteRecordsRequest` (versions 0–2).
    public struct DeleteRecordsPartition: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var offset: Int64 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int64(&offset)
            try c.noTags()
        }
    }

    /// An element of `DeleteRecordsRequest` (versions 0–2).
    public struct DeleteRecordsTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [DeleteRecordsPartition] = []

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

/// DeleteRecords response: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct DeleteRecordsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var topics: [DeleteRecordsTopicResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.array(&topics)
        try c.noTags()
    }

    /// An element of `DeleteRecordsResponse` (versions 0–2).
    public struct DeleteRecordsPartitionResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var partitionIndex: Int32 = 0
        /// Versions 0+.
        public var lowWatermark: Int64 = 0
        /// Versions 0+.
        public var errorCode: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&partitionIndex)
            try c.int64(&lowWatermark)
            try c.int16(&errorCode)
            try c.noTags()
        }
    }

    /// An element of `DeleteRecordsResponse` (versions 0–2).
    public struct DeleteRecordsTopicResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var partitions: [DeleteRecordsPartitionResult] = []

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
