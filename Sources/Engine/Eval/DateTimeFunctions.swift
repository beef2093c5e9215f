import Columnar
import Foundation

/// Datetime functions that depend on the session time zone. The analyzer rewrites the user's
/// calls (`date_trunc`, `to_timestamp`, `date_format`, …) and the casts between text, dates and
/// timestamps into these internal forms, whose last argument is the zone id, so evaluation
/// needs no session state.
enum DateTimeFunctions {
    /// Spark's default format of `unix_timestamp` / `from_unixtime`.
    static let defaultFormat = "yyyy-MM-dd HH:mm:ss"

    static func zone(_ e: Expr) throws -> SessionTimeZone {
        guard case let .literal(.string(id), _) = e, let z = SessionTimeZone(id) else {
            throw EngineError.execution("invalid session time zone argument \(e)")
        }
        return z
    }

    static func pattern(_ e: Expr, _ fn: String) throws -> DateTimePattern? {
        switch e {
        case .literal(.null, _): return nil
        case let .literal(.string(p), _): return try DateTimePattern(p)
        default: throw EngineError.unsupported("the format of `\(fn)` must be a constant string")
        }
    }

    static func call(_ name: String, _ args: [Expr], resultType: DataType, batch: RecordBatch,
                     evaluator: ExprEvaluator) throws -> ColumnVector? {
        let n = batch.rowCount
        func arg(_ i: Int) throws -> ColumnVector { try evaluator.evaluate(args[i], batch) }
        switch name {
        case "__to_timestamp":
            let tz = try zone(args[2])
            return toTimestamp(try arg(0), try pattern(args[1], "to_timestamp"), tz)
        case "__to_date":
            let tz = try zone(args[2])
            let fmt = try pattern(args[1], "to_date")
            let x = try arg(0)
            if fmt == nil && x.type == .timestamp { return mapInt64(x, to: .date) { Int64(tz.day($0)) } }
            let ts = toTimestamp(x, fmt, tz)
            return mapInt64(ts, to: .date) { Int64(tz.day($0)) }
        case "__date_format":
            let tz = try zone(args[2])
            let fmt = try pattern(args[1], "date_format")
            return format(try arg(0), fmt, tz)
        case "__unix_timestamp":
            let tz = try zone(args[2])
            let x = try arg(0)
            let ts = x.type == .timestamp ? x : toTimestamp(x, try pattern(args[1], "unix_timestamp"), tz)
            return mapInt64(ts, to: .int64) { $0.dividedRoundingDown(by: 1_000_000) }
        case "__from_unixtime":
            let tz = try zone(args[2])
            let secs = CastKernel.cast(try arg(0), to: .int64)
            let ts = mapInt64(secs, to: .timestamp) { $0 &* 1_000_000 }
            return format(ts, try pattern(args[1], "from_unixtime") ?? DateTimePattern(defaultFormat), tz)
        case "__hour", "__minute", "__second":
            let tz = try zone(args[1])
            let divisor: Int64 = name == "__hour" ? 3_600_000_000 : (name == "__minute" ? 60_000_000 : 1_000_000)
            let out = mapInt64(try arg(0), to: .int32) { t in
                let local = tz.local(t)
                let inDay = local - local.dividedRoundingDown(by: DateTimeUtil.microsPerDay) * DateTimeUtil.microsPerDay
                return inDay / divisor % (name == "__hour" ? 24 : 60)
            }
            return out
        case "__date_trunc":
            guard case let .literal(.string(unit), _) = args[0] else {
                throw EngineError.unsupported("the unit of `date_trunc` must be a constant string")
            }
            let tz = try zone(args[2])
            return try dateTrunc(unit, try arg(1), tz, count: n)
        case "__ts_add":
            let tz = try zone(args[4])
            guard case let .literal(.int(months), _) = args[1], case let .literal(.int(days), _) = args[2],
                  case let .literal(.int(micros), _) = args[3] else { return nil }
            return mapInt64(try arg(0), to: .timestamp) { t in
                var local = tz.local(t)
                if months != 0 || days != 0 {
                    var d = Int32(truncatingIfNeeded: local.dividedRoundingDown(by: DateTimeUtil.microsPerDay))
                    let timeOfDay = local &- Int64(d) &* DateTimeUtil.microsPerDay
                    if months != 0 { d = DateTimeUtil.addMonths(d, Int(truncatingIfNeeded: months)) }
                    d &+= Int32(truncatingIfNeeded: days)
                    // Results far outside the timestamp range wrap rather than trap.
                    local = Int64(d) &* DateTimeUtil.microsPerDay &+ timeOfDay
                }
                return tz.utc(fromLocal: local) &+ micros
            }
        default:
            return nil
        }
    }

    /// Applies `f` to every present value of an int32/int64 column (dates are days, timestamps
    /// microseconds), giving a column of `type`.
    static func mapInt64(_ c: ColumnVector, to type: DataType, _ f: (Int64) -> Int64) -> ColumnVector {
        let n = c.count
        var values = [Int64](repeating: 0, count: n)
        switch c.storage {
        case let .int64(v): for i in 0..<n where !c.isNull(i) { values[i] = f(v[i]) }
        case let .int32(v): for i in 0..<n where !c.isNull(i) { values[i] = f(Int64(v[i])) }
        default: return ColumnVector.nulls(type, count: n)
        }
        let storage: ColumnStorage
        switch type {
        case .int32, .date: storage = .int32(values.map { Int32(truncatingIfNeeded: $0) })
        default: storage = .int64(values)
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: c.validity)
    }

    /// Text, dates, timestamps or numbers (seconds) as timestamps, read in zone `tz`; with a
    /// pattern, text must match it.
    static func toTimestamp(_ c: ColumnVector, _ fmt: DateTimePattern?, _ tz: SessionTimeZone) -> ColumnVector {
        let n = c.count
        switch c.type {
        case .timestamp: return c
        case .date: return mapInt64(c, to: .timestamp) { tz.utc(fromLocal: $0 &* DateTimeUtil.microsPerDay) }
        case .string: break
        default: return CastKernel.cast(c, to: .timestamp)
        }
        guard case let .bytes(offsets, data) = c.storage else { return ColumnVector.nulls(.timestamp, count: n) }
        var out = [Int64](repeating: 0, count: n)
        var valid = Validity.of(c)
        data.withUnsafeBufferPointer { d in
            for i in 0..<n where valid[i] {
                let slice = UnsafeBufferPointer(rebasing: d[Int(offsets[i])..<Int(offsets[i + 1])])
                if let fmt {
                    guard let p = fmt.parse(String(decoding: slice, as: UTF8.self)) else { valid[i] = false; continue }
                    out[i] = p.offsetSeconds.map { p.local - Int64($0) * 1_000_000 } ?? tz.utc(fromLocal: p.local)
                } else {
                    guard let p = DateTimeUtil.parseTimestampParts(slice) else { valid[i] = false; continue }
                    out[i] = p.offsetMicros.map { p.local - $0 } ?? tz.utc(fromLocal: p.local)
                }
            }
        }
        return ColumnVector(type: .timestamp, count: n, storage: .int64(out), validity: valid)
    }

    /// Timestamps (or dates, or text cast to timestamps) as text in zone `tz`; without a pattern,
    /// as CAST(… AS STRING) prints them.
    static func format(_ c: ColumnVector, _ fmt: DateTimePattern?, _ tz: SessionTimeZone) -> ColumnVector {
        let ts = toTimestamp(c, nil, tz)
        var b = ColumnBuilder(type: .string, capacity: c.count)
        guard case let .int64(v) = ts.storage else { return ColumnVector.nulls(.string, count: c.count) }
        for i in 0..<c.count {
            if ts.isNull(i) {
                b.appendNull()
            } else if let fmt {
                b.appendString(fmt.format(local: tz.local(v[i]), offsetSeconds: tz.offsetSeconds(atUTC: v[i]), zoneID: tz.id))
            } else {
                b.appendString(tz.format(v[i]))
            }
        }
        return b.finish()
    }

    /// `date_trunc(unit, ts)`: the start of the unit holding `ts`, in zone `tz`; null for an
    /// unknown unit, as Spark.
    static func dateTrunc(_ unit: String, _ c: ColumnVector, _ tz: SessionTimeZone, count n: Int) throws -> ColumnVector {
        let u = unit.lowercased()
        let ts = toTimestamp(c, nil, tz)
        let micro: Int64
        switch u {
        case "microsecond": return ts
        case "millisecond": micro = 1000
        case "second": micro = 1_000_000
        case "minute": micro = 60_000_000
        case "hour": micro = 3_600_000_000
        case "day", "dd": micro = DateTimeUtil.microsPerDay
        case "week", "month", "mon", "mm", "quarter", "year", "yyyy", "yy": micro = 0
        default: return ColumnVector.nulls(.timestamp, count: n)
        }
        return mapInt64(ts, to: .timestamp) { t in
            let local = tz.local(t)
            if micro > 0 { return tz.utc(fromLocal: local.dividedRoundingDown(by: micro) &* micro) }
            let d = Int32(truncatingIfNeeded: local.dividedRoundingDown(by: DateTimeUtil.microsPerDay))
            let c = DateTimeUtil.civil(fromDays: d)
            let start: Int32
            switch u {
            case "week": start = d - Int32((Int64(d) + 3) - (Int64(d) + 3).dividedRoundingDown(by: 7) * 7)
            case "quarter": start = DateTimeUtil.daysFromCivil(year: c.year, month: (c.month - 1) / 3 * 3 + 1, day: 1)
            case "year", "yyyy", "yy": start = DateTimeUtil.daysFromCivil(year: c.year, month: 1, day: 1)
            default: start = DateTimeUtil.daysFromCivil(year: c.year, month: c.month, day: 1)
            }
            return tz.utc(fromLocal: Int64(start) &* DateTimeUtil.microsPerDay)
        }
    }
}
