import Foundation

/// A session's settable configuration (Spark's `spark.conf`): string keys and values, set by
/// `SET key=value` or `session.conf.set`. Keys the engine reads are checked when set.
public final class RuntimeConfig: @unchecked Sendable {
    /// The session time zone key.
    public static let timeZoneKey = "spark.sql.session.timeZone"
    /// Whether hash joins filter their probe side's scans by the built keys (`true` unless set to
    /// `false`).
    public static let runtimeKeyFilterKey = "tributary.sql.runtimeKeyFilter.enabled"
    /// Whether aggregates over joins may be computed partly below a join (`PushAggregateBelowJoins`;
    /// `true` unless set to `false`).
    public static let eagerAggregationKey = "tributary.sql.eagerAggregation.enabled"

    private let lock = NSLock()
    private var values: [String: String] = [:]

    /// An empty configuration.
    public init() {}

    /// The value of `key`, or nil when unset (keys compare without regard to case).
    public func get(_ key: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return values[key.lowercased()]
    }

    /// Sets `key`; a session time zone must name a zone.
    public func set(_ key: String, _ value: String) throws {
        if key.lowercased() == Self.timeZoneKey.lowercased() && SessionTimeZone(value) == nil {
            throw EngineError.analysis("[INVALID_CONF_VALUE.TIME_ZONE] The value '\(value)' in the config "
                                       + "\"\(Self.timeZoneKey)\" is invalid. Cannot resolve the given timezone.", position: nil)
        }
        lock.lock()
        values[key.lowercased()] = value
        lock.unlock()
    }

    /// Removes `key`.
    public func unset(_ key: String) {
        lock.lock()
        values[key.lowercased()] = nil
        lock.unlock()
    }

    /// The session time zone (UTC unless set).
    public var timeZone: SessionTimeZone {
        self.get(Self.timeZoneKey).flatMap { SessionTimeZone($0) } ?? .utc
    }
}
