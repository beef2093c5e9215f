import Columnar
import Foundation

/// Spark's calendar functions beyond the core datetime kernels: ISO weeks, `next_day`,
/// `months_between`, building dates and timestamps from fields, and moving between time zones.
enum CalendarFunctions {
    static let all: [String: ScalarFunction] = [
        "weekofyear": ScalarFunction(1...1, [.date], returns: .int32) { c in
            let d = c.ints(0)
            return c.map { row, out in out.appendInt(Int64(isoWeek(Int32(truncatingIfNeeded: d[row])))) }
        },
        "next_day": ScalarFunction(2...2, [.date, .string], returns: .date, nextDay),
        "make_date": ScalarFunction(3...3, [.int32], returns: .date) { c in
            let y = c.ints(0), m = c.ints(1), d = c.ints(2)
            return c.map { row, out in
                if let days = date(y[row], m[row], d[row]) { out.appendInt(Int64(days)) } else { out.appendNull() }
            }
        },
        "make_timestamp": ScalarFunction(6...6, [.int32, .int32, .int32, .int32, .int32, .float64],
                                         returns: .timestamp, makeTimestamp).withTimeZone(),
        "months_between": ScalarFunction(2...3, [.timestamp, .timestamp, .boolean], returns: .float64, monthsBetween).withTimeZone(),
        "from_utc_timestamp": ScalarFunction(2...2, [.timestamp, .string], returns: .timestamp) { c in try shiftZone(c, toUTC: false) },
        "to_utc_timestamp": ScalarFunction(2...2, [.timestamp, .string], returns: .timestamp) { c in try shiftZone(c, toUTC: true) },
        "unix_date": ScalarFunction(1...1, [.date], returns: .int32) { c in c.args[0].retyped(.int32) },
        "date_from_unix_date": ScalarFunction(1...1, [.int32], returns: .date) { c in c.args[0].retyped(.date) },
        "unix_seconds": scaleTimestamp(divisor: 1_000_000),
        "unix_millis": scaleTimestamp(divisor: 1_000),
        "unix_micros": scaleTimestamp(divisor: 1),
        "timestamp_seconds": toTimestamp(multiplier: 1_000_000),
        "timestamp_millis": toTimestamp(multiplier: 1_000),
        "timestamp_micros": toTimestamp(multiplier: 1),
    ]

    /// The ISO-8601 week (1–53) of a day since 1970-01-01: weeks start on Monday and week 1 holds
    /// the year's first Thursday.
    static func isoWeek(_ days: Int32) -> Int {
        let d = Int(days)
        let thursday = d - isoWeekday(d) + 4
        let year = DateTimeUtil.civil(fromDays: Int32(thursday)).year
        let jan1 = Int(DateTimeUtil.daysFromCivil(year: year, month: 1, day: 1))
        return (thursday - jan1) / 7 + 1
    }

    /// The ISO weekday of a day since 1970-01-01: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday).
    static func isoWeekday(_ days: Int) -> Int { ((days + 3) % 7 + 7) % 7 + 1 }

    /// The day number of a valid date, nil otherwise.
    static func date(_ y: Int64, _ m: Int64, _ d: Int64) -> Int32? {
        guard (1...9999).contains(y), (1...12).contains(m), d >= 1,
              d <= DateTimeUtil.daysInMonth(year: Int(y), month: Int(m)) else { return nil }
        return DateTimeUtil.daysFromCivil(year: Int(y), month: Int(m), day: Int(d))
    }

    /// Monday = 1 … Sunday = 7, by the names Spark takes.
    private static let weekdays: [String: Int] = {
        var names: [String: Int] = [:]
        for (i, day) in ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"].enumerated() {
            names[day] = i + 1
            names[String(day.prefix(3))] = i + 1
            names[String(day.prefix(2))] = i + 1
        }
        return names
    }()

    /// `next_day(date, dayOfWeek)`: the first later date on that weekday (`MO`, `MON`, `MONDAY`, …);
    /// null for an unknown day name.
    static func nextDay(_ c: ScalarCall) -> ColumnVector {
        let d = c.ints(0), names = c.strings(1)
        return c.map { row, out in
            guard let target = weekdays[names.string(row).trimmingCharacters(in: .whitespaces).uppercased()] else {
                out.appendNull()
                return
            }
            let day = Int(d[row])
            var ahead = target - isoWeekday(day)
            if ahead <= 0 { ahead += 7 }
            out.appendInt(Int64(day + ahead))
        }
    }

    /// `make_timestamp(year, month, day, hour, minute, second)` in the session time zone; null for
    /// fields out of range.
    static func makeTimestamp(_ c: ScalarCall) throws -> ColumnVector {
        let zone = try c.timeZone()
        let f = (0..<5).map { c.ints($0) }, secs = c.doubles(5)
        return c.map { row, out in
            let sec = secs[row]
            guard let days = date(f[0][row], f[1][row], f[2][row]), (0...23).contains(f[3][row]), (0...59).contains(f[4][row]),
                  sec >= 0, sec <= 60 else { out.appendNull(); return }
            let micros = Int64((sec * 1_000_000).rounded())
            let local = Int64(days) * DateTimeUtil.microsPerDay + f[3][row] * 3_600_000_000 + f[4][row] * 60_000_000 + micros
            out.appendInt(zone.utc(fromLocal: local))
        }
    }

    /// `months_between(end, start[, roundOff])`: whole months when both days of month are equal or
    /// both are month ends, else the difference with a month counted as 31 days, to 8 decimals
    /// unless `roundOff` is false.
    static func monthsBetween(_ c: ScalarCall) throws -> ColumnVector {
        let zone = try c.timeZone()
        let a = c.ints(0), b = c.ints(1)
        let roundOff = c.args.count > 3 ? LogicKernel.trueMask(c.args[2]) : nil
        var out = ColumnBuilder(type: .float64, capacity: c.rowCount)
        for row in 0..<c.rowCount {
            if c.args[0].isNull(row) || c.args[1].isNull(row) || (c.args.count > 3 && c.args[2].isNull(row)) {
                out.appendNull()
                continue
            }
            let l1 = zone.local(a[row]), l2 = zone.local(b[row])
            let d1 = l1.dividedRoundingDown(by: DateTimeUtil.microsPerDay), d2 = l2.dividedRoundingDown(by: DateTimeUtil.microsPerDay)
            let c1 = DateTimeUtil.civil(fromDays: Int32(d1)), c2 = DateTimeUtil.civil(fromDays: Int32(d2))
            let months = Double((c1.year - c2.year) * 12 + c1.month - c2.month)
            let last1 = c1.day == DateTimeUtil.daysInMonth(year: c1.year, month: c1.month)
            let last2 = c2.day == DateTimeUtil.daysInMonth(year: c2.year, month: c2.month)
            if c1.day == c2.day || (last1 && last2) { out.appendDouble(months); continue }
            let dayMicros = DateTimeUtil.microsPerDay
            let within = Double(Int64(c1.day - c2.day) * dayMicros + (l1 - d1 * dayMicros) - (l2 - d2 * dayMicros))
            let diff = months + within / Double(31 * dayMicros)
            let round = roundOff.map { $0[row] } ?? true
            out.appendDouble(round ? (diff * 1e8).rounded(.toNearestOrAwayFromZero) / 1e8 : diff)
        }
        return out.finish()
    }

    /// `from_utc_timestamp(ts, zone)` reads `ts` as a UTC wall clock and gives the instant whose wall
    /// clock in the session zone is the same as `ts`'s in `zone`; `to_utc_timestamp` is the inverse.
    static func shiftZone(_ c: ScalarCall, toUTC: Bool) throws -> ColumnVector {
        let t = c.ints(0), zones = c.strings(1)
        var cached: (String, SessionTimeZone)?
        return try c.map { row, out in
            let id = zones.string(row)
            let zone: SessionTimeZone
            if let (k, z) = cached, k == id {
                zone = z
            } else {
                guard let z = SessionTimeZone(id) else {
                    throw EngineError.execution("\(c.name): unknown time zone '\(id)'")
                }
                cached = (id, z)
                zone = z
            }
            out.appendInt(toUTC ? zone.utc(fromLocal: t[row]) : zone.local(t[row]))
        }
    }

    static func scaleTimestamp(divisor: Int64) -> ScalarFunction {
        ScalarFunction(1...1, [.timestamp], returns: .int64) { c in
            let t = c.ints(0)
            return c.map { row, out in out.appendInt(t[row].dividedRoundingDown(by: divisor)) }
        }
    }

    static func toTimestamp(multiplier: Int64) -> ScalarFunction {
        ScalarFunction(1...1, [.int64], returns: .timestamp) { c in
            let v = c.ints(0)
            return try c.map { row, out in
                let (r, overflow) = v[row].multipliedReportingOverflow(by: multiplier)
                guard !overflow else { throw EngineError.execution("\(c.name): \(v[row]) is out of the timestamp range") }
                out.appendInt(r)
            }
        }
    }
}

extension ColumnVector {
    /// The same buffers under another type of the same physical layout (`date` ↔ `int`).
    func retyped(_ t: DataType) -> ColumnVector {
        ColumnVector(type: t, count: count, storage: storage, validity: validity)
    }
}
