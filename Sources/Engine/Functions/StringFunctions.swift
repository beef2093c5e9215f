import Columnar

/// Spark's string functions beyond the core ones of `StringKernel`: padding, searching, splitting
/// and case. Positions and lengths count characters (code points), as Spark's do.
enum StringFunctions {
    static let all: [String: ScalarFunction] = [
        "lpad": pad(left: true), "rpad": pad(left: false),
        "initcap": ScalarFunction(1...1, [.string], returns: .string, initcap),
        "instr": ScalarFunction(2...2, [.string], returns: .int32, instr),
        "locate": ScalarFunction(2...3, [.string, .string, .int32], returns: .int32, locate),
        "position": ScalarFunction(2...3, [.string, .string, .int32], returns: .int32, locate),
        "translate": ScalarFunction(3...3, [.string], returns: .string, translate),
        "repeat": ScalarFunction(2...2, [.string, .int32], returns: .string, repeatString),
        "right": ScalarFunction(2...2, [.string, .int32], returns: .string, right),
        "split_part": ScalarFunction(3...3, [.string, .string, .int32], returns: .string, splitPart),
        "substring_index": ScalarFunction(3...3, [.string, .string, .int32], returns: .string, substringIndex),
        "btrim": ScalarFunction(1...2, [.string], returns: .string, btrim),
        "octet_length": ScalarFunction(1...1, [nil], returns: .int32) { c in try byteLength(c, bits: false) },
        "bit_length": ScalarFunction(1...1, [nil], returns: .int32) { c in try byteLength(c, bits: true) },
        "levenshtein": ScalarFunction(2...3, [.string, .string, .int32], returns: .int32, levenshtein),
        "elt": ScalarFunction(2...255, [.int32, .string], returns: .string, elt),
        "find_in_set": ScalarFunction(2...2, [.string], returns: .int32, findInSet),
        "soundex": ScalarFunction(1...1, [.string], returns: .string, soundex),
    ]

    /// `lpad(str, len[, pad])` / `rpad`: pads with `pad` (a space by default) to `len` characters, or
    /// cuts to `len` characters when longer; an empty pad leaves a short string as it is.
    static func pad(left: Bool) -> ScalarFunction {
        ScalarFunction(2...3, [.string, .int32, .string], returns: .string) { c in
            let s = c.strings(0), lens = c.ints(1)
            let pads = c.args.count > 2 ? c.strings(2) : nil
            let space: ArraySlice<UInt8> = [0x20]
            var scratch: [UInt8] = []
            return try c.map { row, out in
                let str = s[row], len = Int(lens[row])
                guard len <= EngineLimits.stringBytesMax else {
                    throw EngineError.execution("\(c.name): the length \(len) is larger than \(EngineLimits.stringBytesMax)")
                }
                let padding = pads?[row] ?? space
                let have = UTF8Text.charCount(str)
                if len <= 0 { out.appendBytes(EmptyCollection()); return }
                if have >= len || padding.isEmpty {
                    out.appendBytes(str[str.startIndex..<UTF8Text.index(str, afterChars: len)])
                    return
                }
                scratch.removeAll(keepingCapacity: true)
                if !left { scratch.append(contentsOf: str) }
                var missing = len - have
                let padChars = UTF8Text.charCount(padding)
                while missing >= padChars {
                    scratch.append(contentsOf: padding)
                    missing -= padChars
                }
                scratch.append(contentsOf: padding[padding.startIndex..<UTF8Text.index(padding, afterChars: missing)])
                if left { scratch.append(contentsOf: str) }
                out.appendBytes(scratch)
            }
        }
    }

    /// `initcap(str)`: lower case with the first letter of every space-separated word in upper case.
    static func initcap(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        return c.map { row, out in
            var result = ""
            var atWordStart = true
            for ch in s.string(row).lowercased() {
                result += atWordStart ? ch.uppercased() : String(ch)
                atWordStart = ch == " "
            }
            out.appendString(result)
        }
    }

    /// `instr(str, substr)`: the 1-based character position of the first occurrence, 0 when none.
    static func instr(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), sub = c.strings(1)
        return c.map { row, out in
            let hay = s[row]
            let at = UTF8Text.find(sub[row], in: hay, from: hay.startIndex)
            out.appendInt(at.map { Int64(UTF8Text.charCount(hay[hay.startIndex..<$0]) + 1) } ?? 0)
        }
    }

    /// `locate(substr, str[, pos])`: `instr` from character `pos` on (1-based); 0 when `pos` is
    /// below 1 or null.
    static func locate(_ c: ScalarCall) -> ColumnVector {
        let sub = c.strings(0), s = c.strings(1)
        let starts = c.args.count > 2 ? c.ints(2) : nil
        var out = ColumnBuilder(type: .int32, capacity: c.rowCount)
        for row in 0..<c.rowCount {
            if c.args.count > 2 && c.args[2].isNull(row) { out.appendInt(0); continue }
            if c.args[0].isNull(row) || c.args[1].isNull(row) { out.appendNull(); continue }
            let pos = Int(starts?[row] ?? 1)
            guard pos >= 1 else { out.appendInt(0); continue }
            let hay = s[row]
            let from = UTF8Text.index(hay, afterChars: pos - 1)
            if UTF8Text.charCount(hay[hay.startIndex..<from]) < pos - 1 { out.appendInt(0); continue }
            let at = UTF8Text.find(sub[row], in: hay, from: from)
            out.appendInt(at.map { Int64(UTF8Text.charCount(hay[hay.startIndex..<$0]) + 1) } ?? 0)
        }
        return out.finish()
    }

    /// `translate(str, from, to)`: replaces each character of `from` by the one at the same place in
    /// `to`, and deletes those of `from` beyond the end of `to`.
    static func translate(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), from = c.strings(1), to = c.strings(2)
        var cachedKey: (ArraySlice<UInt8>, ArraySlice<UInt8>)?
        var dict: [Unicode.Scalar: Unicode.Scalar?] = [:]
        return c.map { row, out in
            if cachedKey == nil || cachedKey!.0 != from[row] || cachedKey!.1 != to[row] {
                cachedKey = (from[row], to[row])
                dict = [:]
                let f = UTF8Text.scalars(from[row]), t = UTF8Text.scalars(to[row])
                for (i, ch) in f.enumerated() where dict[ch] == nil { dict[ch] = i < t.count ? t[i] : .some(nil) }
            }
            var result = String.UnicodeScalarView()
            for ch in String(decoding: s[row], as: UTF8.self).unicodeScalars {
                if let mapped = dict[ch] {
                    if let m = mapped { result.append(m) }
                } else {
                    result.append(ch)
                }
            }
            out.appendString(String(result))
        }
    }

    /// `repeat(str, n)`: `str` written `n` times (empty for n ≤ 0).
    static func repeatString(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0), counts = c.ints(1)
        var scratch: [UInt8] = []
        return try c.map { row, out in
            let n = max(0, Int(counts[row]))
            let size = s[row].count.multipliedReportingOverflow(by: n)
            guard !size.overflow, size.partialValue <= EngineLimits.stringBytesMax else {
                throw EngineError.execution("repeat: the result would be longer than \(EngineLimits.stringBytesMax) bytes")
            }
            scratch.removeAll(keepingCapacity: true)
            for _ in 0..<n { scratch.append(contentsOf: s[row]) }
            out.appendBytes(scratch)
        }
    }

    /// `right(str, len)`: the last `len` characters (empty for len ≤ 0).
    static func right(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), lens = c.ints(1)
        return c.map { row, out in
            let str = s[row], len = Int(lens[row])
            let have = UTF8Text.charCount(str)
            if len <= 0 { out.appendBytes(EmptyCollection()); return }
            out.appendBytes(str[UTF8Text.index(str, afterChars: max(0, have - len))...])
        }
    }

    /// `split_part(str, delimiter, n)`: the n-th field (1-based; negative counts from the end), empty
    /// when there is no such field.
    static func splitPart(_ c: ScalarCall) throws -> ColumnVector {
        let s = c.strings(0), d = c.strings(1), parts = c.ints(2)
        return try c.map { row, out in
            let n = Int(parts[row])
            guard n != 0 else { throw EngineError.execution("split_part: the part number must not be 0") }
            let str = s[row], delim = d[row]
            var fields: [Range<Int>] = []
            if delim.isEmpty {
                fields = [str.startIndex..<str.endIndex]
            } else {
                var start = str.startIndex
                while let at = UTF8Text.find(delim, in: str, from: start) {
                    fields.append(start..<at)
                    start = at + delim.count
                }
                fields.append(start..<str.endIndex)
            }
            let index = n > 0 ? n - 1 : fields.count + n
            if index >= 0 && index < fields.count { out.appendBytes(str[fields[index]]) } else { out.appendBytes(EmptyCollection()) }
        }
    }

    /// `substring_index(str, delim, count)`: what precedes the count-th delimiter (count > 0) or
    /// follows the count-th delimiter from the end (count < 0).
    static func substringIndex(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), d = c.strings(1), counts = c.ints(2)
        return c.map { row, out in
            let str = s[row], delim = d[row], n = Int(counts[row])
            guard n != 0, !delim.isEmpty else { out.appendBytes(EmptyCollection()); return }
            if n > 0 {
                var from = str.startIndex, seen = 0
                while let at = UTF8Text.find(delim, in: str, from: from) {
                    seen += 1
                    if seen == n { out.appendBytes(str[str.startIndex..<at]); return }
                    from = at + delim.count
                }
                out.appendBytes(str)
            } else {
                var before = str.endIndex, seen = 0
                while let at = UTF8Text.findLast(delim, in: str, before: before) {
                    seen += 1
                    if seen == -n { out.appendBytes(str[(at + delim.count)...]); return }
                    before = at + delim.count - 1
                }
                out.appendBytes(str)
            }
        }
    }

    /// `btrim(str[, chars])`: removes the characters of `chars` (spaces by default) from both ends.
    static func btrim(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        let sets = c.args.count > 1 ? c.strings(1) : nil
        return c.map { row, out in
            let trim = Set(sets.map { UTF8Text.scalars($0[row]) } ?? [" "])
            let chars = UTF8Text.scalars(s[row])
            var lo = 0, hi = chars.count
            while lo < hi && trim.contains(chars[lo]) { lo += 1 }
            while hi > lo && trim.contains(chars[hi - 1]) { hi -= 1 }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: chars[lo..<hi])
            out.appendString(String(view))
        }
    }

    /// `octet_length` / `bit_length` of a string or binary value.
    static func byteLength(_ c: ScalarCall, bits: Bool) throws -> ColumnVector {
        var arg = c.args[0]
        if arg.type != .string && arg.type != .binary { arg = CastKernel.cast(arg, to: .string) }
        let s = StringArgument(arg)
        return c.map { row, out in out.appendInt(Int64(s[row].count * (bits ? 8 : 1))) }
    }

    /// `levenshtein(a, b[, threshold])`: the edit distance in characters; -1 when it exceeds the
    /// threshold.
    static func levenshtein(_ c: ScalarCall) -> ColumnVector {
        let a = c.strings(0), b = c.strings(1)
        let thresholds = c.args.count > 2 ? c.ints(2) : nil
        var previous: [Int] = [], current: [Int] = []
        return c.map { row, out in
            let x = UTF8Text.scalars(a[row]), y = UTF8Text.scalars(b[row])
            var distance = max(x.count, y.count)
            if !x.isEmpty && !y.isEmpty {
                previous = Array(0...y.count)
                current = [Int](repeating: 0, count: y.count + 1)
                for i in 1...x.count {
                    current[0] = i
                    for j in 1...y.count {
                        let cost = x[i - 1] == y[j - 1] ? 0 : 1
                        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    }
                    swap(&previous, &current)
                }
                distance = previous[y.count]
            }
            if let t = thresholds?[row], distance > t { out.appendInt(-1) } else { out.appendInt(Int64(distance)) }
        }
    }

    /// `elt(n, s1, s2, …)`: the n-th string (1-based), null when out of range.
    static func elt(_ c: ScalarCall) -> ColumnVector {
        let index = c.ints(0)
        let values = (1..<c.args.count).map { c.strings($0) }
        var out = ColumnBuilder(type: .string, capacity: c.rowCount)
        for row in 0..<c.rowCount {
            let n = Int(index[row])
            if c.args[0].isNull(row) || n < 1 || n >= c.args.count || c.args[n].isNull(row) {
                out.appendNull()
            } else {
                out.appendBytes(values[n - 1][row])
            }
        }
        return out.finish()
    }

    /// `find_in_set(str, list)`: the 1-based place of `str` in the comma-separated `list`, 0 when absent
    /// or when `str` holds a comma.
    static func findInSet(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), lists = c.strings(1)
        return c.map { row, out in
            let needle = s[row]
            if needle.contains(UInt8(ascii: ",")) { out.appendInt(0); return }
            var place = 0
            for field in lists[row].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                place += 1
                if field.elementsEqual(needle) { out.appendInt(Int64(place)); return }
            }
            out.appendInt(0)
        }
    }

    /// The American Soundex digit of each letter A–Z: `0` for vowels and Y (they separate equal
    /// digits), `7` for H and W (they do not).
    private static let soundexDigits = Array("01230127022455012623017202".utf8)

    /// `soundex(str)`: the first letter upper-cased and the digits of the next consonant sounds,
    /// padded with 0 to four characters. As in Spark, a string that does not start with an ASCII
    /// letter is returned unchanged, and any other non-letter separates equal digits.
    static func soundex(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0)
        return c.map { row, out in
            let text = s[row]
            guard let first = text.first.map(asciiUpper), first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else {
                out.appendBytes(text)
                return
            }
            var code: [UInt8] = [first, 0x30, 0x30, 0x30]
            var filled = 1
            var last = soundexDigits[Int(first - UInt8(ascii: "A"))]
            for b in text.dropFirst() where filled < 4 {
                let upper = asciiUpper(b)
                guard upper >= UInt8(ascii: "A"), upper <= UInt8(ascii: "Z") else { last = 0x30; continue }
                let digit = soundexDigits[Int(upper - UInt8(ascii: "A"))]
                if digit == UInt8(ascii: "7") { continue }
                if digit != 0x30 && digit != last {
                    code[filled] = digit
                    filled += 1
                }
                last = digit
            }
            out.appendBytes(code)
        }
    }

    @inline(__always) private static func asciiUpper(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") ? b - 32 : b
    }
}
