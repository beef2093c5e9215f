import LogStorage
import Logging
import NIOConcurrencyHelpers

/// Group commit: producers that need durability (acks=all) register what they wait for; one
/// thread syncs each dirty partition once per round and answers everyone whose offset that
/// sync covered. While a round's fsyncs run, new waiters gather for the next round, so many
/// concurrent producers share each fsync.
public final class Flusher: @unchecked Sendable {
    public typealias Completion = @Sendable (Error?) -> Void

    private struct Waiter {
        var offset: Int64
        var completion: Completion
    }

    private let condition = ConditionLock(value: 0)
    private var pending: [ObjectIdentifier: (log: PartitionLog, waiters: [Waiter])] = [:]
    private var stopped = false
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
        startBackgroundThread(name: "flusher") { [self] in run() }
    }

    /// Calls `completion` once everything in `log` below `offset` is durable.
    public func whenDurable(_ log: PartitionLog, below offset: Int64, _ completion: @escaping Completion) {
        if log.flushedOffset >= offset { completion(nil); return }
        condition.lock()
        let key = ObjectIdentifier(log)
        var entry = pending[key] ?? (log, [])
        entry.waiters.append(Waiter(offset: offset, completion: completion))
        pending[key] = entry
        condition.unlock(withValue: 1)
    }

    /// Asks for a flush of `log` with no one waiting (the interval flush policy).
    public func flushSoon(_ log: PartitionLog) {
        condition.lock()
        let key = ObjectIdentifier(log)
        if pending[key] == nil { pending[key] = (log, []) }
        condition.unlock(withValue: 1)
    }

    public func stop() {
        condition.lock()
        stopped = true
        condition.unlock(withValue: 1)
    }

    private func run() {
        while true {
            condition.lock(whenValue: 1)
            if stopped && pending.isEmpty { condition.unlock(withValue: 0); return }
            let round = pending
            pending.removeAll()
            condition.unlock(withValue: 0)
            for (_, entry) in round {
                do {
                    let flushed = try entry.log.flush()
                    var notYet: [Waiter] = []
                    for w in entry.waiters {
                        if w.offset <= flushed { w.completion(nil) } else { notYet.append(w) }
                    }
                    for w in notYet { whenDurable(entry.log, below: w.offset, w.completion) }
                } catch {
                    logger.error("flush of \(entry.log.directory) failed: \(error)")
                    for w in entry.waiters { w.completion(error) }
                }
            }
        }
    }
}
