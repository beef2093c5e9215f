/// Splits a plain record into fields, eight bytes at a time.
///
/// Most records of most files are plain: unquoted fields, and quoted fields with no doubled
/// quote, escape or newline inside. Then a field ends at the next delimiter, a quoted field at
/// the next quote, and the record at the next newline, all found with byte masks over 64-bit
/// words (SWAR), so the loop branches once per field rather than once per byte. Any other
/// record is left to `CSVFieldSplitter`, which knows every quoting and escaping rule.
struct CSVFastSplitter {
    let delimiter: UInt8
    let quote: UInt8
    let escape: UInt8
    private let delimiters: UInt64
    private let quotes: UInt64
    private let escapes: UInt64
    private static let newlines = ByteMask.broadcast(0x0A)

    init(delimiter: UInt8, quote: UInt8, escape: UInt8) {
        self.delimiter = delimiter
        self.quote = quote
        self.escape = escape
        delimiters = ByteMask.broadcast(delimiter)
        quotes = ByteMask.broadcast(quote)
        escapes = ByteMask.broadcast(escape)
    }

    /// Whether the options allow this splitter at all (a delimiter that is also the quote, a
    /// newline or a CR makes every record a case for the general splitter).
    var usable: Bool { delimiter != quote && delimiter != 0x0A && delimiter != 0x0D && quote != 0x0A }

    /// Splits the record starting at `start` (the bytes end at `n`). Fills `fields` with up to
    /// `capacity` spans and sets `count` to the number of fields the record has. Returns the
    /// offset of the newline ending the record (or `n`), or nil when the record is not plain.
    @inline(__always)
    func split(_ base: UnsafePointer<UInt8>, _ start: Int, _ n: Int, fields: UnsafeMutablePointer<FieldSpan>,
               capacity: Int, count: inout Int) -> Int? {
        count = 0
        var fieldStart = start
        fields: while true {
            if fieldStart < n && base[fieldStart] == quote {
                guard let close = closingQuote(base, from: fieldStart + 1, n) else { return nil }
                let after = close + 1
                guard after == n || base[after] == delimiter || base[after] == 0x0A else { return nil }
                if count < capacity { fields[count] = FieldSpan(start: fieldStart + 1, end: close, quoted: true, inScratch: false) }
                count += 1
                if after == n || base[after] == 0x0A { return after }
                fieldStart = after + 1
                continue
            }
            // Unquoted fields: every delimiter, newline or quote of a word is handled before the
            // next word is loaded, so short fields cost no extra loads.
            var i = fieldStart
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                var hits = ByteMask.equal(word, delimiters) | ByteMask.equal(word, Self.newlines) | ByteMask.equal(word, quotes)
                while hits != 0 {
                    let k = i + hits.trailingZeroBitCount >> 3
                    hits &= hits &- 1
                    if k < fieldStart { continue }
                    let c = base[k]
                    if c == quote {
                        if k == fieldStart { continue fields }  // a quoted field starts here
                        return nil  // a quote inside an unquoted field
                    }
                    if count < capacity { fields[count] = FieldSpan(start: fieldStart, end: k, quoted: false, inScratch: false) }
                    count += 1
                    if c != delimiter { return k }
                    fieldStart = k + 1
                }
                i += 8
            }
            while i < n {
                let c = base[i]
                if c == quote {
                    if i == fieldStart { continue fields }
                    return nil
                }
                if c == delimiter || c == 0x0A {
                    if count < capacity { fields[count] = FieldSpan(start: fieldStart, end: i, quoted: false, inScratch: false) }
                    count += 1
                    if c == 0x0A { return i }
                    fieldStart = i + 1
                }
                i += 1
            }
            if count < capacity { fields[count] = FieldSpan(start: fieldStart, end: n, quoted: false, inScratch: false) }
            count += 1
            return n
        }
    }

    /// The closing quote of a quoted field whose content starts at `from`, or nil when the
    /// content holds an escape or a newline, or never closes.
    @inline(__always)
    private func closingQuote(_ base: UnsafePointer<UInt8>, from: Int, _ n: Int) -> Int? {
        let k = next(base, from: from, n, quotes, escapes, Self.newlines)
        return k < n && base[k] == quote ? k : nil
    }

    /// The first offset at or after `from` holding one of the three bytes repeated in the
    /// patterns, or `n`.
    @inline(__always)
    private func next(_ base: UnsafePointer<UInt8>, from: Int, _ n: Int, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> Int {
        var i = from
        while i + 8 <= n {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let hits = ByteMask.equal(word, a) | ByteMask.equal(word, b) | ByteMask.equal(word, c)
            if hits != 0 { return i + hits.trailingZeroBitCount >> 3 }
            i += 8
        }
        let x = UInt8(truncatingIfNeeded: a), y = UInt8(truncatingIfNeeded: b), z = UInt8(truncatingIfNeeded: c)
        while i < n {
            let v = base[i]
            if v == x || v == y || v == z { return i }
            i += 1
        }
        return n
    }
}
