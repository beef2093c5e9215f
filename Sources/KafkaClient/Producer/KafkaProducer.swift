import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// An asynchronous Kafka producer: records are appended to per-partition batches under a lock (no
/// task or actor hop per record), and a sender on the connection's event loop ships batches when they
/// are full or have lingered, one in flight per partition so order holds across retries.
///
/// ```swift
/// let producer = try KafkaProducer(brokers: "127.0.0.1:9092")
/// try await producer.produce(ProducerRecord(topic: "events", key: "k", value: "v"))
/// try await producer.flush()
/// ```
public final class KafkaProducer: @unchecked Sendable {
    public let cluster: KafkaCluster
    public let config: ProducerConfig
    let ownsCluster: Bool
    let eventLoop: EventLoop
    let lock = NIOLock()
    /// Everything below is guarded by `lock`.
    var state = SenderState()

    /// A producer on an existing cluster connection set.
    public init(cluster: KafkaCluster, config: ProducerConfig = ProducerConfig()) {
        self.cluster = cluster
        self.config = config
        self.ownsCluster = false
        self.eventLoop = cluster.group.next()
    }

    /// A producer with its own connections to `brokers` (`host:port,...`).
    public init(brokers: String, clientId: String = "tributary-producer", config: ProducerConfig = ProducerConfig()) throws {
        var clientConfig = try ClientConfig(brokers: brokers)
        clientConfig.clientId = clientId
        self.cluster = KafkaCluster(config: clientConfig)
        self.config = config
        self.ownsCluster = true
        self.eventLoop = cluster.group.next()
    }

    // MARK: producing

    /// Appends a record to its partition's batch and returns once it is buffered. Waits while the
    /// buffer is full (back-pressure). The outcome goes to `onDelivery`; failures of records without a
    /// callback are thrown by the next `flush`.
    public func produce(_ record: ProducerRecord, onDelivery: DeliveryCallback? = nil) async throws {
        let size = record.estimatedSize
        guard size + RecordBatchHeader.size <= config.maxRequestBytes else {
            throw KafkaClientError.recordTooLarge(bytes: size, limitBytes: config.maxRequestBytes)
        }
        let partitionCount = try await partitionCount(of: record.topic)
        if let p = record.partition, p < 0 || Int(p) >= partitionCount {
            throw KafkaClientError.unknownPartition(topic: record.topic, partition: p)
        }
        let timestamp = record.timestampMs ?? Clock.nowMs()
        let keyed = record.partition ?? config.partitioner.partition(forKey: record.key, partitionCount: partitionCount)
        while true {
            let outcome: AppendOutcome = lock.withLock {
                if state.closed { return .closed }
                if state.bufferedBytes > 0 && state.bufferedBytes + size > config.bufferBytes { return .full }
                let partition = keyed ?? state.stickyPartition(for: record.topic, count: partitionCount)
                return append(record, to: TopicPartition(record.topic, partition), timestampMs: timestamp, size: size,
                              callback: onDelivery)
            }
            switch outcome {
            case .appended: return
            case .appendedNewBatch: wakeSender(); return
            case .appendedFullBatch: wakeSender(); return
            case .closed: throw KafkaClientError.closed("producer")
            case .full: await waitForSpace()
            }
        }
    }

    /// Sends one record and waits until the broker has it (or it failed).
    @discardableResult
    public func send(_ record: ProducerRecord) async throws -> RecordMetadata {
        let delivered = eventLoop.makePromise(of: RecordMetadata.self)
        do {
            try await produce(record) { result in delivered.completeWith(result.mapError { $0 as Error }) }
        } catch {
            delivered.fail(error)
        }
        return try await delivered.futureResult.get()
    }

    /// Sends everything buffered now and waits until it is delivered. Throws the first failure of a
    /// record without a callback since the previous flush.
    public func flush() async throws {
        await withCheckedContinuation { (k: CheckedContinuation<Void, Never>) in
            let done: Bool = lock.withLock {
                if state.pendingRecords == 0 { return true }
                state.flushWaiters.append(k)
                state.flushing += 1
                return false
            }
            if done { k.resume() } else { wakeSender() }
        }
        let error: KafkaClientError? = lock.withLock {
            defer { state.firstUnreportedError = nil }
            return state.firstUnreportedError
        }
        if let error { throw error }
    }

    /// Flushes, then stops accepting records and closes connections it owns.
    public func close() async throws {
        defer {
            lock.withLock { state.closed = true }
            if ownsCluster { cluster.close() }
        }
        try await flush()
    }

    // MARK: internals of appending

    enum AppendOutcome { case appended, appendedNewBatch, appendedFullBatch, full, closed }

    /// Appends under the lock.
    private func append(_ record: ProducerRecord, to tp: TopicPartition, timestampMs: Int64, size: Int,
                        callback: DeliveryCallback?) -> AppendOutcome {
        // Taken out of the dictionary while it changes, so that sealing a batch does not copy `ready`.
        var queue = state.queues.removeValue(forKey: tp) ?? PartitionQueue()
        let outcome = append(record, to: tp, queue: &queue, timestampMs: timestampMs, size: size, callback: callback, now: NIODeadline.now())
        state.queues[tp] = queue
        return outcome
    }

    /// Appends to `queue` (taken out of `state.queues`) under the lock: a new batch when there is
    /// none open or the open one has no room, sealed as soon as it is full.
    func append(_ record: ProducerRecord, to tp: TopicPartition, queue: inout PartitionQueue, timestampMs: Int64,
                size: Int, callback: DeliveryCallback?, now: NIODeadline) -> AppendOutcome {
        var outcome = AppendOutcome.appended
        if let open = queue.open, open.sizeBytes + size > config.batchBytes, open.recordCount > 0 {
            queue.sealOpen()
            state.partitionFilled(tp)
            outcome = .appendedFullBatch
        }
        if queue.open == nil {
            state.batchSerial += 1
            queue.open = ProducerBatch(tp: tp, serial: state.batchSerial, now: now, deliveryTimeoutMs: config.deliveryTimeoutMs)
            if outcome == .appended { outcome = .appendedNewBatch }
        }
        queue.open!.append(record, timestampMs: timestampMs, size: size, callback: callback)
        if queue.open!.sizeBytes >= config.batchBytes {
            queue.sealOpen()
            state.partitionFilled(tp)
            outcome = .appendedFullBatch
        }
        state.bufferedBytes += size
        state.pendingRecords += 1
        return outcome
    }

    func waitForSpace() async {
        await withCheckedContinuation { (k: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if state.closed || state.bufferedBytes == 0 || state.bufferedBytes <= config.bufferBytes / 2 { return true }
                state.spaceWaiters.append(k)
                return false
            }
            if resumeNow { k.resume() }
        }
    }

    /// The partition count of a topic, from the producer's cache (refreshed after
    /// `metadataMaxAgeMs`, so added partitions come into use) or the cluster's metadata.
    func partitionCount(of topic: String) async throws -> Int {
        let now = Clock.nowMs()
        if let (n, at) = lock.withLock({ state.partitionCounts[topic].map { ($0, state.partitionCountsAtMs[topic] ?? 0) } }),
           now - at < cluster.config.metadataMaxAgeMs {
            return n
        }
        let md = try await cluster.metadata(for: [topic], allowAutoCreate: config.allowAutoTopicCreation)
        guard let n = md.partitionCount(topic) else { throw KafkaClientError.unknownTopic(topic) }
        lock.withLock {
            state.partitionCounts[topic] = n
            state.partitionCountsAtMs[topic] = now
        }
        return n
    }
}
