// INTERVAL literals in their Spark spellings:
//   INTERVAL '3' DAY, INTERVAL 3 DAYS, INTERVAL 1 YEAR 2 MONTHS, INTERVAL '1 day 2 hours',
//   INTERVAL '1-2' YEAR TO MONTH, INTERVAL '1 10:30:00' DAY TO SECOND, INTERVAL '10:30' HOUR TO MINUTE.

/// An interval unit and how it maps onto Spark's (months, days, microseconds).
enum IntervalUnit: String, CaseIterable {
    case year = "YEAR", month = "MONTH", week = "WEEK", day = "DAY", hour = "HOUR", minute = "MINUTE"
    case second = "SECOND", millisecond = "MILLISECOND", microsecond = "MICROSECOND"

    /// Accepts singular and plural spellings in any case.
    init?(word: String) {
        var w = word.uppercased()
        if w.hasSuffix("S"), IntervalUnit(rawValue: String(w.dropLast())) != nil { w.removeLast() }
        self.init(rawValue: w)
    }
}

extension SQLInterval {
    /// Adds `value` (a decimal text such as "3", "-1", "1.5") of `unit`, failing on overflow or on a
    /// fraction where the unit cannot take one.
    mutating func add(_ text: String, _ unit: IntervalUnit) -> Bool {
        let negative = text.hasPrefix("-")
        let unsigned = negative || text.hasPrefix("+") ? String(text.dropFirst()) : text
        let pieces = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count <= 2, let whole = Int64(pieces[0].isEmpty ? "0" : pieces[0]) else { return false }
        var fractionMicros: Int64 = 0
        if pieces.count == 2 {
            // Only units finer than a day take fractions; they are kept to microseconds.
            let perUnit: Int64
            switch unit {
            case .hour: perUnit = 3_600_000_000
            case .minute: perUnit = 60_000_000
            case .second: perUnit = 1_000_000
            case .millisecond: perUnit = 1_000
            default: return false
            }
            let digits = pieces[1].prefix(9)
            guard digits.allSatisfy(\.isNumber), let f = Int64(digits.isEmpty ? "0" : String(digits)) else { return false }
            var scale: Int64 = 1
            for _ in 0..<digits.count { scale *= 10 }
            fractionMicros = f * perUnit / scale
        }
        let sign: Int64 = negative ? -1 : 1
        func micros(_ per: Int64) -> Int64? {
            let (m, o1) = whole.multipliedReportingOverflow(by: per)
            let (t, o2) = m.addingReportingOverflow(fractionMicros)
            return o1 || o2 ? nil : t * sign
        }
        switch unit {
        case .year, .month:
            let factor: Int64 = unit == .year ? 12 : 1
            guard whole <= Int64(Int32.max), let v = Int32(exactly: whole * factor * sign) else { return false }
            let (r, o) = months.addingReportingOverflow(v)
            if o { return false }
            months = r
        case .week, .day:
            let factor: Int64 = unit == .week ? 7 : 1
            guard whole <= Int64(Int32.max), let v = Int32(exactly: whole * factor * sign) else { return false }
            let (r, o) = days.addingReportingOverflow(v)
            if o { return false }
            days = r
        case .hour, .minute, .second, .millisecond, .microsecond:
            let per: Int64
            switch unit {
            case .hour: per = 3_600_000_000
            case .minute: per = 60_000_000
            case .second: per = 1_000_000
            case .millisecond: per = 1_000
            default: per = 1
            }
            guard let v = micros(per) else { return false }
            let (r, o) = microseconds.addingReportingOverflow(v)
            if o { return false }
            microseconds = r
        }
        return true
    }
}

extension Parser {
    /// Parses what follows the INTERVAL keyword.
    mutating func parseIntervalBody(start: SourceLocation) throws -> SQLInterval {
        var interval = SQLInterval()
        var components = 0
        while true {
            let valueLocation = current.location
            var text: String
            var isString = false
            var negative = false
            if current.isSymbol("-"), !peek().isNameToken {
                negative = true
                advance()
            }
            switch current.kind {
            case .integer(let n), .decimal(let n): text = n
            case .string(let s): text = s.trimmingSpaces; isString = true
            default:
                if components == 0 { throw expected("interval value") }
                return interval
            }
            advance()
            if negative { text = text.hasPrefix("-") ? String(text.dropFirst()) : "-" + text }
            guard case .word(let w) = current.kind, let unit = IntervalUnit(word: w) else {
                guard isString, components == 0 else { throw expected("interval unit (YEAR, MONTH, DAY, …)") }
                // INTERVAL '1 day 2 hours': the units are inside the string.
                return try Self.parseIntervalText(text, at: valueLocation)
            }
            advance()
            if consumeKeyword("TO") {
                guard isString else { throw expected("a string before YEAR TO MONTH / DAY TO SECOND") }
                guard case .word(let w2) = current.kind, let last = IntervalUnit(word: w2) else {
                    throw expected("interval unit after TO")
                }
                advance()
                guard let ranged = Self.parseRangedInterval(text, from: unit, to: last) else {
                    throw SQLError("invalid interval '\(text)' for \(unit.rawValue) TO \(last.rawValue)", at: valueLocation)
                }
                return ranged
            }
            guard interval.add(text, unit) else {
                throw SQLError("invalid interval value '\(text)' for \(unit.rawValue)", at: valueLocation)
            }
            components += 1
        }
    }

    /// Parses interval text with units inside: `1 day 2 hours`, `-3 months`, `interval 1 week`.
    static func parseIntervalText(_ text: String, at location: SourceLocation) throws -> SQLInterval {
        var words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.first?.uppercased() == "INTERVAL" { words.removeFirst() }
        guard !words.isEmpty, words.count % 2 == 0 else {
            throw SQLError("invalid interval string '\(text)'", at: location)
        }
        var interval = SQLInterval()
        for i in stride(from: 0, to: words.count, by: 2) {
            guard let unit = IntervalUnit(word: words[i + 1]), interval.add(words[i], unit) else {
                throw SQLError("invalid interval string '\(text)'", at: location)
            }
        }
        return interval
    }

    /// `'y-m' YEAR TO MONTH`, `'d h:m:s' DAY TO SECOND` and the other ranged forms.
    static func parseRangedInterval(_ text: String, from: IntervalUnit, to: IntervalUnit) -> SQLInterval? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        let order: [IntervalUnit] = [.year, .month, .day, .hour, .minute, .second]
        guard let a = order.firstIndex(of: from), let b = order.firstIndex(of: to), a < b else { return nil }
        let units = Array(order[a...b])
        if units.contains(.year) || units.contains(.month) {
            guard from == .year, to == .month else { return nil }
        }
        // Split on the separators of the form: '-' between year and month, ' ' after day, ':' below.
        var values: [String] = []
        var piece = ""
        for ch in body {
            if ch == "-" || ch == " " || ch == ":" {
                values.append(piece)
                piece = ""
            } else {
                piece.append(ch)
            }
        }
        values.append(piece)
        guard values.count == units.count else { return nil }
        var interval = SQLInterval()
        for (value, unit) in zip(values, units) {
            guard !value.isEmpty, interval.add(negative ? "-" + value : value, unit) else { return nil }
        }
        return interval
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
