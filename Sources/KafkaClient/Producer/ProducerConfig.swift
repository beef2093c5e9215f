import TributaryCore

/// How many brokers must have a record before the producer counts it as delivered (`acks`).
public enum Acks: Int16, Sendable {
    /// Do not wait for the broker at all (acks=0); offsets are unknown.
    case none = 0
    /// The leader has appended it (acks=1).
    case leader = 1
    /// Every in-sync replica has it (acks=all, -1).
    case all = -1

    /// Parses `0`, `1`, `all` or `-1`.
    public init(name: String) throws {
        switch name.lowercased() {
        case "0", "none": self = .none
        case "1", "leader": self = .leader
        case "all", "-1": self = .all
        default: throw KafkaClientError.invalidArgument("acks must be 0, 1 or all, not '\(name)'")
        }
    }
}

/// Producer settings, named after the Java client's.
public struct ProducerConfig: Sendable {
    /// `acks`; default all.
    public var acks: Acks = .all
    /// `enable.idempotence`: producer id + per-partition sequences so retries cannot duplicate or
    /// reorder. Takes effect only with acks=all, as in the Java client.
    public var idempotent: Bool = true
    /// `compression.type`.
    public var compression: CompressionCodec = .none
    /// `linger.ms`: how long a batch waits for more records before it is sent.
    public var lingerMs: Int64 = 5
    /// `batch.size`: a batch is sent as soon as it holds this many bytes.
    public var batchBytes: Int = 1_000_000
    /// `buffer.memory`: bytes of unsent records; `produce` waits when they are exceeded.
    public var bufferBytes: Int = 64 * 1024 * 1024
    /// `max.request.size`: the largest record (and batch) the producer sends.
    public var maxRequestBytes: Int = 1_048_576
    /// `delivery.timeout.ms`: how long a record may take, retries included, before it fails.
    public var deliveryTimeoutMs: Int64 = 120_000
    /// How records without a partition are spread over partitions.
    public var partitioner: Partitioner = .murmur2
    /// `max.in.flight.requests.per.connection`: Produce requests per partition on the wire at once
    /// (1...5; the broker's idempotence keeps order for up to five).
    public var maxInFlight: Int = 5 {
        didSet { maxInFlight = min(max(maxInFlight, 1), 5) }
    }
    /// Whether a Metadata request may create a topic the producer writes to (when the broker allows it).
    public var allowAutoTopicCreation: Bool = true

    public init() {}

    /// Whether idempotence is in effect.
    var isIdempotent: Bool { idempotent && acks == .all }
}
