import KafkaProtocol
import NIOCore

extension KafkaProducer {
    /// Asks the sender to run soon (at most one run is queued at a time).
    func wakeSender() {
        let schedule: Bool = lock.withLock {
            if state.wakeScheduled { return false }
            state.wakeScheduled = true
            return true
        }
        if schedule { eventLoop.execute { self.drain() } }
    }

    /// One sender pass, on the event loop: seals batches that are full, lingered long enough or being
    /// flushed, takes the waiting batches of every partition that has room on the wire, and sends them
    /// grouped by leader, one batch per partition per request (the protocol allows no more). Anything
    /// missing (metadata, a connection, the producer id) is fetched in the background, which wakes the
    /// sender again.
    func drain() {
        let now = NIODeadline.now()
        let linger = TimeAmount.milliseconds(config.lingerMs)
        let metadata = cluster.cachedMetadata
        /// Per leader, the requests to send: request i carries the i-th batch taken of each partition.
        var requests: [Int32: [[ProducerBatch]]] = [:]
        var needTopics: Set<String> = []
        var needNodes: Set<Int32> = []
        var needProducerId = false
        var timer: NIODeadline?
        var connections: [Int32: BrokerConnection] = [:]

        lock.withLock {
            state.wakeScheduled = false
            let idReady: Bool
            switch state.producerIdPhase {
            case .ready, .disabled: idReady = true
            case .none:
                idReady = !config.isIdempotent
                if config.isIdempotent {
                    state.producerIdPhase = .initializing
                    needProducerId = true
                } else {
                    state.producerIdPhase = .disabled
                }
            case .initializing: idReady = false
            }
            let sealAll = state.flushing > 0 || state.closed
            for tp in Array(state.queues.keys) {
                guard var q = state.queues[tp] else { continue }
                if let open = q.open {
                    let due = open.createdAt + linger
                    if sealAll || now >= due {
                        q.sealOpen()
                        state.partitionFilled(tp)
                    } else {
                        timer = min(timer ?? due, due)
                    }
                }
                if idReady, let head = q.ready.first {
                    if head.retryNotBefore > now {
                        timer = min(timer ?? head.retryNotBefore, head.retryNotBefore)
                    } else if let leader = metadata.leader(of: tp) {
                        if let c = state.connections[leader], c.isActive {
                            // Without the idempotence it asked for (the broker refused a producer id),
                            // only one request at a time keeps the partition in order across retries.
                            let maxInFlight = config.isIdempotent && state.producerIdPhase != .ready ? 1 : config.maxInFlight
                            let current = state.producerIdPhase == .ready ? state.producerId : -1
                            var slots = q.sendSlots(maxInFlight: maxInFlight, producerId: current)
                            var taken = 0
                            while slots > 0, let batch = q.ready.first, batch.retryNotBefore <= now {
                                q.ready.removeFirst()
                                q.inFlight.append(batch)
                                if state.producerIdPhase == .ready && batch.baseSequence < 0 {
                                    batch.baseSequence = state.takeSequences(for: tp, count: batch.recordCount)
                                    batch.producerId = state.producerId
                                    batch.producerEpoch = state.producerEpoch
                                }
                                if requests[leader, default: []].count <= taken { requests[leader, default: []].append([]) }
                                requests[leader, default: []][taken].append(batch)
                                taken += 1
                                slots = q.sendSlots(maxInFlight: maxInFlight, producerId: current)
                            }
                            if taken > 0 { connections[leader] = c }
                        } else {
                            state.connections[leader] = nil
                            needNodes.insert(leader)
                        }
                    } else {
                        needTopics.insert(tp.topic)
                    }
                }
                if q.isIdle {
                    state.queues[tp] = nil
                } else {
                    state.queues[tp] = q
                }
            }
            if let t = timer {
                if let current = state.timerDeadline, current <= t {
                    timer = nil
                } else {
                    state.timerDeadline = t
                }
            }
            needNodes.subtract(state.connecting)
            state.connecting.formUnion(needNodes)
            if state.metadataRefreshing { needTopics = [] } else if !needTopics.isEmpty { state.metadataRefreshing = true }
        }

        if let t = timer {
            eventLoop.scheduleTask(deadline: t) {
                self.lock.withLock { if self.state.timerDeadline == t { self.state.timerDeadline = nil } }
                self.drain()
            }
        }
        if needProducerId { Task { await self.initProducerId() } }
        for node in needNodes { Task { await self.connect(node) } }
        if !needTopics.isEmpty { Task { await self.refresh(Array(needTopics)) } }
        for (leader, batchesPerRequest) in requests {
            guard let c = connections[leader] else { continue }
            for batches in batchesPerRequest { send(batches, over: c) }
        }
    }

    private func connect(_ node: Int32) async {
        let c = try? await cluster.connection(toNode: node)
        lock.withLock {
            state.connecting.remove(node)
            if let c { state.connections[node] = c }
        }
        if c == nil {
            // The broker may have moved; metadata tells, and a short pause keeps this from spinning.
            try? await Task.sleep(nanoseconds: UInt64(cluster.config.retryBackoffMs) * 1_000_000)
            cluster.invalidateMetadata()
            _ = try? await cluster.refreshMetadata(topics: lock.withLock { Array(state.partitionCounts.keys) })
        }
        wakeSender()
    }

    private func refresh(_ topics: [String]) async {
        do {
            _ = try await cluster.refreshMetadata(topics: topics)
        } catch {
            try? await Task.sleep(nanoseconds: UInt64(cluster.config.retryBackoffMs) * 1_000_000)
        }
        lock.withLock { state.metadataRefreshing = false }
        // Batches that never find a leader fail at their delivery deadline.
        expireStuckBatches()
        wakeSender()
    }

    /// InitProducerId for an idempotent producer; a broker without it leaves idempotence off.
    private func initProducerId() async {
        do {
            let response = try await cluster.withRetry("InitProducerId") { () -> InitProducerIdResponse in
                let c = try await cluster.anyConnection()
                var request = InitProducerIdRequest()
                request.transactionalId = nil
                request.transactionTimeoutMs = 60_000
                let r = try await c.request(request)
                if let e = KafkaClientError.check(r.errorCode, "InitProducerId") { throw e }
                return r
            }
            lock.withLock {
                state.producerId = response.producerId
                state.producerEpoch = response.producerEpoch
                state.producerIdPhase = .ready
            }
        } catch {
            cluster.logger.warning("idempotence is off: InitProducerId failed: \(error)")
            lock.withLock { state.producerIdPhase = .disabled }
        }
        wakeSender()
    }

    /// Sends one Produce request holding one batch per partition.
    private func send(_ batches: [ProducerBatch], over connection: BrokerConnection) {
        var request = ProduceRequest()
        request.acks = config.acks.rawValue
        request.timeoutMs = Int32(clamping: cluster.config.requestTimeoutMs)
        var byTopic: [String: Int] = [:]
        var sendable: [ProducerBatch] = []
        for batch in batches {
            do {
                let bytes = try batch.encode(compression: Int(config.compression.rawValue))
                var part = ProduceRequest.PartitionProduceData()
                part.index = batch.tp.partition
                part.records = bytes
                if let i = byTopic[batch.tp.topic] {
                    request.topicData[i].partitionData.append(part)
                } else {
                    var t = ProduceRequest.TopicProduceData()
                    t.name = batch.tp.topic
                    t.partitionData = [part]
                    byTopic[batch.tp.topic] = request.topicData.count
                    request.topicData.append(t)
                }
                sendable.append(batch)
            } catch {
                finish(batch, .failure(.invalidArgument("cannot encode batch for \(batch.tp): \(error)")))
            }
        }
        guard !sendable.isEmpty else { wakeSender(); return }
        let version: Int16
        let frame: ByteBuffer
        do {
            version = try connection.version(for: .produce)
            frame = try KafkaFrame.encodeRequest(request, version: version, correlationId: 0, clientId: cluster.config.clientId)
        } catch {
            let e = error as? KafkaClientError ?? .invalidArgument("cannot encode Produce request: \(error)")
            for b in sendable { finish(b, .failure(e)) }
            wakeSender()
            return
        }
        let expectsResponse = config.acks != .none
        connection.sendFrame(frame, api: .produce, expectsResponse: expectsResponse).whenComplete { result in
            switch result {
            case let .failure(error):
                let e = error as? KafkaClientError ?? .connectionFailed(broker: "\(connection.address)", reason: "\(error)")
                for b in sendable { self.retryOrFail(b, e) }
            case let .success(reply):
                if !expectsResponse {
                    for b in sendable { self.finish(b, .success((-1, -1))) }
                } else {
                    self.handle(reply, version: version, batches: sendable, connection: connection)
                }
            }
            self.wakeSender()
        }
    }

    private func handle(_ reply: ByteBuffer, version: Int16, batches: [ProducerBatch], connection: BrokerConnection) {
        let response: ProduceResponse
        do {
            response = try connection.decode(ProduceResponse.self, version: version, from: reply)
        } catch {
            for b in batches { finish(b, .failure(error as? KafkaClientError ?? .protocolViolation(broker: "\(connection.address)", detail: "\(error)"))) }
            return
        }
        var results: [TopicPartition: ProduceResponse.PartitionProduceResponse] = [:]
        for t in response.responses {
            for p in t.partitionResponses { results[TopicPartition(t.name, p.index)] = p }
        }
        for batch in batches {
            guard let r = results[batch.tp] else {
                finish(batch, .failure(.protocolViolation(broker: "\(connection.address)", detail: "no Produce answer for \(batch.tp)")))
                continue
            }
            let code = ErrorCode(rawValue: r.errorCode)
            if r.errorCode == 0 || code == .duplicateSequenceNumber {
                finish(batch, .success((r.baseOffset, r.logAppendTimeMs)))
                continue
            }
            let message = r.errorMessage ?? r.recordErrors.first?.batchIndexErrorMessage
            let error = KafkaClientError.check(r.errorCode, "producing to \(batch.tp)", message: message)
                ?? .unknownErrorCode(r.errorCode, context: "producing to \(batch.tp)")
            if isStale(batch) {
                // Sent under a producer id given up since (after a gap in the sequences): it is
                // numbered again under the next one.
                requeue(batch, renumber: true)
                continue
            }
            if code == .outOfOrderSequenceNumber,
               lock.withLock({ state.queues[batch.tp]?.hasEarlierBatch(than: batch) ?? false }) {
                // An earlier batch of this partition failed and will be resent first; this one follows it.
                requeue(batch)
                continue
            }
            retryOrFail(batch, error)
        }
    }

    /// Puts a batch back at the head of its queue after a retriable error (until its delivery deadline),
    /// or fails it.
    private func retryOrFail(_ batch: ProducerBatch, _ error: KafkaClientError) {
        let now = NIODeadline.now()
        guard error.isRetriable, now < batch.deliveryDeadline else {
            // A numbered batch that fails for good leaves a gap in its partition's sequences; `finish`
            // then gives up the producer id.
            finish(batch, .failure(error))
            return
        }
        batch.attempts += 1
        batch.retryNotBefore = now + .milliseconds(cluster.config.backoffMs(attempt: batch.attempts))
        if case .broker = error { cluster.invalidateMetadata() }
        // Numbered under a producer id given up since, it could only be refused: number it again now.
        requeue(batch, renumber: isStale(batch))
        lock.withLock {
            if case .connectionClosed = error { state.connections = state.connections.filter { $0.value.isActive } }
            if case .requestTimedOut = error { state.connections = state.connections.filter { $0.value.isActive } }
        }
    }

    /// Puts a batch back among its partition's waiting batches, in the order they were made;
    /// `renumber` drops its sequence and bytes so that it is built again under the current producer id.
    private func requeue(_ batch: ProducerBatch, renumber: Bool = false) {
        lock.withLock {
            if renumber { batch.unnumber() }
            var q = state.queues[batch.tp] ?? PartitionQueue()
            q.requeue(batch)
            state.queues[batch.tp] = q
        }
    }

    /// Whether `batch` was built under a producer id the producer has given up since.
    private func isStale(_ batch: ProducerBatch) -> Bool {
        lock.withLock {
            batch.producerId >= 0
                && (state.producerIdPhase != .ready || state.producerId != batch.producerId)
        }
    }

    /// Once the sequences of producer id `pid` have a gap (a numbered batch failed for good), no later
    /// batch under it can be appended: start over with a new producer id (once per id), numbering
    /// every waiting batch again. Batches on the wire come back stale and are renumbered then.
    /// Called with the lock held.
    func abandonProducerId(_ pid: Int64) {
        guard state.producerIdPhase == .ready, state.producerId == pid else { return }
        state.producerIdPhase = .none
        state.nextSequence = [:]
        for tp in Array(state.queues.keys) {
            for b in state.queues[tp]?.ready ?? [] { b.unnumber() }
        }
    }

    /// Fails batches that waited past their delivery deadline without being sent.
    private func expireStuckBatches() {
        let now = NIODeadline.now()
        var expired: [ProducerBatch] = []
        lock.withLock {
            for tp in Array(state.queues.keys) {
                guard var q = state.queues[tp] else { continue }
                while let b = q.ready.first, b.deliveryDeadline <= now {
                    expired.append(q.ready.removeFirst())
                }
                state.queues[tp] = q
            }
        }
        for b in expired {
            finish(b, .failure(.broker(.requestTimedOut, context: "delivering to \(b.tp)", message: "no leader within delivery.timeout.ms")))
        }
    }

    /// Reports a batch's outcome, releases its buffer space and wakes whoever waits for that.
    func finish(_ batch: ProducerBatch, _ result: Result<(Int64, Int64), KafkaClientError>) {
        var flushWaiters: [CheckedContinuation<Void, Never>] = []
        var spaceWaiters: [CheckedContinuation<Void, Never>] = []
        lock.withLock {
            state.queues[batch.tp]?.landed(batch)
            if case .failure = result, batch.baseSequence >= 0, batch.producerId >= 0 {
                abandonProducerId(batch.producerId)
            }
            state.bufferedBytes -= batch.sizeBytes - RecordBatchHeader.size
            state.pendingRecords -= Int(batch.recordCount)
            if case let .failure(e) = result, batch.callbacks.count < Int(batch.recordCount), state.firstUnreportedError == nil {
                state.firstUnreportedError = e
            }
            if state.pendingRecords == 0 {
                flushWaiters = state.flushWaiters
                state.flushWaiters = []
                state.flushing = 0
            }
            if state.bufferedBytes <= config.bufferBytes / 2 {
                spaceWaiters = state.spaceWaiters
                state.spaceWaiters = []
            }
        }
        batch.complete(result.map { (baseOffset: $0.0, logAppendTimeMs: $0.1) })
        for k in spaceWaiters { k.resume() }
        for k in flushWaiters { k.resume() }
    }
}
