import KafkaProtocol
import NIOCore

/// A record read from a partition. Key, value and header values are slices of the fetched bytes.
public struct ConsumerRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var timestampMs: Int64
    public var timestampType: TimestampType
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]
    /// The leader epoch of the batch the record came in (-1 when unknown).
    public var leaderEpoch: Int32

    /// The key as UTF-8 text (invalid sequences replaced), nil for a null key.
    public var keyString: String? { key.map { String(buffer: $0) } }
    /// The value as UTF-8 text (invalid sequences replaced), nil for a null value.
    public var valueString: String? { value.map { String(buffer: $0) } }
}
