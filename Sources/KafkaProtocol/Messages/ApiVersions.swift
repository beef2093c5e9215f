/// ApiVersions (key 18): what a client asks first, to learn the versions we serve.
public struct ApiVersionsRequest: WireStruct, Sendable {
    public var clientSoftwareName = ""      // v3+
    public var clientSoftwareVersion = ""   // v3+

    public init() {}

    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        if c.version >= 3 {
            try c.string(&clientSoftwareName)
            try c.string(&clientSoftwareVersion)
        }
        try c.noTags()
    }
}

public struct ApiVersionsResponse: WireStruct, Sendable {
    public struct ApiVersion: WireStruct, Sendable {
        public var apiKey: Int16 = 0
        public var minVersion: Int16 = 0
        public var maxVersion: Int16 = 0

        public init() {}
        public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int16(&apiKey)
            try c.int16(&minVersion)
            try c.int16(&maxVersion)
            try c.noTags()
        }
    }

    public var errorCode: Int16 = 0
    public var apiKeys: [ApiVersion] = []
    public var throttleTimeMs: Int32 = 0    // v1+

    public init() {}

    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int16(&errorCode)
        try c.array(&apiKeys)
        if c.version >= 1 { try c.int32(&throttleTimeMs) }
        try c.noTags()
    }
}
