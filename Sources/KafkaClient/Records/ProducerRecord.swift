import KafkaProtocol
import NIOCore

/// A record to send: topic, optional partition (else the partitioner picks), key, value, headers and
/// a timestamp (nil = now).
public struct ProducerRecord: Sendable {
    public var topic: String
    public var partition: Int32?
    public var key: ByteBuffer?
    public var value: ByteBuffer?
    public var headers: [RecordHeader]
    public var timestampMs: Int64?

    public init(topic: String, partition: Int32? = nil, key: ByteBuffer? = nil, value: ByteBuffer?,
                headers: [RecordHeader] = [], timestampMs: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// A record with string key and value (UTF-8).
    public init(topic: String, key: String?, value: String?, headers: [(String, String)] = [], partition: Int32? = nil) {
        self.init(topic: topic, partition: partition, key: key.map { ByteBuffer(string: $0) },
                  value: value.map { ByteBuffer(string: $0) },
                  headers: headers.map { RecordHeader(key: $0.0, value: ByteBuffer(string: $0.1)) })
    }

    /// Bytes this record takes in a batch, roughly (used for batch sizing and buffer accounting).
    var estimatedSize: Int {
        var n = 24 + (key?.readableBytes ?? 0) + (value?.readableBytes ?? 0)
        for h in headers { n += 8 + h.key.utf8.count + (h.value?.readableBytes ?? 0) }
        return n
    }
}

/// Where a record landed.
public struct RecordMetadata: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// The record's offset; -1 with acks=0, where the broker does not answer.
    public var offset: Int64
    /// The broker's append time when the topic uses LogAppendTime, else the record's own timestamp.
    public var timestampMs: Int64
}
