import NIOCore

/// Fetch rounds started ahead of the polls. A round that lands starts the next one from its batch
/// headers right on the event loop that read it — no hop to another thread between the broker's
/// answer and the next request — so the broker is not left idle while the answer travels to the
/// polling task (one round in flight at a time, as librdkafka keeps one Fetch per broker).
extension KafkaConsumer {
    /// When a round may start ahead.
    enum PrefetchCondition {
        /// Only when no round is queued (after a poll moved the positions itself).
        case ifNoneQueued
        /// Only when the round `id` is still the latest one (nothing was dropped since it started).
        case after(UInt64)
    }

    /// Starts a round of `positions` ahead of the poll that will use it, when `condition` holds and
    /// fewer than `fetchesAheadMax` rounds wait. The round is queued under the lock and written after
    /// it, so no channel work runs while the consumer's state is locked.
    func prefetch(_ positions: [(TopicPartition, Int64)], _ condition: PrefetchCondition) {
        guard !positions.isEmpty else { return }
        let plan = planFetchRound(positions)
        let eventLoop = plan?.eventLoop ?? cluster.group.next()
        let started = state.withLockedValue { s -> (id: UInt64, promise: EventLoopPromise<FetchRound>)? in
            if s.closed { return nil }
            switch condition {
            case .ifNoneQueued:
                guard s.prefetches.isEmpty else { return nil }
            case let .after(id):
                guard s.prefetchSerial == id else { return nil }
                guard s.prefetches.count < ConsumerState.fetchesAheadMax else {
                    s.parked = ConsumerState.ParkedPrefetch(id: id, positions: positions)
                    return nil
                }
            }
            s.prefetchSerial &+= 1
            s.parked = nil
            let promise = eventLoop.makePromise(of: FetchRound.self)
            s.prefetches.append(Prefetch(id: s.prefetchSerial, positions: positions, round: promise.futureResult))
            return (s.prefetchSerial, promise)
        }
        guard let (id, promise) = started else { return }
        promise.futureResult.whenSuccess { round in self.prefetchSuccessor(of: id, positions, round) }
        if let plan {
            // The successor may start from the answer's first bytes; the one `prefetchSuccessor` would
            // start from the whole answer is then already out (`.after(id)` no longer holds).
            send(plan, earlyNext: { next in self.prefetch(next, .after(id)) }).cascade(to: promise)
        } else {
            promise.completeWithTask { try await self.fetchRound(positions) }
        }
    }

    /// Starts the round after the prefetched round `id` from the positions its batch headers give,
    /// unless a partition failed or nothing moved on (the next poll then fetches itself).
    private func prefetchSuccessor(of id: UInt64, _ positions: [(TopicPartition, Int64)], _ round: FetchRound) {
        if round.leaderless { return }
        var next: [(TopicPartition, Int64)] = []
        next.reserveCapacity(positions.count)
        var moved = false
        for (tp, offset) in positions {
            guard let r = round.results.first(where: { $0.tp == tp }), r.fetchOffset == offset,
                  case let .success(fetched) = r.result else { return }
            if let n = fetched.nextOffset, n > offset { moved = true }
            next.append((tp, fetched.nextOffset ?? offset))
        }
        if moved { prefetch(next, .after(id)) }
    }
}
