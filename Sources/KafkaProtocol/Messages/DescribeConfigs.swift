import NIOCore

// DescribeConfigs (key 32): read topic and broker configuration entries.

/// DescribeConfigs request: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct DescribeConfigsRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var resources: [DescribeConfigsResource] = []
    /// Versions 1+; default false.
    public var includeSynonyms: Bool = false
    /// Versions 3+; default false.
    public var includeDocumentation: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&resources)
        if c.version >= 1 { try c.bool(&includeSynonyms) }
        if c.version >= 3 { try c.bool(&includeDocumentation) }
        try c.noTags()
    }

    /// An element of `DescribeConfigsRequest` (versions 0–4).
    public struct DescribeConfigsResource: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var resourceType: Int8 = 0
        /// Versions 0+.
        public var resourceName: String = ""
        /// Versions 0+; nullable in 0+.
        public var configurationKeys: [String]? = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.nullableArray(&configurationKeys) { c, v in try c.string(&v) }
            try c.noTags()
        }
    }
}

/// DescribeConfigs response: upstream versions 0-4, flexible from 4+; we serve `ApiKey.versions`.
public struct DescribeConfigsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var results: [DescribeConfigsResult] = []

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.array(&results)
        try c.noTags()
    }

    /// An element of `DescribeConfigsResponse` (versions 1–4).
    public struct DescribeConfigsSynonym: WireStruct, Sendable, Equatable {
        /// Versions 1+.
        public var name: String = ""
        /// Versions 1+; nullable in 0+.
        public var value: String? = ""
        /// Versions 1+.
        public var source: Int8 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.nullableString(&value)
            try c.int8(&source)
            try c.noTags()
        }
    }

    /// An element of `DescribeConfigsResponse` (versions 0–4).
    public struct DescribeConfigsResourceResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var name: String = ""
        /// Versions 0+; nullable in 0+.
        public var value: String? = ""
        /// Versions 0+.
        public var readOnly: Bool = false
        /// Versions 0 only.
        public var isDefault: Bool = false
        /// Versions 1+; default -1.
        public var configSource: Int8 = -1
        /// Versions 0+.
        public var isSensitive: Bool = false
        /// Versions 1+.
        public var synonyms: [DescribeConfigsSynonym] = []
        /// Versions 3+; default 0.
        public var configType: Int8 = 0
        /// Versions 3+; nullable in 0+.
        public var documentation: String? = ""

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.nullableString(&value)
            try c.bool(&readOnly)
            if c.version <= 0 { try c.bool(&isDefault) }
            if c.version >= 1 { try c.int8(&configSource) }
            try c.bool(&isSensitive)
            if c.version >= 1 { try c.array(&synonyms) }
            if c.version >= 3 { try c.int8(&configType) }
            if c.version >= 3 { try c.nullableString(&documentation) }
            try c.noTags()
        }
    }

    /// An element of `DescribeConfigsResponse` (versions 0–4).
    public struct DescribeConfigsResult: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var errorCode: Int16 = 0
        /// Versions 0+; nullable in 0+.
        public var errorMessage: String? = ""
        /// Versions 0+.
        public var resourceType: Int8 = 0
        /// Versions 0+.
        public var resourceName: String = ""
        /// Versions 0+.
        public var configs: [DescribeConfigsResourceResult] = []

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&errorCode)
            try c.nullableString(&errorMessage)
            try c.int8(&resourceType)
            try c.string(&resourceName)
            try c.array(&configs)
            try c.noTags()
        }
    }
}
