import NIOCore

// CreatePartitions (key 37): add partitions to existing topics.

/// CreatePartitions request: upstream versions 0-3, flexible from 2+; we serve `ApiKey.versions`.
public struct CreatePartitionsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var topics: [CreatePartitionsTopic] = []
    /// Versions 0+.
    public var timeoutMs: Int32 = 0
    /// Versions 0+.
    public var validateOnly: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&topics)
        try c.int32(&timeoutMs)
        try c.bool(&validateOnly)
        try c.noTags()
    }

    /// An element of `CreatePartitionsRequest` (versions 0–3).
    public struct CreatePartitionsAssignment: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var brokerIds: [Int32] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.array(&brokerIds) { c, v in try c.int32(&v) }
            try c.noTags()
        }
    }

    /// An element of `CreatePartitionsRequest` (versions 0–3).
    public struct CreatePartitionsTopic: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var count: Int32 = 0
        /// Versions 0+; nullable in 0+.
        public var assignments: [CreatePartitionsAssignment]? = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.int32(&count)
            try c.nullableArray(&assignments)
            try c.noTags()
        }
    }
}

/// CreatePartitions response: upstream versions 0-3, flexible from 2+; we serve `ApiKey.versions`.
public struct CreatePartitionsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var results: [CreatePartitionsTopicResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.array(&results)
        try c.noTags()
    }

    /// An element of `CreatePartitionsResponse` (versions 0–3).
    public struct CreatePartitionsTopicResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+; nullable in 0+; default null.
        public var errorMessage: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.int16(&errorCode)
            try c.nullableString(&errorMessage)
            try c.noTags()
        }
    }
}
