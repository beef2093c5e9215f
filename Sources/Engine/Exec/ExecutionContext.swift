import Foundation

/// A fixed pool of workers, one per core, that runs morsels of work in parallel.
///
/// Work is handed out as index ranges; each worker takes the next morsel until none remain,
/// so uneven morsels balance themselves.
public final class WorkerPool: @unchecked Sendable {
    /// The number of workers.
    public let workerCount: Int

    /// A pool of `workerCount` workers (default: one per active core).
    public init(workerCount: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.workerCount = max(1, workerCount)
    }

    /// Runs `body(i)` for every `i` in `0..<count` on the workers and returns the results in
    /// index order. The first error thrown by any morsel is rethrown after all have finished.
    public func map<T>(_ count: Int, _ body: (Int) throws -> T) throws -> [T] {
        if count == 0 { return [] }
        if count == 1 || workerCount == 1 { return try (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let next = ManagedCounter()
        let firstError = ErrorBox()
        try withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: min(workerCount, count)) { _ in
                while true {
                    let i = next.increment()
                    if i >= count || firstError.hasError { return }
                    do { results[i] = try body(i) } catch { firstError.set(error) }
                }
            }
        }
        if let e = firstError.error { throw e }
        return results.map { $0! }
    }
}

/// A lock-protected counter handing out morsel numbers.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

/// Keeps the first error thrown by any worker.
private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var hasError: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stored != nil
    }
    var error: Error? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
    func set(_ e: Error) {
        lock.lock()
        if stored == nil { stored = e }
        lock.unlock()
    }
}

/// Counts the bytes a query holds in operator state, so a limit can be enforced and spilling
/// can be added later.
public final class MemoryTracker: @unchecked Sendable {
    private let lock = NSLock()
    /// The most bytes the query may hold.
    public let limitBytes: Int
    /// Bytes currently reserved.
    public private(set) var reservedBytes = 0
    /// The high-water mark.
    public private(set) var peakBytes = 0

    /// A tracker with a byte limit.
    public init(limitBytes: Int) { self.limitBytes = limitBytes }

    /// Reserves `bytes`; throws when the limit would be exceeded.
    public func reserve(_ bytes: Int) throws {
        lock.lock()
        defer { lock.unlock() }
        guard reservedBytes + bytes <= limitBytes else {
            throw EngineError.limitExceeded("query memory limit of \(limitBytes) bytes exceeded")
        }
        reservedBytes += bytes
        peakBytes = max(peakBytes, reservedBytes)
    }

    /// Returns `bytes` reserved earlier.
    public func release(_ bytes: Int) {
        lock.lock()
        reservedBytes = max(0, reservedBytes - bytes)
        lock.unlock()
    }
}

/// What one query execution needs: the worker pool, the memory budget, session settings.
public struct ExecutionContext: Sendable {
    /// The shared worker pool.
    public let pool: WorkerPool
    /// The query's memory accounting.
    public let memory: MemoryTracker
    /// Rows per batch produced by sources.
    public let batchRows: Int
    /// The query's file scans already run, for a second identical scan (the query's own: a new
    /// context starts empty).
    public let scanCache: ScanResultCache
    /// Whether hash joins hand their probe side's scans a filter on the join key once the build
    /// side is known (`RuntimeKeyFilter`); the setting `tributary.sql.runtimeKeyFilter.enabled`.
    public let runtimeKeyFilters: Bool
    /// The runtime key filters of the joins now probing, by the scan they are for.
    let scanFilters = RuntimeScanFilters()

    /// Creates a context.
    public init(pool: WorkerPool, memory: MemoryTracker, batchRows: Int = 8192, runtimeKeyFilters: Bool = true) {
        self.pool = pool
        self.memory = memory
        self.batchRows = batchRows
        self.scanCache = ScanResultCache()
        self.runtimeKeyFilters = runtimeKeyFilters
    }
}
