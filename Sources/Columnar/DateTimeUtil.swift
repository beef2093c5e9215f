/// Calendar arithmetic on the proleptic Gregorian calendar (as Spark 3 uses), in UTC.
public enum DateTimeUtil {
    /// Microseconds per day.
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    @inlinable public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(truncatingIfNeeded: era * 146_097 + doe - 719_468)
    }

    /// The civil date of a day number.
    @inlinable public static func civil(fromDays days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The number of days in a month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Spark's `add_months`: the same day of month, clamped to the month's last day.
    public static func addMonths(_ days: Int32, _ months: Int) -> Int32 {
        let c = civil(fromDays: days)
        let total = c.year * 12 + (c.month - 1) + months
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        return daysFromCivil(year: y, month: m, day: min(c.day, daysInMonth(year: y, month: m)))
    }

    /// `yyyy-MM-dd`.
    public static func formatDate(_ days: Int32) -> String {
        let c = civil(fromDays: days)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `yyyy-MM-dd HH:mm:ss[.ffffff]` in UTC, trailing zero fractions dropped as Spark does.
    public static func formatTimestamp(_ micros: Int64) -> String {
        var days = micros / microsPerDay
        var rem = micros % microsPerDay
        if rem < 0 {
            rem += microsPerDay
            days -= 1
        }
        let secs = rem / 1_000_000
        let frac = rem % 1_000_000
        var s = formatDate(Int32(truncatingIfNeeded: days)) + " " + pad(Int(secs / 3600), 2) + ":"
            + pad(Int(secs / 60 % 60), 2) + ":" + pad(Int(secs % 60), 2)
        if frac != 0 {
            var f = pad(Int(frac), 6)
            while f.hasSuffix("0") { f.removeLast() }
            s += "." + f
        }
        return s
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        let p = s.count < width ? String(repeating: "0", count: width - s.count) + s : s
        return v < 0 ? "-" + p : p
    }

    /// Parses `yyyy-[m]m-[d]d` (optionally followed by `T…` or ` …`, ignored, as Spark's
    /// `to_date` does). Nil when malformed or not a real calendar day.
    public static func parseDate(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        var i = 0
        let n = b.count
        while i < n && b[i] == 0x20 { i += 1 }
        func number(_ maxDigits: Int) -> Int? {
            var v = 0
            var k = 0
            while i < n, k < maxDigits, b[i] >= 0x30, b[i] <= 0x39 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
                k += 1
            }
            return k == 0 ? nil : v
        }
        guard let y = number(4), i < n, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let m = number(2), i < n, b[i] == UInt8(ascii: "-") else { return nil }
        i += 1
        guard let d = number(2) else { return nil }
        var end = n
        while end > i && b[end - 1] == 0x20 { end -= 1 }
        if i < end && b[i] != UInt8(ascii: "T") && b[i] != 0x20 { return nil }
        guard m >= 1, m <= 12, d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return daysFromCivil(year: y, month: m, day: d)
    }

    /// Parses `yyyy-MM-dd[( |T)HH:mm[:ss[.ffffff]]][zone]` as UTC microseconds (a time without
    /// a zone is read as UTC).
    public static func parseTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard let p = parseTimestampParts(b) else { return nil }
        return p.local - (p.offsetMicros ?? 0)
    }

    /// Parses a timestamp into its wall-clock time (microseconds as if UTC) and, when the text
    /// ends with a zone (`Z`, `+01:00`), that zone's offset in microseconds.
    public static func parseTimestampParts(_ b: UnsafeBufferPointer<UInt8>) -> (local: Int64, offsetMicros: Int64?)? {
        guard let days = parseDate(b) else { return nil }
        // Find where the date part ended.
        var i = 0
        let n = b.count
        while i < n && b[i] == 0x20 { i += 1 }
        var dashes = 0
        while i < n {
            if b[i] == UInt8(ascii: "-") { dashes += 1 }
            if dashes == 2 && (b[i] == UInt8(ascii: "T") || b[i] == 0x20) { break }
            i += 1
        }
        var micros = Int64(days) * microsPerDay
        guard i < n else { return (micros, nil) }
        i += 1
        var end = n
        while end > i && b[end - 1] == 0x20 { end -= 1 }
        if i >= end { return (micros, nil) }
        // A zone suffix: `Z`, or `+HH:MM` / `-HH:MM` / `+HHMM` / `+HH` after the time.
        var offsetMicros: Int64? = nil
        if b[end - 1] == UInt8(ascii: "Z") {
            offsetMicros = 0
            end -= 1
        } else {
            var k = end - 1
            while k > i && b[k] != UInt8(ascii: "+") && b[k] != UInt8(ascii: "-") { k -= 1 }
            if k > i {
                var digits: [Int64] = []
                for j in (k + 1)..<end where b[j] != UInt8(ascii: ":") {
                    guard b[j] >= 0x30 && b[j] <= 0x39 else { return nil }
                    digits.append(Int64(b[j] - 0x30))
                }
                guard digits.count == 2 || digits.count == 4 else { return nil }
                let hh = digits[0] * 10 + digits[1]
                let mm = digits.count == 4 ? digits[2] * 10 + digits[3] : 0
                guard hh <= 18, mm < 60 else { return nil }
                offsetMicros = (hh * 60 + mm) * 60_000_000 * (b[k] == UInt8(ascii: "-") ? -1 : 1)
                end = k
            }
        }
        var parts: [Int64] = [0, 0, 0]
        var idx = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var inFrac = false
        var digitsInPart = 0
        while i < end {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                if inFrac {
                    if fracDigits < 6 {
                        frac = frac * 10 + Int64(c - 0x30)
                        fracDigits += 1
                    }
                } else {
                    parts[idx] = parts[idx] * 10 + Int64(c - 0x30)
                    digitsInPart += 1
                    if digitsInPart > 2 { return nil }
                }
            } else if c == UInt8(ascii: ":") && !inFrac && idx < 2 {
                idx += 1
                digitsInPart = 0
            } else if c == UInt8(ascii: ".") && idx == 2 && !inFrac {
                inFrac = true
            } else {
                return nil
            }
            i += 1
        }
        guard parts[0] < 24, parts[1] < 60, parts[2] < 60 else { return nil }
        while fracDigits < 6 {
            frac *= 10
            fracDigits += 1
        }
        micros += ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1_000_000 + frac
        return (micros, offsetMicros)
    }
}
