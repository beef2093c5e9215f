import NIOCore

// DescribeCluster (key 60): cluster id, controller and brokers (used by admin clients).

/// DescribeCluster request: upstream versions 0-1, flexible from 0+; we serve `ApiKey.versions`.
public struct DescribeClusterRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var includeClusterAuthorizedOperations: Bool = false
    /// Versions 1+; default 1.
    public var endpointType: Int8 = 1

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.bool(&includeClusterAuthorizedOperations)
        if c.version >= 1 { try c.int8(&endpointType) }
        try c.noTags()
    }
}

/// DescribeCluster response: upstream versions 0-1, flexible from 0+; we serve `ApiKey.versions`.
public struct DescribeClusterResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+; nullable in 0+; default null.
    public var errorMessage: String? = nil
    /// Versions 1+; default 1.
    public var endpointType: Int8 = 1
    /// Versions 0+.
    public var clusterId: String = ""
    /// Versions 0+; default -1.
    public var controllerId: Int32 = -1
    /// Versions 0+.
    public var brokers: [DescribeClusterBroker] = []
    /// Versions 0+; default -2147483648.
    public var clusterAuthorizedOperations: Int32 = Int32.min

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.int16(&errorCode)
        try c.nullableString(&errorMessage)
        if c.version >= 1 { try c.int8(&endpointType) }
        try c.string(&clusterId)
        try c.int32(&controllerId)
        try c.array(&brokers)
        try c.int32(&clusterAuthorizedOperations)
        try c.noTags()
    }

    /// An element of `DescribeClusterResponse` (versions 0–1).
    public struct DescribeClusterBroker: WireStruct, Sendable, Equatable {
        /// Versions 0+.
        public var brokerId: Int32 = 0
        /// Versions 0+.
        public var host: String = ""
        /// Versions 0+.
        public var port: Int32 = 0
        /// Versions 0+; nullable in 0+; default null.
        public var rack: String? = nil

        /// A value with every field at its protocol default.
        public init() {}

        /// Reads or writes the fields in wire order, each only in the versions it exists in.
        public mutating func serde<C: WireCoder>(_ c: inout C) throws {
            try c.int32(&brokerId)
            try c.string(&host)
            try c.int32(&port)
            try c.nullableString(&rack)
            try c.noTags()
        }
    }
}
