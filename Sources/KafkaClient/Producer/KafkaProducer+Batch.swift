import KafkaProtocol
import NIOCore

extension KafkaProducer {
    /// Appends `records` in order, as calling `produce(_:)` for each would, at a fraction of the cost
    /// per record: the partition count of each topic is looked up once per call, the clock is read
    /// once per call, and the records are appended under one lock for as long as the buffer has room
    /// (consecutive records of one partition go into its open batch without a dictionary lookup each).
    ///
    /// Every record is checked (size, partition) before any is buffered, so a bad record fails the
    /// call with nothing of it sent. Waits while the buffer is full (back-pressure). The records have no
    /// delivery callback: a failure to deliver any of them is thrown by the next `flush`.
    public func produce(contentsOf records: [ProducerRecord]) async throws {
        if records.isEmpty { return }
        // Per record: its size, and its partition when the record or its key decides it (nil: the
        // sticky partition of its topic, chosen at append time since it moves as batches fill).
        var sizes: [Int] = []
        var chosen: [Int32?] = []
        sizes.reserveCapacity(records.count)
        chosen.reserveCapacity(records.count)
        var counts: [String: Int] = [:]
        var lastTopic: String?
        var lastCount = 0
        for record in records {
            let size = record.estimatedSize
            guard size + RecordBatchHeader.size <= config.maxRequestBytes else {
                throw KafkaClientError.recordTooLarge(bytes: size, limitBytes: config.maxRequestBytes)
            }
            if record.topic != lastTopic {
                if let n = counts[record.topic] {
                    lastCount = n
                } else {
                    lastCount = try await partitionCount(of: record.topic)
                    counts[record.topic] = lastCount
                }
                lastTopic = record.topic
            }
            if let p = record.partition, p < 0 || Int(p) >= lastCount {
                throw KafkaClientError.unknownPartition(topic: record.topic, partition: p)
            }
            sizes.append(size)
            chosen.append(record.partition ?? config.partitioner.partition(forKey: record.key, partitionCount: lastCount))
        }
        let timestampMs = Clock.nowMs()
        var next = 0
        while next < records.count {
            let (outcome, wake): (AppendOutcome, Bool) = lock.withLock {
                if state.closed { return (.closed, false) }
                let now = NIODeadline.now()
                var wake = false
                while next < records.count {
                    let first = records[next]
                    if state.bufferedBytes > 0 && state.bufferedBytes + sizes[next] > config.bufferBytes { return (.full, wake) }
                    let tp = TopicPartition(first.topic, chosen[next] ?? state.stickyPartition(
                        for: first.topic, count: counts[first.topic] ?? 1))
                    // Removed from the dictionary while it changes, so that sealing a batch does not copy
                    // the queue's arrays; put back when the run of records for this partition ends.
                    var queue = state.queues.removeValue(forKey: tp) ?? PartitionQueue()
                    repeat {
                        let record = records[next]
                        switch append(record, to: tp, queue: &queue, timestampMs: record.timestampMs ?? timestampMs,
                                      size: sizes[next], callback: nil, now: now) {
                        case .appendedNewBatch, .appendedFullBatch: wake = true
                        default: break
                        }
                        next += 1
                    } while next < records.count && sameTarget(records[next], chosen[next], as: tp)
                        && !(state.bufferedBytes > 0 && state.bufferedBytes + sizes[next] > config.bufferBytes)
                    state.queues[tp] = queue
                }
                return (.appended, wake)
            }
            if wake { wakeSender() }
            switch outcome {
            case .closed: throw KafkaClientError.closed("producer")
            case .full: await waitForSpace()
            default: break
            }
        }
    }

    /// Whether the next record goes to `tp` as well, without leaving the lock. Called with the lock
    /// held; a keyless record follows the sticky partition, which moves when a batch is sealed.
    private func sameTarget(_ record: ProducerRecord, _ chosen: Int32?, as tp: TopicPartition) -> Bool {
        let partition = chosen ?? state.sticky[record.topic]
        return partition == tp.partition && record.topic == tp.topic
    }
}
