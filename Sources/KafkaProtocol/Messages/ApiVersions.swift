import NIOCore

// ApiVersions (key 18): what a client asks first, to learn the versions the broker serves.

/// ApiVersions request: upstream versions 0-4, flexible from 3+; we serve `ApiKey.versions`.
public struct ApiVersionsRequest: WireStruct, Sendable, Equatable {
    /// Versions 3+.
    public var clientSoftwareName: String = ""
    /// Versions 3+.
    public var clientSoftwareVersion: String = ""

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 { try c.string(&clientSoftwareName) }
        if c.version >= 3 { try c.string(&clientSoftwareVersion) }
        try c.noTags()
    }
}

/// ApiVersions response: upstream versions 0-4, flexible from 3+; we serve `ApiKey.versions`.
public struct ApiVersionsResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+.
    public var apiKeys: [ApiVersion] = []
    /// Versions 1+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 3+; tagged field 0.
    public var supportedFeatures: [SupportedFeatureKey] = []
    /// Versions 3+; tagged field 1; default -1.
    public var finalizedFeaturesEpoch: Int64 = -1
    /// Versions 3+; tagged field 2.
    public var finalizedFeatures: [FinalizedFeatureKey] = []
    /// Versions 3+; tagged field 3; default false.
    public var zkMigrationReady: Bool = false

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int16(&errorCode)
        try c.array(&apiKeys)
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.beginTags()
        if c.version >= 3 {
            try c.tagged(0, present: !supportedFeatures.isEmpty) { c in try c.array(&supportedFeatures) }
        }
        if c.version >= 3 {
            try c.tagged(1, present: finalizedFeaturesEpoch != -1) { c in try c.int64(&finalizedFeaturesEpoch) }
        }
        if c.version >= 3 {
            try c.tagged(2, present: !finalizedFeatures.isEmpty) { c in try c.array(&finalizedFeatures) }
        }
        if c.version >= 3 { try c.tagged(3, present: zkMigrationReady != false) { c in try c.bool(&zkMigrationReady) } }
        try c.endTags()
    }

    /// An element of `ApiVersionsResponse` (versions 0–4).
    public struct ApiVersion: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var apiKey: Int16 = 0
        /// Versions 0+.
        public var minVersion: Int16 = 0
        /// Versions 0+.
        public var maxVersion: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// One served API and its version range.
        public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&apiKey)
            try c.int16(&minVersion)
            try c.int16(&maxVersion)
            try c.noTags()
        }
    }

    /// An element of `ApiVersionsResponse` (versions 3–4).
    public struct SupportedFeatureKey: WireStruct, Sendable, Equatable {
        /// Versions 3+.
        public var name: String = ""
        /// Versions 3+.
        public var minVersion: Int16 = 0
        /// Versions 3+.
        public var maxVersion: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.int16(&minVersion)
            try c.int16(&maxVersion)
            try c.noTags()
        }
    }

    /// An element of `ApiVersionsResponse` (versions 3–4).
    public struct FinalizedFeatureKey: WireStruct, Sendable, Equatable {
        /// Versions 3+.
        public var name: String = ""
        /// Versions 3+.
        public var maxVersionLevel: Int16 = 0
        /// Versions 3+.
        public var minVersionLevel: Int16 = 0

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.string(&name)
            try c.int16(&maxVersionLevel)
            try c.int16(&minVersionLevel)
            try c.noTags()
        }
    }
}
