/// Why bytes from a peer could not be read as a Kafka message.
public struct ProtocolError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The bytes ended before the message did.
        case truncated
        /// A length, count or value is outside what the protocol or our limits allow.
        case invalid
        /// The API key is one we do not know.
        case unknownApi
        /// The API version is outside the range we serve.
        case unsupportedVersion
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func truncated(_ what: String) -> ProtocolError { ProtocolError(.truncated, "truncated \(what)") }
}
