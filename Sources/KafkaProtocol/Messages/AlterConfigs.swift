import NIOCore

// AlterConfigs (key 33): replace a resource's whole configuration (legacy; see IncrementalAlterConfigs).

/// AlterConfigs request: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct AlterConfigsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var resources: [AlterConfigsResource] = []
    /// Versions 0+.
    public var validateOnly: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&resources)
        try c.bool(&validateOnly)
        try c.noTags()
    }

    /// An element of `AlterConfigsRequest` (versions 0–2).
    public struct AlterableConfig: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+; nullable in 0+.
        public var value: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.nullableString(&value)
            try c.noTags()
        }
    }

    /// An element of `AlterConfigsRequest` (versions 0–2).
    public struct AlterConfigsResource: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var resourceType: Int8 = 0
        /// Versions 0+.
        public var resourceName: String = ""
        /// Versions 0+.
        public var configs: [AlterableConfig] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.array(&configs)
            try c.noTags()
        }
    }
}

/// AlterConfigs response: upstream versions 0-2, flexible from 2+; we serve `ApiKey.versions`.
public struct AlterConfigsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var responses: [AlterConfigsResourceResponse] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.array(&responses)
        try c.noTags()
    }

    /// An element of `AlterConfigsResponse` (versions 0–2).
    public struct AlterConfigsResourceResponse: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+; nullable in 0+.
        public var errorMessage: String? = ""
        /// Versions 0+.
        public var resourceType: Int8 = 0
        /// Versions 0+.
        public var resourceName: String = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.nullableString(&errorMessage)
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.noTags()
        }
    }
}
