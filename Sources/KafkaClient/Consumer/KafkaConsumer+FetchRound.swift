import KafkaProtocol
import NIOCore

/// A fetch round: one Fetch request per leader of the partitions asked for, and what each partition got.
extension KafkaConsumer {
    /// The outcomes of one round, in partition order; `leaderless` when some partition had no known leader.
    typealias FetchRound = (results: [FetchOutcome], leaderless: Bool)

    struct FetchOutcome {
        var tp: TopicPartition
        var fetchOffset: Int64
        var highWatermark: Int64
        var result: Result<FetchedPartition, KafkaClientError>
    }

    /// One partition's part of a Fetch answer, not decoded yet.
    struct FetchedPartition {
        var records: ByteBuffer?
        var abortedTransactions: [FetchResponse.AbortedTransaction]?
        /// The position after the last complete batch (nil: no complete batch).
        var nextOffset: Int64?
    }

    /// The requests of a round whose leaders are known and connected.
    struct FetchPlan {
        var requests: [(leader: Int32, connection: BrokerConnection, items: [(TopicPartition, Int64)])]
        /// Where the round's answers come together (the first leader's event loop).
        var eventLoop: EventLoop { requests[0].connection.eventLoop }
    }

    /// A round of `positions` that can start without waiting: every partition's leader is in fresh
    /// metadata and its connection is open. nil when the round must first refresh metadata, find a
    /// leader or connect (then `fetchRound` does that).
    func planFetchRound(_ positions: [(TopicPartition, Int64)]) -> FetchPlan? {
        guard !positions.isEmpty, let md = cluster.freshCachedMetadata(for: positions.lazy.map(\.0.topic)) else { return nil }
        var byLeader: [Int32: [(TopicPartition, Int64)]] = [:]
        for item in positions {
            guard let leader = md.leader(of: item.0) else { return nil }
            byLeader[leader, default: []].append(item)
        }
        var plan = FetchPlan(requests: [])
        for (leader, items) in byLeader.sorted(by: { $0.key < $1.key }) {
            guard let c = cluster.readyConnection(toNode: leader) else { return nil }
            plan.requests.append((leader, c, items))
        }
        return plan
    }

    /// Writes the plan's requests now; the answers are decoded on the connections' event loops and
    /// the round completes on the plan's event loop. It never fails: errors are per-partition outcomes.
    ///
    /// When the round is one Fetch for one partition, `earlyNext` is called on the event loop with the
    /// position after the answer as soon as the answer's first bytes show it (`FetchAnswerHead`), before
    /// the records have been read.
    func send(_ plan: FetchPlan, earlyNext: (([(TopicPartition, Int64)]) -> Void)? = nil) -> EventLoopFuture<FetchRound> {
        var onHead: ((Int16, ByteBuffer) -> Void)?
        if let earlyNext, plan.requests.count == 1, plan.requests[0].items.count == 1 {
            let (tp, offset) = plan.requests[0].items[0]
            onHead = { version, head in
                if let next = FetchAnswerHead.nextOffset(head: head, version: version, topic: tp.topic,
                                                         partition: tp.partition, fetchOffset: offset) {
                    earlyNext([(tp, next)])
                }
            }
        }
        let answers = plan.requests.map { r in
            r.connection.send(fetchRequest(r.items), timeoutMs: fetchTimeoutMs, onHead: onHead)
                .map { self.outcomes(of: $0, leader: r.leader, r.items) }
                .recover { self.failAll(r.items, self.clientError($0, leader: r.leader)) }
        }
        if answers.count == 1 {
            return answers[0].map { ($0, false) }
        }
        return EventLoopFuture.whenAllSucceed(answers, on: plan.eventLoop).map { all in
            (all.flatMap { $0 }.sorted { $0.tp < $1.tp }, false)
        }
    }

    /// One Fetch per leader, concurrently, looking up metadata and connecting where needed.
    func fetchRound(_ fetchable: [(TopicPartition, Int64)]) async throws -> FetchRound {
        if let plan = planFetchRound(fetchable) { return try await send(plan).get() }
        let md = try await cluster.metadata(for: Array(Set(fetchable.map(\.0.topic))))
        var byLeader: [Int32: [(TopicPartition, Int64)]] = [:]
        var leaderless = false
        for item in fetchable {
            if let leader = md.leader(of: item.0) { byLeader[leader, default: []].append(item) } else { leaderless = true }
        }
        var results: [FetchOutcome] = []
        await withTaskGroup(of: [FetchOutcome].self) { group in
            for (leader, items) in byLeader {
                group.addTask { await self.fetch(from: leader, items) }
            }
            for await r in group { results += r }
        }
        results.sort { $0.tp < $1.tp }
        return (results, leaderless)
    }

    /// One Fetch request to one leader, connecting first when needed; errors become per-partition outcomes.
    private func fetch(from leader: Int32, _ items: [(TopicPartition, Int64)]) async -> [FetchOutcome] {
        do {
            let c = try await cluster.connection(toNode: leader)
            let response = try await c.send(fetchRequest(items), timeoutMs: fetchTimeoutMs).get()
            return outcomes(of: response, leader: leader, items)
        } catch {
            return failAll(items, clientError(error, leader: leader))
        }
    }

    private var fetchTimeoutMs: Int64 { cluster.config.requestTimeoutMs + Int64(config.fetchMaxWaitMs) }

    private func fetchRequest(_ items: [(TopicPartition, Int64)]) -> FetchRequest {
        var request = FetchRequest()
        request.replicaId = -1
        request.maxWaitMs = config.fetchMaxWaitMs
        request.minBytes = config.fetchMinBytes
        request.maxBytes = config.fetchMaxBytes
        request.isolationLevel = config.isolationLevel.rawValue
        request.sessionId = 0
        request.sessionEpoch = -1
        var topicIndex: [String: Int] = [:]
        for (tp, offset) in items {
            var p = FetchRequest.FetchPartition()
            p.partition = tp.partition
            p.fetchOffset = offset
            p.partitionMaxBytes = config.maxPartitionFetchBytes
            if let i = topicIndex[tp.topic] {
                request.topics[i].partitions.append(p)
            } else {
                var t = FetchRequest.FetchTopic()
                t.topic = tp.topic
                t.partitions = [p]
                topicIndex[tp.topic] = request.topics.count
                request.topics.append(t)
            }
        }
        return request
    }

    private func clientError(_ error: Error, leader: Int32) -> KafkaClientError {
        error as? KafkaClientError ?? .connectionFailed(broker: "node \(leader)", reason: "\(error)")
    }

    private func failAll(_ items: [(TopicPartition, Int64)], _ e: KafkaClientError) -> [FetchOutcome] {
        items.map { FetchOutcome(tp: $0.0, fetchOffset: $0.1, highWatermark: -1, result: .failure(e)) }
    }

    /// Each asked-for partition's part of a Fetch answer, with the position after its last complete
    /// batch read from the batch headers alone.
    private func outcomes(of response: FetchResponse, leader: Int32, _ items: [(TopicPartition, Int64)]) -> [FetchOutcome] {
        if let e = KafkaClientError.check(response.errorCode, "fetching from node \(leader)") { return failAll(items, e) }
        let wanted = Dictionary(items.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        var out: [FetchOutcome] = []
        for t in response.responses {
            for p in t.partitions {
                let tp = TopicPartition(t.topic, p.partitionIndex)
                guard let offset = wanted[tp] else { continue }
                if let e = KafkaClientError.check(p.errorCode, "fetching \(tp)") {
                    out.append(FetchOutcome(tp: tp, fetchOffset: offset, highWatermark: p.highWatermark, result: .failure(e)))
                    continue
                }
                let decoder = FetchedPartitionDecoder(topic: tp.topic, partition: tp.partition,
                                                      isolation: config.isolationLevel, checkCRCs: config.checkCRCs)
                do {
                    let next = try p.records.flatMap { try decoder.nextOffset(in: $0, fetchOffset: offset) }
                    let fetched = FetchedPartition(records: p.records, abortedTransactions: p.abortedTransactions,
                                                   nextOffset: next)
                    out.append(FetchOutcome(tp: tp, fetchOffset: offset, highWatermark: p.highWatermark, result: .success(fetched)))
                } catch {
                    out.append(FetchOutcome(tp: tp, fetchOffset: offset, highWatermark: p.highWatermark,
                                            result: .failure(error as? KafkaClientError ?? .corruptRecords(
                                                topic: tp.topic, partition: tp.partition, offset: offset, detail: "\(error)"))))
                }
            }
        }
        return out
    }
}
