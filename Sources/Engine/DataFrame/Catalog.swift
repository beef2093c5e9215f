import Foundation

/// The session's temporary views, shared by the DataFrame API and SQL.
public final class Catalog: @unchecked Sendable {
    private let lock = NSLock()
    private var views: [String: LogicalPlan] = [:]

    /// An empty catalog.
    public init() {}

    /// Registers (or replaces) a temporary view. Names are case-insensitive, as in Spark.
    public func register(_ name: String, plan: LogicalPlan) {
        lock.lock()
        views[name.lowercased()] = plan
        lock.unlock()
    }

    /// Removes a view; returns whether it existed.
    @discardableResult public func drop(_ name: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return views.removeValue(forKey: name.lowercased()) != nil
    }

    /// The plan of a view, if registered.
    public func lookup(_ name: String) -> LogicalPlan? {
        lock.lock()
        defer { lock.unlock() }
        return views[name.lowercased()]
    }

    /// The registered view names, sorted.
    public var names: [String] {
        lock.lock()
        defer { lock.unlock() }
        return views.keys.sorted()
    }
}
