import NIOCore

/// Builds and reads whole frames: a 4-byte size prefix, a request or response header, then a body.
///
/// The broker side decodes request bodies (see `RequestBody`) and encodes responses; the client side
/// encodes requests and decodes responses. Versions outside `ApiKey.versions` are refused both ways,
/// because the flexible/classic layout of an unknown version cannot be known.
public enum KafkaFrame {
    /// Decodes a message body at `version` of its API (the header already consumed).
    public static func decodeBody<T: KafkaMessage>(_: T.Type, version: Int16, from buffer: ByteBuffer) throws -> T {
        let range = T.apiKey.versions
        guard range.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "\(T.apiKey) version \(version) is outside the served range \(range.min)...\(range.max)")
        }
        return try WireDecoder.decode(T.self, from: buffer, version: version, flexible: range.isFlexible(version))
    }

    /// Encodes a message body alone at `version` of its API.
    public static func encodeBody<T: KafkaMessage>(_ body: T, version: Int16) throws -> ByteBuffer {
        let range = T.apiKey.versions
        guard range.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "\(T.apiKey) version \(version) is outside the served range \(range.min)...\(range.max)")
        }
        var out = ByteBuffer()
        try body.encode(into: &out, version: version, flexible: range.isFlexible(version))
        return out
    }

    /// A response frame: size prefix, response header (`ResponseHeader`), body.
    public static func encodeResponse<T: KafkaMessage>(
        _ body: T, version: Int16, correlationId: Int32
    ) throws -> ByteBuffer {
        try encodeResponse(body, apiKey: T.apiKey, version: version, correlationId: correlationId)
    }

    /// A response frame for any struct laid out as a response of `apiKey` (size prefix, header, body).
    public static func encodeResponse<T: WireStruct>(
        _ body: T, apiKey: ApiKey, version: Int16, correlationId: Int32
    ) throws -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(Int32(0))  // size, patched below
        ResponseHeader.encode(correlationId: correlationId, apiKey: apiKey, version: version, into: &out)
        try body.encode(into: &out, version: version, flexible: apiKey.versions.isFlexible(version))
        try patchSize(&out)
        return out
    }

    /// A request frame: size prefix, request header (`RequestHeader`), body.
    public static func encodeRequest<T: KafkaRequestMessage>(
        _ body: T, version: Int16, correlationId: Int32, clientId: String?
    ) throws -> ByteBuffer {
        let range = T.apiKey.versions
        guard range.contains(version) else {
            throw ProtocolError(.unsupportedVersion, "\(T.apiKey) version \(version) is not one we implement")
        }
        var out = ByteBuffer()
        out.writeInteger(Int32(0))  // size, patched below
        RequestHeader(apiKey: T.apiKey.rawValue, apiVersion: version, correlationId: correlationId, clientId: clientId)
            .encode(into: &out)
        try body.encode(into: &out, version: version, flexible: range.isFlexible(version))
        try patchSize(&out)
        return out
    }

    /// Reads a response frame's header and body (the 4-byte size prefix already removed by framing).
    /// Returns the correlation id with the body so the caller can match it to its request.
    public static func decodeResponse<T: KafkaMessage>(
        _: T.Type, version: Int16, from frame: ByteBuffer
    ) throws -> (correlationId: Int32, body: T) {
        var buffer = frame
        let correlationId = try ResponseHeader.decode(apiKey: T.apiKey, version: version, from: &buffer)
        return (correlationId, try decodeBody(T.self, version: version, from: buffer))
    }

    /// Reads a request frame's header and body (size prefix already removed).
    /// An unknown API key or unsupported version throws after the header was read; callers that must
    /// answer such requests should use `RequestHeader.decode` and `RequestBody.decode` separately.
    public static func decodeRequest(from frame: ByteBuffer) throws -> (header: RequestHeader, body: RequestBody) {
        var buffer = frame
        let header = try RequestHeader.decode(from: &buffer)
        guard let key = ApiKey(rawValue: header.apiKey) else {
            throw ProtocolError(.unknownApi, "unknown API key \(header.apiKey)")
        }
        return (header, try RequestBody.decode(apiKey: key, version: header.apiVersion, from: buffer))
    }

    /// Writes the frame length (everything after the 4-byte prefix) into the prefix.
    private static func patchSize(_ out: inout ByteBuffer) throws {
        let size = out.readableBytes - 4
        guard size <= Int(Int32.max) else { throw ProtocolError(.invalid, "frame of \(size) bytes is too large") }
        out.setInteger(Int32(size), at: out.readerIndex)
    }
}
