import Columnar

/// Spark's regular-expression functions (`rlike`, `regexp_replace`, `regexp_extract`, …). Patterns
/// use the Java syntax Spark takes, which Swift's regular expressions share for everything common
/// (classes, `\d \w \s \b`, groups, lookaround, `(?i)` flags); matching is by code point, as in Java.
enum RegexFunctions {
    static let all: [String: ScalarFunction] = [
        "rlike": ScalarFunction(2...2, [.string], returns: .boolean, like),
        "regexp": ScalarFunction(2...2, [.string], returns: .boolean, like),
        "regexp_like": ScalarFunction(2...2, [.string], returns: .boolean, like),
        "regexp_replace": ScalarFunction(3...4, [.string, .string, .string, .int32], returns: .string, replace),
        "regexp_extract": ScalarFunction(2...3, [.string, .string, .int32], returns: .string) { c in try extract(c) },
        "regexp_extract_all": ScalarFunction(2...3, [.string, .string, .int32],
                                             returns: .array(element: .string, containsNull: true), extractAll),
        "regexp_count": ScalarFunction(2...2, [.string], returns: .int32, count),
        "regexp_substr": ScalarFunction(2...2, [.string], returns: .string, substr),
        "regexp_instr": ScalarFunction(2...3, [.string, .string, .int32], returns: .int32, instr),
    ]

    /// Compiles patterns once per distinct text within a batch (usually once: the pattern is a constant).
    struct Patterns {
        let name: String
        private var last: (String, Regex<AnyRegexOutput>)?

        init(_ name: String) { self.name = name }

        mutating func regex(_ text: String) throws -> Regex<AnyRegexOutput> {
            if let (t, r) = last, t == text { return r }
            do {
                let r = try Regex(text).matchingSemantics(.unicodeScalar)
                last = (text, r)
                return r
            } catch {
                throw EngineError.execution("\(name): '\(text)' is not a valid regular expression: \(error)")
            }
        }
    }

    /// Evaluates row by row: `body` gets the row's text, its compiled pattern and the group the
    /// third argument asks for (`defaultGroup` without one); null rows stay null.
    private static func eachRow(_ c: ScalarCall, defaultGroup: Int = 0,
                                _ body: (String, Regex<AnyRegexOutput>, Int, inout ColumnBuilder) throws -> Void) throws -> ColumnVector {
        let s = c.strings(0), p = c.strings(1)
        let groups = c.args.count > 2 ? c.ints(2) : nil
        var patterns = Patterns(c.name)
        return try c.map { row, out in
            try body(s.string(row), try patterns.regex(p.string(row)), Int(groups?[row] ?? Int64(defaultGroup)), &out)
        }
    }

    /// `str RLIKE pattern`: whether the pattern matches anywhere in the string.
    static func like(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c) { str, re, _, out in out.appendBool(str.firstMatch(of: re) != nil) }
    }

    /// `regexp_replace(str, pattern, replacement[, position])`: every match from character `position`
    /// on replaced; `$n` in the replacement is group n, `\` takes the next character literally.
    static func replace(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0), p = c.strings(1), r = c.strings(2)
        let positions = c.args.count > 3 ? c.ints(3) : nil
        var patterns = Patterns(c.name)
        return try c.map { row, out in
            let re = try patterns.regex(p.string(row))
            let str = s.string(row)
            let position = Int(positions?[row] ?? 1)
            guard position >= 1 else {
                throw EngineError.execution("regexp_replace: the position must be at least 1, not \(position)")
            }
            let template = Array(r.string(row))
            let startIndex = str.unicodeScalars.index(str.startIndex, offsetBy: position - 1, limitedBy: str.endIndex)
            guard let start = startIndex else { out.appendString(str); return }
            var result = String.UnicodeScalarView(str.unicodeScalars[..<start])
            var cursor = start
            for m in str[start...].matches(of: re) {
                result.append(contentsOf: str.unicodeScalars[cursor..<m.range.lowerBound])
                var replacement = ""
                try appendReplacement(template, m, to: &replacement)
                result.append(contentsOf: replacement.unicodeScalars)
                cursor = m.range.upperBound
            }
            result.append(contentsOf: str.unicodeScalars[cursor...])
            out.appendString(String(result))
        }
    }

    private static func appendReplacement(_ template: [Character], _ m: Regex<AnyRegexOutput>.Match,
                                          to result: inout String) throws {
        var i = 0
        while i < template.count {
            let ch = template[i]
            if ch == "\\" && i + 1 < template.count {
                result.append(template[i + 1])
                i += 2
            } else if ch == "$" && i + 1 < template.count, let d = template[i + 1].wholeNumberValue {
                var group = d
                i += 2
                // Further digits extend the group number while such a group exists (Java's rule).
                while i < template.count, let next = template[i].wholeNumberValue, group * 10 + next < m.output.count {
                    group = group * 10 + next
                    i += 1
                }
                guard group < m.output.count else {
                    throw EngineError.execution("regexp_replace: no group \(group) in the pattern")
                }
                if let sub = m.output[group].substring { result += sub }
            } else {
                result.append(ch)
                i += 1
            }
        }
    }

    /// `regexp_extract(str, pattern[, group])`: group `group` (1 by default, 0 = the whole match) of
    /// the first match; empty when nothing matches.
    static func extract(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c, defaultGroup: 1) { str, re, group, out in
            guard let m = str.firstMatch(of: re) else { out.appendBytes(EmptyCollection()); return }
            try checkGroup(group, m.output.count - 1)
            out.appendString(m.output[group].substring.map(String.init) ?? "")
        }
    }

    /// `regexp_extract_all(str, pattern[, group])`: group `group` of every match.
    static func extractAll(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c, defaultGroup: 1) { str, re, group, out in
            let matches = str.matches(of: re)
            if let first = matches.first { try checkGroup(group, first.output.count - 1) }
            out.appendList { list in
                for m in matches { list.appendString(m.output[group].substring.map(String.init) ?? "") }
            }
        }
    }

    private static func checkGroup(_ group: Int, _ count: Int) throws {
        guard group >= 0, group <= count else {
            throw EngineError.execution("the regular expression has \(count) groups, but group \(group) was asked for")
        }
    }

    /// `regexp_count(str, pattern)`: how many times the pattern matches.
    static func count(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c) { str, re, _, out in out.appendInt(Int64(str.matches(of: re).count)) }
    }

    /// `regexp_substr(str, pattern)`: the first match, null when none.
    static func substr(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c) { str, re, _, out in
            if let m = str.firstMatch(of: re) { out.appendString(String(m.output[0].substring ?? "")) } else { out.appendNull() }
        }
    }

    /// `regexp_instr(str, pattern[, group])`: the 1-based character position of the first match (or of
    /// its group), 0 when none.
    static func instr(_ c: ScalarCall) throws -> ColumnVector {
        try eachRow(c) { str, re, group, out in
            guard let m = str.firstMatch(of: re) else { out.appendInt(0); return }
            try checkGroup(group, m.output.count - 1)
            guard let range = m.output[group].range else { out.appendInt(0); return }
            out.appendInt(Int64(str.unicodeScalars[str.startIndex..<range.lowerBound].count + 1))
        }
    }
}
