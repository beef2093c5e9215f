import Columnar

/// Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `dd/MMM/yyyy`, `EEEE`, `XXX`) for
/// `date_format`, `to_date`, `to_timestamp`, `unix_timestamp` and `from_unixtime`.
///
/// Formatting works on a wall-clock time; parsing is strict as Spark 3's: the whole text must
/// match, fields of two or more letters take exactly that many digits (one letter takes one or
/// more), and an impossible date gives nil (null in SQL).
public struct DateTimePattern: Hashable, Sendable {
    enum Item: Hashable, Sendable {
        case literal(String)
        case field(Character, Int)
    }

    let items: [Item]

    static let letters: Set<Character> = ["y", "M", "L", "d", "D", "H", "h", "k", "K", "m", "s", "S", "a", "E", "X", "x",
                                          "Z", "z", "V", "Q"]
    static let monthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    static let daysShort = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let daysLong = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Compiles a pattern; throws for letters Spark does not accept.
    public init(_ pattern: String) throws {
        var out: [Item] = []
        let chars = Array(pattern)
        var i = 0
        var literal = ""
        func flush() {
            if !literal.isEmpty { out.append(.literal(literal)) }
            literal = ""
        }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                if i + 1 < chars.count && chars[i + 1] == "'" {
                    literal.append("'")
                    i += 2
                    continue
                }
                i += 1
                while i < chars.count {
                    if chars[i] == "'" {
                        if i + 1 < chars.count && chars[i + 1] == "'" {
                            literal.append("'")
                            i += 2
                            continue
                        }
                        break
                    }
                    literal.append(chars[i])
                    i += 1
                }
                i += 1
            } else if c.isLetter && c.isASCII {
                guard Self.letters.contains(c) else {
                    throw EngineError.analysis("[INVALID_DATETIME_PATTERN] Unrecognized datetime pattern letter '\(c)' in "
                                               + "'\(pattern)'.", position: nil)
                }
                flush()
                var n = 1
                while i + n < chars.count && chars[i + n] == c { n += 1 }
                out.append(.field(c, n))
                i += n
            } else {
                literal.append(c)
                i += 1
            }
        }
        flush()
        items = out
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(abs(v))
        let p = s.count < width ? String(repeating: "0", count: width - s.count) + s : s
        return v < 0 ? "-" + p : p
    }

    /// Formats a wall-clock time (microseconds as if UTC) whose zone is `offsetSeconds` from UTC
    /// and named `zoneID`.
    public func format(local: Int64, offsetSeconds: Int, zoneID: String) -> String {
        let days = Int32(truncatingIfNeeded: local.dividedRoundingDown(by: DateTimeUtil.microsPerDay))
        let micros = local - Int64(days) * DateTimeUtil.microsPerDay
        let c = DateTimeUtil.civil(fromDays: days)
        let hour = Int(micros / 3_600_000_000), minute = Int(micros / 60_000_000 % 60), second = Int(micros / 1_000_000 % 60)
        let fraction = Int(micros % 1_000_000)
        var out = ""
        for item in items {
            switch item {
            case let .literal(s): out += s
            case let .field(ch, n):
                switch ch {
                case "y": out += n == 2 ? Self.pad(c.year % 100, 2) : Self.pad(c.year, n)
                case "M", "L":
                    if n >= 4 { out += Self.monthsLong[c.month - 1] } else if n == 3 { out += Self.monthsShort[c.month - 1] }
                    else { out += Self.pad(c.month, n) }
                case "d": out += Self.pad(c.day, n)
                case "D":
                    let doy = Int(days - DateTimeUtil.daysFromCivil(year: c.year, month: 1, day: 1)) + 1
                    out += Self.pad(doy, n)
                case "Q": out += Self.pad((c.month - 1) / 3 + 1, n)
                case "H": out += Self.pad(hour, n)
                case "k": out += Self.pad(hour == 0 ? 24 : hour, n)
                case "K": out += Self.pad(hour % 12, n)
                case "h": out += Self.pad(hour % 12 == 0 ? 12 : hour % 12, n)
                case "m": out += Self.pad(minute, n)
                case "s": out += Self.pad(second, n)
                case "S":
                    let digits = Self.pad(fraction, 6)
                    out += n <= 6 ? String(digits.prefix(n)) : digits + String(repeating: "0", count: n - 6)
                case "a": out += hour < 12 ? "AM" : "PM"
                case "E":
                    // 1970-01-01 was a Thursday (index 3 from Monday).
                    let dow = Int((Int64(days) + 3).dividedRoundingDown(by: 7) * -7 + Int64(days) + 3)
                    out += n >= 4 ? Self.daysLong[dow] : Self.daysShort[dow]
                case "X", "x", "Z": out += Self.offsetText(offsetSeconds, ch, n)
                case "z", "V": out += zoneID
                default: break
                }
            }
        }
        return out
    }

    static func offsetText(_ seconds: Int, _ ch: Character, _ n: Int) -> String {
        if seconds == 0 && ch == "X" { return "Z" }
        let sign = seconds < 0 ? "-" : "+"
        let h = abs(seconds) / 3600, m = abs(seconds) / 60 % 60
        switch (ch, n) {
        case ("Z", _) where n <= 3: return sign + pad(h, 2) + pad(m, 2)
        case ("Z", _): return seconds == 0 ? "Z" : "GMT" + sign + pad(h, 2) + ":" + pad(m, 2)
        case (_, 1): return sign + pad(h, 2) + (m != 0 ? pad(m, 2) : "")
        case (_, 2): return sign + pad(h, 2) + pad(m, 2)
        default: return sign + pad(h, 2) + ":" + pad(m, 2)
        }
    }

    /// Parses text into a wall-clock time and, when the pattern holds a zone field, the offset
    /// it gave (seconds). Nil when the text does not match or names an impossible date.
    public func parse(_ text: String) -> (local: Int64, offsetSeconds: Int?)? {
        let chars = Array(text)
        var i = 0
        var year = 1970, month = 1, day = 1, dayOfYear: Int? = nil
        var hour = 0, minute = 0, second = 0, fraction = 0
        var hour12: Int? = nil, pm: Bool? = nil
        var offset: Int? = nil
        func digits(_ minCount: Int, _ maxCount: Int) -> Int? {
            var v = 0, k = 0
            while i < chars.count, k < maxCount, let d = chars[i].wholeNumberValue, chars[i].isASCII {
                v = v * 10 + d
                i += 1
                k += 1
            }
            return k >= minCount ? v : nil
        }
        func word(_ names: [String]) -> Int? {
            for (index, name) in names.enumerated() {
                let end = i + name.count
                if end <= chars.count, String(chars[i..<end]).lowercased() == name.lowercased() {
                    i = end
                    return index
                }
            }
            return nil
        }
        for (index, item) in items.enumerated() {
            // A one-letter field followed directly by another number field takes no more than two digits.
            var nextIsNumber = false
            if index + 1 < items.count, case let .field(nc, nn) = items[index + 1], !"aEXxZzV".contains(nc), !(nc == "M" && nn >= 3) {
                nextIsNumber = true
            }
            switch item {
            case let .literal(s):
                for ch in s {
                    guard i < chars.count, chars[i] == ch else { return nil }
                    i += 1
                }
            case let .field(ch, n):
                let (lo, hi) = n == 1 ? (1, nextIsNumber ? 2 : 9) : (n, n)
                switch ch {
                case "y":
                    guard let v = n == 2 ? digits(2, 2) : digits(n == 1 ? 1 : n, n == 1 ? (nextIsNumber ? 4 : 9) : max(n, 4))
                    else { return nil }
                    year = n == 2 ? 2000 + v : v
                case "M", "L":
                    if n >= 3 {
                        guard let m = word(n == 3 ? Self.monthsShort : Self.monthsLong) else { return nil }
                        month = m + 1
                    } else {
                        guard let v = digits(lo, min(hi, 2)) else { return nil }
                        month = v
                    }
                case "d": guard let v = digits(lo, min(hi, 2)) else { return nil }; day = v
                case "D": guard let v = digits(lo, min(hi, 3)) else { return nil }; dayOfYear = v
                case "H", "k": guard let v = digits(lo, min(hi, 2)) else { return nil }; hour = ch == "k" && v == 24 ? 0 : v
                case "h", "K": guard let v = digits(lo, min(hi, 2)) else { return nil }; hour12 = v
                case "m": guard let v = digits(lo, min(hi, 2)) else { return nil }; minute = v
                case "s": guard let v = digits(lo, min(hi, 2)) else { return nil }; second = v
                case "S":
                    let start = i
                    guard let v = digits(1, n) else { return nil }
                    var f = v
                    for _ in 0..<(6 - min(6, i - start)) { f *= 10 }
                    fraction = i - start > 6 ? v / Self.power10(i - start - 6) : f
                case "a":
                    guard let v = word(["AM", "PM"]) else { return nil }
                    pm = v == 1
                case "E":
                    guard word(n >= 4 ? Self.daysLong : Self.daysShort) != nil else { return nil }
                case "X", "x", "Z":
                    if i < chars.count, chars[i] == "Z" {
                        i += 1
                        offset = 0
                        continue
                    }
                    guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return nil }
                    let negative = chars[i] == "-"
                    i += 1
                    guard let h = digits(2, 2) else { return nil }
                    var m = 0
                    if i < chars.count, chars[i] == ":" { i += 1 }
                    if let mm = digits(2, 2) { m = mm }
                    offset = (h * 3600 + m * 60) * (negative ? -1 : 1)
                case "Q":
                    guard digits(lo, 1) != nil else { return nil }
                default:
                    return nil
                }
            }
        }
        guard i == chars.count else { return nil }
        if let h = hour12 {
            guard h >= 0, h <= 12 else { return nil }
            hour = (h % 12) + ((pm ?? false) ? 12 : 0)
        } else if pm == true && hour < 12 {
            hour += 12
        }
        guard hour < 24, minute < 60, second < 60 else { return nil }
        let days: Int32
        if let doy = dayOfYear {
            let leap = DateTimeUtil.daysInMonth(year: year, month: 2) == 29
            guard doy >= 1, doy <= (leap ? 366 : 365) else { return nil }
            days = DateTimeUtil.daysFromCivil(year: year, month: 1, day: 1) + Int32(doy - 1)
        } else {
            guard month >= 1, month <= 12, day >= 1, day <= DateTimeUtil.daysInMonth(year: year, month: month) else { return nil }
            days = DateTimeUtil.daysFromCivil(year: year, month: month, day: day)
        }
        // Years far outside the timestamp range wrap rather than trap; such input is not a real instant.
        let micros = Int64(days) &* DateTimeUtil.microsPerDay
            &+ (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * 1_000_000 &+ Int64(fraction)
        return (micros, offset)
    }

    static func power10(_ n: Int) -> Int {
        var p = 1
        for _ in 0..<n { p *= 10 }
        return p
    }
}
