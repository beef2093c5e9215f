import NIOCore

/// One symmetric description of a message's layout, read by `WireDecoder` and written by `WireEncoder`.
///
/// Each message declares its fields once, in a `serde` method that calls these primitives in wire
/// order, guarded by the versions each field exists in. The decoder fills the fields from bytes; the
/// encoder writes them. Flexible versions (KIP-482) switch strings, bytes and arrays to compact forms
/// and add a tagged-field block at the end of every struct.
public protocol WireCoder {
    /// The API version being read or written.
    var version: Int16 { get }
    /// Whether `version` is a flexible version of its API.
    var flexible: Bool { get }

    mutating func bool(_ value: inout Bool) throws
    mutating func int8(_ value: inout Int8) throws
    mutating func int16(_ value: inout Int16) throws
    mutating func uint16(_ value: inout UInt16) throws
    mutating func int32(_ value: inout Int32) throws
    mutating func uint32(_ value: inout UInt32) throws
    mutating func int64(_ value: inout Int64) throws
    mutating func float64(_ value: inout Double) throws
    mutating func uuid(_ value: inout Uuid) throws
    /// An unsigned varint field (used by a few flexible fields).
    mutating func uvarint(_ value: inout UInt32) throws
    mutating func string(_ value: inout String) throws
    mutating func nullableString(_ value: inout String?) throws
    mutating func bytes(_ value: inout ByteBuffer) throws
    mutating func nullableBytes(_ value: inout ByteBuffer?) throws
    /// An array whose elements are coded by `element`.
    mutating func array<T: WireDefault>(_ value: inout [T], _ element: (inout Self, inout T) throws -> Void) throws
    /// A nullable array: `nil` is written as length -1 (or 0 when compact).
    mutating func nullableArray<T: WireDefault>(_ value: inout [T]?, _ element: (inout Self, inout T) throws -> Void) throws

    /// Starts the tagged-field block that ends a struct in flexible versions (a no-op otherwise).
    mutating func beginTags() throws
    /// A tagged field: decoded when the peer sent `tag`; encoded when `present`.
    mutating func tagged(_ tag: UInt32, present: Bool, _ body: (inout Self) throws -> Void) throws
    /// Ends the tagged-field block.
    mutating func endTags() throws
}

/// A value with a neutral default, so a decoder can create an element before filling it.
public protocol WireDefault {
    init()
}

extension Int8: WireDefault {}
extension Int16: WireDefault {}
extension Int32: WireDefault {}
extension Int64: WireDefault {}
extension String: WireDefault {}
extension Bool: WireDefault {}

/// A struct of the protocol (a message body or a nested struct), laid out by `serde`.
public protocol WireStruct: WireDefault {
    mutating func serde<C: WireCoder>(_ coder: inout C) throws
}

extension WireCoder {
    /// An array of nested structs.
    public mutating func array<T: WireStruct>(_ value: inout [T]) throws {
        try array(&value) { coder, element in try element.serde(&coder) }
    }

    /// A nullable array of nested structs.
    public mutating func nullableArray<T: WireStruct>(_ value: inout [T]?) throws {
        try nullableArray(&value) { coder, element in try element.serde(&coder) }
    }

    /// A nested struct that is not in an array.
    public mutating func `struct`<T: WireStruct>(_ value: inout T) throws {
        try value.serde(&self)
    }

    /// A struct with no tagged fields of its own ends with an empty tagged-field block.
    public mutating func noTags() throws {
        try beginTags()
        try endTags()
    }

    public mutating func int32s(_ value: inout [Int32]) throws {
        try array(&value) { coder, v in try coder.int32(&v) }
    }

    public mutating func int64s(_ value: inout [Int64]) throws {
        try array(&value) { coder, v in try coder.int64(&v) }
    }

    public mutating func strings(_ value: inout [String]) throws {
        try array(&value) { coder, v in try coder.string(&v) }
    }

    public mutating func nullableStrings(_ value: inout [String]?) throws {
        try nullableArray(&value) { coder, v in try coder.string(&v) }
    }

    /// A string that the protocol lets be null only in some versions (`nullable` says whether this is one).
    /// Writing nil in a version where null is not allowed is an error, as it would be unreadable.
    public mutating func string(_ value: inout String?, nullable: Bool) throws {
        if nullable { try nullableString(&value); return }
        guard var s = value else { throw ProtocolError(.invalid, "null string in version \(version), which does not allow it") }
        try string(&s)
        value = s
    }

    /// An array of structs that the protocol lets be null only in some versions.
    public mutating func array<T: WireStruct>(_ value: inout [T]?, nullable: Bool) throws {
        if nullable { try nullableArray(&value); return }
        guard var a = value else { throw ProtocolError(.invalid, "null array in version \(version), which does not allow it") }
        try array(&a)
        value = a
    }
}
