import Columnar
import Foundation

/// The session time zone (`spark.sql.session.timeZone`): timestamps are instants (UTC
/// microseconds); this zone decides how they are shown, how text without a zone is read, and
/// where calendar fields (day, hour, …) fall. Region ids (`Europe/Oslo`) follow the tz database;
/// `UTC`, `Z` and offsets (`+01:00`, `GMT-8`) are fixed.
public struct SessionTimeZone: Hashable, Sendable, CustomStringConvertible {
    /// The id as given.
    public let id: String
    private let fixedOffsetSeconds: Int?
    private let zone: TimeZone?

    /// UTC, the default.
    public static let utc = SessionTimeZone(fixed: "UTC", seconds: 0)

    private init(fixed id: String, seconds: Int) {
        self.id = id
        fixedOffsetSeconds = seconds
        zone = nil
    }

    private init(region id: String, zone: TimeZone) {
        self.id = id
        fixedOffsetSeconds = nil
        self.zone = zone
    }

    /// Parses a zone id; nil when it is not a zone Spark would accept.
    public init?(_ id: String) {
        let t = id.trimmingCharacters(in: .whitespaces)
        let upper = t.uppercased()
        if ["UTC", "Z", "GMT", "UT", "ETC/UTC", "ETC/GMT"].contains(upper) {
            self.init(fixed: t, seconds: 0)
            return
        }
        var rest = Substring(upper)
        for prefix in ["UTC", "GMT", "UT"] where rest.hasPrefix(prefix) && rest.count > prefix.count {
            rest = rest.dropFirst(prefix.count)
            break
        }
        if let sign = rest.first, sign == "+" || sign == "-" {
            let body = rest.dropFirst()
            let pieces = body.split(separator: ":", omittingEmptySubsequences: false)
            var hours = 0, minutes = 0
            if pieces.count == 1, body.count == 4, let v = Int(body) {
                hours = v / 100
                minutes = v % 100
            } else if pieces.count <= 2, let h = Int(pieces[0]), pieces[0].count <= 2 {
                hours = h
                if pieces.count == 2 {
                    guard let m = Int(pieces[1]), pieces[1].count == 2 else { return nil }
                    minutes = m
                }
            } else {
                return nil
            }
            guard hours <= 18, minutes < 60 else { return nil }
            self.init(fixed: t, seconds: (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1))
            return
        }
        guard t.contains("/"), let z = TimeZone(identifier: t) else { return nil }
        self.init(region: t, zone: z)
    }

    /// The zone id.
    public var description: String { id }

    /// True for a zone always at offset zero.
    public var isUTC: Bool { fixedOffsetSeconds == 0 }

    /// The offset from UTC at an instant, in seconds.
    public func offsetSeconds(atUTC micros: Int64) -> Int {
        if let f = fixedOffsetSeconds { return f }
        let seconds = Double(micros.dividedRoundingDown(by: 1_000_000))
        return zone?.secondsFromGMT(for: Date(timeIntervalSince1970: seconds)) ?? 0
    }

    /// The wall-clock time (microseconds as if UTC) of an instant.
    public func local(_ utcMicros: Int64) -> Int64 {
        utcMicros &+ Int64(offsetSeconds(atUTC: utcMicros)) * 1_000_000
    }

    /// The instant of a wall-clock time. In a gap (spring forward) the time moves forward by the
    /// gap; in an overlap (fall back) the earlier offset wins, as Java's `atZone` does.
    public func utc(fromLocal localMicros: Int64) -> Int64 {
        if let f = fixedOffsetSeconds { return localMicros &- Int64(f) * 1_000_000 }
        // Zones change offset at most once around a given day: try the offsets a day before and after.
        let before = Int64(offsetSeconds(atUTC: localMicros &- DateTimeUtil.microsPerDay)) * 1_000_000
        let after = Int64(offsetSeconds(atUTC: localMicros &+ DateTimeUtil.microsPerDay)) * 1_000_000
        let early = localMicros &- before
        if Int64(offsetSeconds(atUTC: early)) * 1_000_000 == before { return early }
        let late = localMicros &- after
        if Int64(offsetSeconds(atUTC: late)) * 1_000_000 == after { return late }
        return early
    }

    /// The day (days since the epoch) an instant falls on in this zone.
    public func day(_ utcMicros: Int64) -> Int32 {
        Int32(truncatingIfNeeded: local(utcMicros).dividedRoundingDown(by: DateTimeUtil.microsPerDay))
    }

    /// `yyyy-MM-dd HH:mm:ss[.ffffff]` in this zone, as Spark shows timestamps.
    public func format(_ utcMicros: Int64) -> String { DateTimeUtil.formatTimestamp(local(utcMicros)) }

    /// A value as Spark shows it in this zone (timestamps moved into it; other values as they print).
    public func display(_ v: Scalar) -> String {
        if case let .timestamp(t) = v, !isUTC { return format(t) }
        return v.description
    }

    /// A value of `type` as Spark shows it in this zone (`float` values with a float's digits).
    public func display(_ v: Scalar, as type: DataType) -> String {
        if case let .timestamp(t) = v, !isUTC { return format(t) }
        return v.text(as: type)
    }
}

extension Int64 {
    /// Floor division (rounds toward negative infinity).
    func dividedRoundingDown(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
