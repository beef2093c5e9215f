import Foundation

/// The session's temporary views, shared by the DataFrame API and SQL.
public final class Catalog: @unchecked Sendable {
    private let lock = NSLock()
    private var views: [String: LogicalPlan] = [:]
    private var formats: [String: any DataSourceFormat] = [:]
    private var namespaces: [String: any TableNamespace] = [:]
    private var tables: (any PersistentTables)?

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

    /// Plugs in a data source format under `name` (`kafka`); names are case-insensitive.
    public func registerFormat(_ name: String, _ format: any DataSourceFormat) {
        lock.lock()
        formats[name.lowercased()] = format
        lock.unlock()
    }

    /// The plugged-in format called `name`, if any.
    public func format(_ name: String) -> (any DataSourceFormat)? {
        lock.lock()
        defer { lock.unlock() }
        return formats[name.lowercased()]
    }

    /// Plugs in a namespace of external tables under `name` (`topics`).
    public func registerNamespace(_ name: String, _ namespace: any TableNamespace) {
        lock.lock()
        namespaces[name.lowercased()] = namespace
        lock.unlock()
    }

    /// Plugs in the session's persistent tables (the SQL front end's warehouse), consulted for
    /// names that are not temporary views; the first one plugged in stays.
    public func attachPersistentTables(_ make: () -> any PersistentTables) {
        lock.lock()
        if tables == nil { tables = make() }
        lock.unlock()
    }

    /// The persistent tables, if plugged in.
    public var persistentTables: (any PersistentTables)? {
        lock.lock()
        defer { lock.unlock() }
        return tables
    }

    /// The names of the plugged-in namespaces, sorted.
    public var namespaceNames: [String] {
        lock.lock()
        defer { lock.unlock() }
        return namespaces.keys.sorted()
    }

    /// The namespace called `name`, if any.
    public func namespace(_ name: String) -> (any TableNamespace)? {
        lock.lock()
        defer { lock.unlock() }
        return namespaces[name.lowercased()]
    }
}

/// Tables that outlive the session (`CREATE TABLE … USING parquet`), found by name when no
/// temporary view has it.
public protocol PersistentTables: AnyObject, Sendable {
    /// The plan reading the table `parts` names (`t`, `default.t`), or nil when there is none.
    func plan(_ parts: [String]) throws -> LogicalPlan?
}
