import Logging

/// How the client reaches a cluster and how patiently it talks to it (Kafka's common client settings).
public struct ClientConfig: Sendable {
    /// Bootstrap brokers, `host:port` (`bootstrap.servers`).
    public var bootstrapServers: [BrokerAddress]
    /// Sent in every request header (`client.id`).
    public var clientId: String = "tributary"
    /// How long one request may wait for its answer (`request.timeout.ms`).
    public var requestTimeoutMs: Int64 = 30_000
    /// How long opening a TCP connection may take (`socket.connection.setup.timeout.ms`).
    public var connectTimeoutMs: Int64 = 10_000
    /// Attempts of a retriable operation before giving up.
    public var retriesMax: Int = 8
    /// First backoff between attempts (`retry.backoff.ms`); doubles up to `retryBackoffMaxMs`.
    public var retryBackoffMs: Int64 = 100
    /// Largest backoff between attempts (`retry.backoff.max.ms`).
    public var retryBackoffMaxMs: Int64 = 1_000
    /// Metadata older than this is refreshed before use (`metadata.max.age.ms`).
    public var metadataMaxAgeMs: Int64 = 300_000
    /// The largest buffer one socket read fills. A response up to this size is read in one piece, once
    /// it has all arrived, and handed on without being copied together from smaller reads; a longer
    /// one comes in reads of this size. A record returned by `poll` keeps the buffer it was read into
    /// alive, so this also bounds what one record can pin.
    public var readBufferBytesMax: Int = 4 * 1024 * 1024
    /// Where the client logs connection events.
    public var logger: Logger = Logger(label: "tributary.client")

    /// A configuration for the given bootstrap brokers.
    public init(bootstrapServers: [BrokerAddress]) {
        self.bootstrapServers = bootstrapServers
    }

    /// A configuration from a comma-separated `host:port` list, as `--brokers` takes it.
    public init(brokers: String) throws {
        self.init(bootstrapServers: try BrokerAddress.parseList(brokers))
    }

    /// The backoff before attempt `attempt` (1 = first retry), with full jitter so that many clients
    /// retrying together spread out.
    func backoffMs(attempt: Int) -> Int64 {
        let exp = min(retryBackoffMaxMs, retryBackoffMs << Int64(min(attempt - 1, 20)))
        return max(1, Int64.random(in: (exp / 2)...max(exp / 2, exp)))
    }
}

/// Limits on what a broker may make the client allocate.
public enum ClientLimits {
    /// The largest response frame accepted; a fetch asks for at most `fetchMaxBytes` plus overhead.
    public static let responseFrameBytesMax = 256 * 1024 * 1024
    /// The largest decompressed size of one record batch.
    public static let decompressedBatchBytesMax = 256 * 1024 * 1024
    /// How much of a large response is read ahead of the rest: enough for a Fetch answer's headers and
    /// its first batch header, so that the next Fetch can go out while the records are still read.
    static let responseHeadBytes = 512
}
