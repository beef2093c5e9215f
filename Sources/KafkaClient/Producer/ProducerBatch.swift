import KafkaProtocol
import NIOCore

/// Called once per record when it is delivered or has failed for good.
public typealias DeliveryCallback = @Sendable (Result<RecordMetadata, KafkaClientError>) -> Void

/// Records for one partition on their way to the broker: appended while open, then built (with the
/// producer id and sequence) into RecordBatch v2 bytes when first sent, and resent unchanged on retry.
final class ProducerBatch {
    let tp: TopicPartition
    var builder: RecordBatchBuilder
    /// Callbacks of the records that asked for one, with the record's index in the batch.
    var callbacks: [(index: Int32, timestampMs: Int64, callback: DeliveryCallback)] = []
    var recordCount: Int32 = 0
    var sizeBytes: Int = RecordBatchHeader.size
    let createdAt: NIODeadline
    /// The encoded batch, once sent the first time.
    var bytes: ByteBuffer?
    var attempts = 0
    /// The sequence of the first record, assigned when the batch is first drained (idempotence).
    var baseSequence: Int32 = -1
    var retryNotBefore: NIODeadline = .uptimeNanoseconds(0)
    let deliveryDeadline: NIODeadline

    /// The batch's place in the order the producer made batches (per producer, increasing).
    let serial: UInt64
    /// The producer id and epoch the batch is numbered under (-1: not numbered, or no idempotence).
    /// Set together with `baseSequence`, under the producer's lock, so that the bytes built later carry
    /// the identity the sequence belongs to even if the producer has moved on to another id meanwhile.
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1

    init(tp: TopicPartition, serial: UInt64, now: NIODeadline, deliveryTimeoutMs: Int64) {
        self.tp = tp
        self.serial = serial
        self.builder = RecordBatchBuilder()
        self.createdAt = now
        self.deliveryDeadline = now + .milliseconds(deliveryTimeoutMs)
    }

    func append(_ record: ProducerRecord, timestampMs: Int64, size: Int, callback: DeliveryCallback?) {
        builder.append(key: record.key, value: record.value, headers: record.headers, timestamp: timestampMs)
        if let callback { callbacks.append((recordCount, timestampMs, callback)) }
        recordCount += 1
        sizeBytes += size
    }

    /// Forgets the numbering and the bytes, so that the batch is numbered and built again under the
    /// producer's current id.
    func unnumber() {
        bytes = nil
        baseSequence = -1
        producerId = -1
        producerEpoch = -1
    }

    /// Builds the bytes once, stamping the idempotence fields.
    func encode(compression: Int) throws -> ByteBuffer {
        if let bytes { return bytes }
        builder.header.producerId = producerId
        builder.header.producerEpoch = producerEpoch
        builder.header.baseSequence = baseSequence
        let built = try builder.build(compression: compression, compress: compression == 0 ? nil : RecordCodecs.compress)
        bytes = built
        return built
    }

    /// Reports the outcome to every record's callback.
    func complete(_ result: Result<(baseOffset: Int64, logAppendTimeMs: Int64), KafkaClientError>) {
        for (index, timestampMs, callback) in callbacks {
            switch result {
            case let .success((base, appendTime)):
                callback(.success(RecordMetadata(
                    topic: tp.topic, partition: tp.partition, offset: base >= 0 ? base + Int64(index) : -1,
                    timestampMs: appendTime >= 0 ? appendTime : timestampMs)))
            case let .failure(error):
                callback(.failure(error))
            }
        }
        callbacks = []
    }
}
