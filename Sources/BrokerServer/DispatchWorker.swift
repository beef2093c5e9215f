import Dispatch

/// Runs blocking housekeeping (file deletion, fsync) away from the event loops.
enum DispatchWorker {
    private static let queue = DispatchQueue(label: "tributary.housekeeping")
    static func run(_ work: @escaping @Sendable () -> Void) { queue.async(execute: work) }
}
