import NIOCore

// InitProducerId (key 22): a producer obtains its producer id and epoch (idempotence, transactions).

/// InitProducerId request: upstream versions 0-5, flexible from 2+; we serve `ApiKey.versions`.
public struct InitProducerIdRequest: WireStruct, Sendable, Equatable {
    /// Versions 0+; nullable in 0+.
    public var transactionalId: String? = ""
    /// Versions 0+.
    public var transactionTimeoutMs: Int32 = 0
    /// Versions 3+; default -1.
    public var producerId: Int64 = -1
    /// Versions 3+; default -1.
    public var producerEpoch: Int16 = -1

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.nullableString(&transactionalId)
        try c.int32(&transactionTimeoutMs)
        if c.version >= 3 { try c.int64(&producerId) }
        if c.version >= 3 { try c.int16(&producerEpoch) }
        try c.noTags()
    }
}

/// InitProducerId response: upstream versions 0-5, flexible from 2+; we serve `ApiKey.versions`.
public struct InitProducerIdResponse: WireStruct, Sendable, Equatable {
    /// Versions 0+.
    public var throttleTimeMs: Int32 = 0
    /// Versions 0+.
    public var errorCode: Int16 = 0
    /// Versions 0+; default -1.
    public var producerId: Int64 = -1
    /// Versions 0+.
    public var producerEpoch: Int16 = 0

    /// A value with every field at its protocol default.
    public init() {}

    /// Reads or writes the fields in wire order, each only in the versions it exists in.
    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.int32(&throttleTimeMs)
        try c.int16(&errorCode)
        try c.int64(&producerId)
        try c.int16(&producerEpoch)
        try c.noTags()
    }
}
