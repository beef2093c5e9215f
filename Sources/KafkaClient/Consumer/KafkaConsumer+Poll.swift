import KafkaProtocol
import NIOCore

extension KafkaConsumer {
    var isClosed: Bool { state.withLockedValue { $0.closed } }

    /// One round: completes a pending rebalance, looks up unknown positions, commits when the
    /// auto-commit interval has passed, then fetches once from every leader (waiting up to
    /// `fetchMaxWaitMs` for data). Returns the records in partition order; may return none.
    public func poll() async throws -> [ConsumerRecord] {
        if isClosed { throw KafkaClientError.closed("consumer") }
        try await completeRebalance()
        try await resolvePositions()
        maybeAutoCommit()
        var records: [ConsumerRecord] = []
        try await fetchOnce { outcome, fetched, decoder in
            var decoded = FetchedPartitionDecoder.Output()
            if let bytes = fetched.records {
                try decoder.decode(records: bytes, fetchOffset: outcome.fetchOffset,
                                   abortedTransactions: fetched.abortedTransactions, into: &decoded)
            }
            if records.isEmpty { records = decoded.records } else { records += decoded.records }
            return decoded.records.count
        }
        return records
    }

    /// As `poll`, but the records stay in the fetched bytes: one `FetchedRecords` per partition that
    /// moved, whose `forEach` hands out views without building a `ConsumerRecord` each. CRCs are
    /// checked here (a corrupt batch throws and its partition's position stays), records are parsed
    /// by `forEach`.
    public func pollFetched() async throws -> [FetchedRecords] {
        if isClosed { throw KafkaClientError.closed("consumer") }
        try await completeRebalance()
        try await resolvePositions()
        maybeAutoCommit()
        var out: [FetchedRecords] = []
        try await fetchOnce { outcome, fetched, decoder in
            guard let bytes = fetched.records, let next = fetched.nextOffset else { return 0 }
            var batches = 0
            do {
                _ = try decoder.forEachDataBatch(in: bytes, fetchOffset: outcome.fetchOffset,
                                                 abortedTransactions: fetched.abortedTransactions,
                                                 checkCRCs: decoder.checkCRCs) { _ in batches += 1; return true }
            } catch let e as KafkaClientError {
                throw e
            } catch {
                throw KafkaClientError.corruptRecords(topic: outcome.tp.topic, partition: outcome.tp.partition,
                                                      offset: outcome.fetchOffset, detail: "\(error)")
            }
            if batches == 0 { return 0 }
            out.append(FetchedRecords(topic: outcome.tp.topic, partition: outcome.tp.partition,
                                      fetchOffset: outcome.fetchOffset, nextOffset: next, bytes: bytes,
                                      abortedTransactions: fetched.abortedTransactions, decoder: decoder))
            return batches
        }
        return out
    }

    // MARK: group

    private func completeRebalance() async throws {
        guard let membership, let topics = state.withLockedValue({ $0.subscription }), membership.needsRejoin else { return }
        let owned = assignment
        let cooperative = membership.isCooperative
        if !cooperative {
            // Eager protocols: give everything up before joining.
            if config.enableAutoCommit && !owned.isEmpty { try? await commit() }
            state.withLockedValue { $0.setAssignment([]) }
            if !owned.isEmpty { config.rebalanceListener?(.revoked(owned)) }
        }
        let result = try await membership.join(topics: topics, owned: cooperative ? owned : [])
        let assigned = Set(result.partitions)
        if result.cooperative {
            let revoked = owned.filter { !assigned.contains($0) }
            if !revoked.isEmpty {
                if config.enableAutoCommit {
                    let positions = consumedPositions().filter { revoked.contains($0.key) }
                    try? await commit(positions)
                }
                config.rebalanceListener?(.revoked(revoked))
                // The partitions we gave up can now go to their new owners: another round does that.
                membership.requestRejoin()
            }
        }
        let previouslyOwned = Set(state.withLockedValue { $0.partitions.keys })
        state.withLockedValue { $0.setAssignment(result.partitions) }
        let gained = result.partitions.filter { !previouslyOwned.contains($0) }
        if !gained.isEmpty { config.rebalanceListener?(.assigned(gained)) }
        cluster.logger.debug("group \(config.groupId ?? "") generation \(result.generationId): assigned \(result.partitions)")
    }

    private func maybeAutoCommit() {
        guard config.enableAutoCommit, membership != nil else { return }
        let now = Clock.nowMs()
        let due: Bool = state.withLockedValue { s in
            if now - s.lastAutoCommitMs < config.autoCommitIntervalMs { return false }
            s.lastAutoCommitMs = now
            return true
        }
        if due, !consumedPositions().isEmpty { commitAsync() }
    }

    // MARK: positions

    private func resolvePositions() async throws {
        let (unknown, pending) = state.withLockedValue { s -> ([TopicPartition], [(TopicPartition, OffsetSpec)]) in
            var u: [TopicPartition] = []
            var p: [(TopicPartition, OffsetSpec)] = []
            for (tp, st) in s.partitions {
                switch st.position {
                case .unknown: u.append(tp)
                case let .pending(spec): p.append((tp, spec))
                case .offset: break
                }
            }
            return (u, p)
        }
        if unknown.isEmpty && pending.isEmpty { return }
        var lookups = pending
        if !unknown.isEmpty {
            var committed: [TopicPartition: Int64] = [:]
            if let groupId = config.groupId {
                committed = try await GroupOffsets.fetch(cluster: cluster, groupId: groupId, partitions: unknown)
            }
            var missing: [TopicPartition] = []
            state.withLockedValue { s in
                for tp in unknown where s.partitions[tp]?.position == .unknown {
                    if let o = committed[tp] { s.partitions[tp]?.position = .offset(o) } else { missing.append(tp) }
                }
            }
            for tp in missing {
                switch config.autoOffsetReset {
                case .earliest: lookups.append((tp, .earliest))
                case .latest: lookups.append((tp, .latest))
                case .none:
                    throw KafkaClientError.broker(.offsetOutOfRange, context: "no committed offset for \(tp)",
                                                  message: "auto.offset.reset is none")
                }
            }
        }
        if lookups.isEmpty { return }
        let found = try await OffsetLookup.listOffsets(cluster: cluster, lookups, isolationLevel: config.isolationLevel.rawValue)
        // A timestamp after the last record finds nothing: that position is the end.
        let noMatch = lookups.filter { tp, spec in
            if case .timestamp = spec { return (found[tp]?.offset ?? -1) < 0 }
            return false
        }.map { ($0.0, OffsetSpec.latest) }
        let ends = try await OffsetLookup.listOffsets(cluster: cluster, noMatch, isolationLevel: config.isolationLevel.rawValue)
        state.withLockedValue { s in
            for (tp, spec) in lookups {
                let expected: PartitionPosition = unknown.contains(tp) ? .unknown : .pending(spec)
                guard let current = s.partitions[tp]?.position, current == expected || current == .unknown else { continue }
                var o = found[tp]?.offset ?? -1
                if o < 0 { o = ends[tp]?.offset ?? -1 }
                if o >= 0 { s.partitions[tp]?.position = .offset(o) }
            }
        }
    }

    // MARK: fetching

    /// The partitions to fetch now, with their positions.
    private func fetchablePartitions() -> [(TopicPartition, Int64)] {
        state.withLockedValue { s in
            s.partitions.compactMap { tp, st in
                if st.paused { return nil }
                if case let .offset(o) = st.position { return (tp, o) }
                return nil
            }.sorted { $0.0 < $1.0 }
        }
    }

    /// One fetch round: positions move on, the next fetch goes out, then `decode` turns each partition
    /// that moved into results and says how many it made; one that throws puts its partition back.
    private func fetchOnce(
        _ decode: (FetchOutcome, FetchedPartition, FetchedPartitionDecoder) throws -> Int
    ) async throws {
        let fetchable = fetchablePartitions()
        if fetchable.isEmpty {
            try await Task.sleep(nanoseconds: UInt64(min(config.fetchMaxWaitMs, 100)) * 1_000_000)
            return
        }
        // Use the oldest fetch started ahead when it asked for exactly these positions; otherwise (a
        // seek, a pause, a new assignment) every fetch started ahead is dropped.
        let (prefetched, parked) = state.withLockedValue { s -> (Prefetch?, ConsumerState.ParkedPrefetch?) in
            guard !s.prefetches.isEmpty else { return (nil, nil) }
            let first = s.prefetches.removeFirst()
            // A round that landed while the queue was full starts its successor now there is room.
            let parked = s.parked
            s.parked = nil
            return (first, parked)
        }
        let (results, leaderless): FetchRound
        if let prefetched, prefetched.positions.elementsEqual(fetchable, by: { $0.0 == $1.0 && $0.1 == $1.1 }) {
            if let parked { prefetch(parked.positions, .after(parked.id)) }
            (results, leaderless) = try await prefetched.round.get()
        } else {
            state.withLockedValue { $0.cancelPrefetches() }
            (results, leaderless) = try await fetchRound(fetchable)
        }
        if leaderless { cluster.invalidateMetadata() }

        // Positions move on from the batch headers alone; the next fetch goes out before this one's
        // records are decoded, so the broker works on it meanwhile.
        var firstError: KafkaClientError?
        var retryLater = false
        var toDecode: [(outcome: FetchOutcome, fetched: FetchedPartition, before: PartitionFetchState)] = []
        state.withLockedValue { s in
            for r in results {
                guard var st = s.partitions[r.tp], st.position == .offset(r.fetchOffset) else { continue }
                let before = st
                switch r.result {
                case let .success(fetched):
                    if let next = fetched.nextOffset {
                        st.position = .offset(next)
                        st.consumedSomething = true
                        toDecode.append((r, fetched, before))
                    }
                    st.highWatermark = r.highWatermark
                case let .failure(error):
                    switch error.errorCode {
                    case .offsetOutOfRange?:
                        switch config.autoOffsetReset {
                        case .earliest: st.position = .pending(.earliest)
                        case .latest: st.position = .pending(.latest)
                        case .none: if firstError == nil { firstError = error }
                        }
                    default:
                        if error.isRetriable { retryLater = true } else if firstError == nil { firstError = error }
                    }
                }
                s.partitions[r.tp] = st
            }
        }
        if !retryLater && !leaderless && !toDecode.isEmpty {
            prefetch(fetchablePartitions(), .ifNoneQueued)
        }

        var produced = 0
        for (outcome, fetched, before) in toDecode {
            let decoder = FetchedPartitionDecoder(topic: outcome.tp.topic, partition: outcome.tp.partition,
                                                  isolation: config.isolationLevel, checkCRCs: config.checkCRCs)
            do {
                produced += try decode(outcome, fetched, decoder)
            } catch {
                // Nothing of a partition that does not decode is returned: its position goes back, and a
                // fetch started from the moved position is dropped.
                state.withLockedValue { s in
                    if s.partitions[outcome.tp]?.position == .offset(fetched.nextOffset ?? -1) {
                        s.partitions[outcome.tp]?.position = before.position
                        s.partitions[outcome.tp]?.consumedSomething = before.consumedSomething
                    }
                    s.cancelPrefetches()
                }
                if firstError == nil {
                    firstError = error as? KafkaClientError ?? .corruptRecords(
                        topic: outcome.tp.topic, partition: outcome.tp.partition, offset: outcome.fetchOffset,
                        detail: "\(error)")
                }
                continue
            }
        }
        if let firstError, produced == 0 { throw firstError }
        if retryLater || leaderless {
            cluster.invalidateMetadata()
            if produced == 0 {
                try await Task.sleep(nanoseconds: UInt64(cluster.config.retryBackoffMs) * 1_000_000)
            }
        }
    }

    /// The high watermark of each assigned partition as of the last fetch (-1 before any).
    public var highWatermarks: [TopicPartition: Int64] {
        state.withLockedValue { s in s.partitions.mapValues(\.highWatermark) }
    }
}
