import LogStorage
import NIOConcurrencyHelpers
import NIOCore

/// Fetches parked until data arrives or their max wait passes (long polling).
///
/// An append to a partition wakes the fetches that read it; each retries on its own event loop
/// and either answers (enough bytes now) or stays parked. The deadline answers with whatever
/// there is. Each parked fetch answers exactly once.
public final class FetchWaiters: @unchecked Sendable {
    final class Waiter {
        let id: Int
        let eventLoop: EventLoop
        let partitions: [ObjectIdentifier]
        /// Tries to answer; returns true when it did. `final` means answer regardless.
        let attempt: (_ final: Bool) -> Bool
        var done = false
        var timeout: Scheduled<Void>?

        init(id: Int, eventLoop: EventLoop, partitions: [ObjectIdentifier], attempt: @escaping (Bool) -> Bool) {
            self.id = id
            self.eventLoop = eventLoop
            self.partitions = partitions
            self.attempt = attempt
        }
    }

    private let lock = NIOLock()
    private var nextId = 0
    private var byPartition: [ObjectIdentifier: [Int: Waiter]] = [:]

    public init() {}

    /// Parks a fetch over `logs` until an append to one of them or `maxWaitMs`.
    public func park(logs: [PartitionLog], eventLoop: EventLoop, maxWaitMs: Int64, attempt: @escaping (_ final: Bool) -> Bool) {
        let keys = logs.map(ObjectIdentifier.init)
        let waiter = lock.withLock { () -> Waiter in
            nextId += 1
            let w = Waiter(id: nextId, eventLoop: eventLoop, partitions: keys, attempt: attempt)
            for k in keys { byPartition[k, default: [:]][w.id] = w }
            return w
        }
        waiter.timeout = eventLoop.scheduleTask(in: .milliseconds(maxWaitMs)) { [self] in
            finish(waiter, final: true)
        }
    }

    /// Wakes the fetches waiting on `log`.
    public func notify(_ log: PartitionLog) {
        let key = ObjectIdentifier(log)
        let waiters = lock.withLock { byPartition[key].map { Array($0.values) } ?? [] }
        for w in waiters {
            w.eventLoop.execute { [self] in finish(w, final: false) }
        }
    }

    /// Runs on the waiter's event loop.
    private func finish(_ w: Waiter, final: Bool) {
        guard !w.done else { return }
        guard w.attempt(final) else { return }
        w.done = true
        w.timeout?.cancel()
        lock.withLock {
            for k in w.partitions {
                byPartition[k]?[w.id] = nil
                if byPartition[k]?.isEmpty == true { byPartition[k] = nil }
            }
        }
    }
}
