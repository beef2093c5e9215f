import NIOCore

/// The header that starts every request (versions 0–2).
public struct RequestHeader: Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    public init(apiKey: Int16, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// Reads the fixed part of the header, which every version shares, then the client id and
    /// (for flexible requests) the header's tagged fields. The body follows in `buffer`.
    ///
    /// A request of an unknown API or unsupported version still yields its header (as long as
    /// the fixed part is there), so the caller can answer with the right correlation id.
    public static func decode(from buffer: inout ByteBuffer) throws -> RequestHeader {
        guard let key = buffer.readInteger(as: Int16.self),
              let version = buffer.readInteger(as: Int16.self),
              let correlationId = buffer.readInteger(as: Int32.self)
        else { throw ProtocolError.truncated("request header") }
        var header = RequestHeader(apiKey: key, apiVersion: version, correlationId: correlationId, clientId: nil)
        // The client id is a classic nullable string even in header v2.
        guard let n = buffer.readInteger(as: Int16.self) else { throw ProtocolError.truncated("client id") }
        if n >= 0 {
            guard let s = buffer.readString(length: Int(n)) else { throw ProtocolError.truncated("client id") }
            header.clientId = s
        }
        if let api = ApiKey(rawValue: key), api.versions.contains(version), api.versions.isFlexible(version) {
            var decoder = WireDecoder(buffer: buffer, version: 2, flexible: true)
            try decoder.noTags()
            buffer = decoder.buffer
        }
        return header
    }

    public func encode(into buffer: inout ByteBuffer) {
        buffer.writeInteger(apiKey)
        buffer.writeInteger(apiVersion)
        buffer.writeInteger(correlationId)
        if let id = clientId {
            buffer.writeInteger(Int16(id.utf8.count))
            buffer.writeString(id)
        } else {
            buffer.writeInteger(Int16(-1))
        }
        if let api = ApiKey(rawValue: apiKey), api.versions.isFlexible(apiVersion) {
            buffer.writeUnsignedVarint(0)
        }
    }
}

/// The header that starts every response: the correlation id, then an empty tagged-field block
/// for flexible versions, except ApiVersions, whose response header is always version 0 so that a
/// client can read it before it knows what the broker supports.
public enum ResponseHeader {
    public static func usesTags(apiKey: ApiKey, version: Int16) -> Bool {
        apiKey != .apiVersions && apiKey.versions.isFlexible(version)
    }

    public static func encode(correlationId: Int32, apiKey: ApiKey, version: Int16, into buffer: inout ByteBuffer) {
        buffer.writeInteger(correlationId)
        if usesTags(apiKey: apiKey, version: version) { buffer.writeUnsignedVarint(0) }
    }

    /// Reads a response header; returns the correlation id.
    public static func decode(apiKey: ApiKey, version: Int16, from buffer: inout ByteBuffer) throws -> Int32 {
        guard let id = buffer.readInteger(as: Int32.self) else { throw ProtocolError.truncated("response header") }
        if usesTags(apiKey: apiKey, version: version) {
            var decoder = WireDecoder(buffer: buffer, version: 1, flexible: true)
            try decoder.noTags()
            buffer = decoder.buffer
        }
        return id
    }
}
