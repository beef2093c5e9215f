/// Date functions over `date` columns (days since the epoch).
public enum DateKernel {
    /// Calendar fields that can be extracted.
    public enum Field: Sendable { case year, month, day, quarter, dayOfWeek, dayOfYear }

    @inlinable static func days(_ c: ColumnVector) -> [Int32]? {
        if case let .int32(v) = c.storage { return v }
        return nil
    }

    /// `year(d)`, `month(d)`, … as int.
    public static func extract(_ c: ColumnVector, _ field: Field) -> ColumnVector {
        guard let ds = days(c) else { return ColumnVector.nulls(.int32, count: c.count) }
        var out = [Int32](repeating: 0, count: c.count)
        ds.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<d.count {
                    let civil = DateTimeUtil.civil(fromDays: d[i])
                    switch field {
                    case .year: o[i] = Int32(civil.year)
                    case .month: o[i] = Int32(civil.month)
                    case .day: o[i] = Int32(civil.day)
                    case .quarter: o[i] = Int32((civil.month - 1) / 3 + 1)
                    case .dayOfWeek:
                        // 1970-01-01 was a Thursday; Spark numbers Sunday 1 … Saturday 7.
                        let w = (Int(d[i]) % 7 + 7 + 4) % 7
                        o[i] = Int32(w + 1)
                    case .dayOfYear:
                        o[i] = d[i] - DateTimeUtil.daysFromCivil(year: civil.year, month: 1, day: 1) + 1
                    }
                }
            }
        }
        return ColumnVector(type: .int32, count: c.count, storage: .int32(out), validity: c.validity)
    }

    /// `date_add(d, n)` (use negative `n` for `date_sub`).
    public static func addDays(_ c: ColumnVector, _ n: ColumnVector, negate: Bool) -> ColumnVector {
        guard let ds = days(c), case let .int32(ns) = n.storage else { return ColumnVector.nulls(.date, count: c.count) }
        var out = [Int32](repeating: 0, count: c.count)
        for i in 0..<c.count { out[i] = negate ? ds[i] &- ns[i] : ds[i] &+ ns[i] }
        return ColumnVector(type: .date, count: c.count, storage: .int32(out), validity: Validity.and(c.validity, n.validity))
    }

    /// `add_months(d, n)`.
    public static func addMonths(_ c: ColumnVector, _ n: ColumnVector) -> ColumnVector {
        guard let ds = days(c), case let .int32(ns) = n.storage else { return ColumnVector.nulls(.date, count: c.count) }
        var out = [Int32](repeating: 0, count: c.count)
        for i in 0..<c.count { out[i] = DateTimeUtil.addMonths(ds[i], Int(ns[i])) }
        return ColumnVector(type: .date, count: c.count, storage: .int32(out), validity: Validity.and(c.validity, n.validity))
    }

    /// `datediff(end, start)` in days.
    public static func diff(_ end: ColumnVector, _ start: ColumnVector) -> ColumnVector {
        guard let e = days(end), let s = days(start) else { return ColumnVector.nulls(.int32, count: end.count) }
        var out = [Int32](repeating: 0, count: end.count)
        for i in 0..<end.count { out[i] = e[i] &- s[i] }
        return ColumnVector(type: .int32, count: end.count, storage: .int32(out), validity: Validity.and(end.validity, start.validity))
    }

    /// `last_day(d)`.
    public static func lastDay(_ c: ColumnVector) -> ColumnVector {
        guard let ds = days(c) else { return ColumnVector.nulls(.date, count: c.count) }
        let out = ds.map { d -> Int32 in
            let civil = DateTimeUtil.civil(fromDays: d)
            return DateTimeUtil.daysFromCivil(year: civil.year, month: civil.month,
                                              day: DateTimeUtil.daysInMonth(year: civil.year, month: civil.month))
        }
        return ColumnVector(type: .date, count: c.count, storage: .int32(out), validity: c.validity)
    }

    /// `trunc(d, 'year' | 'quarter' | 'month' | 'week')`; nil for an unknown unit.
    public static func truncate(_ c: ColumnVector, unit: String) -> ColumnVector? {
        guard let ds = days(c) else { return nil }
        let u = unit.lowercased()
        guard ["year", "yyyy", "yy", "quarter", "month", "mon", "mm", "week"].contains(u) else { return nil }
        let out = ds.map { d -> Int32 in
            let civil = DateTimeUtil.civil(fromDays: d)
            switch u {
            case "year", "yyyy", "yy": return DateTimeUtil.daysFromCivil(year: civil.year, month: 1, day: 1)
            case "quarter": return DateTimeUtil.daysFromCivil(year: civil.year, month: (civil.month - 1) / 3 * 3 + 1, day: 1)
            case "week":
                // Monday-based weeks.
                let w = (Int(d) % 7 + 7 + 3) % 7
                return d - Int32(w)
            default: return DateTimeUtil.daysFromCivil(year: civil.year, month: civil.month, day: 1)
            }
        }
        return ColumnVector(type: .date, count: c.count, storage: .int32(out), validity: c.validity)
    }
}
