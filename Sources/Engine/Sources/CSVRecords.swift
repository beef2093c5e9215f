/// Finds record boundaries in CSV bytes, honouring quoted fields that span lines.
struct CSVRecords {
    /// Record `r` is `bytes[starts[r]..<ends[r]]` (line terminator excluded).
    var starts: [Int] = []
    /// Exclusive end of each record.
    var ends: [Int] = []
    /// 1-based line number where each record starts.
    var lines: [Int32] = []

    var count: Int { starts.count }

    /// Splits `bytes` into records; blank lines are skipped, as Spark skips them.
    init(_ bytes: UnsafeBufferPointer<UInt8>, quote: UInt8) {
        let n = bytes.count
        starts.reserveCapacity(n / 64)
        ends.reserveCapacity(n / 64)
        lines.reserveCapacity(n / 64)
        var i = 0
        var line: Int32 = 1
        while i < n {
            let start = i
            let startLine = line
            var inQuotes = false
            while i < n {
                let c = bytes[i]
                if c == quote {
                    inQuotes.toggle()
                } else if c == 0x0A {
                    line += 1
                    if !inQuotes { break }
                }
                i += 1
            }
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start {
                starts.append(start)
                ends.append(end)
                lines.append(startLine)
            }
            i += 1  // past the newline
        }
    }
}

/// Splits one record into fields without allocating: calls `body(fieldIndex, slice, quoted)`
/// for each field; quoted fields are unescaped into `scratch`.
struct CSVFieldSplitter {
    let delimiter: UInt8
    let quote: UInt8
    let escape: UInt8

    /// Returns the number of fields, or throws `FieldError` for an unterminated quote.
    struct FieldError: Error {
        let field: Int
        let message: String
    }

    func split(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, scratch: inout [UInt8],
               _ body: (Int, UnsafeBufferPointer<UInt8>, Bool) throws -> Void) throws -> Int {
        var i = start
        var field = 0
        while true {
            if field >= EngineLimits.csvColumnsMax {
                throw FieldError(field: field, message: "more than \(EngineLimits.csvColumnsMax) fields")
            }
            if i < end && b[i] == quote {
                scratch.removeAll(keepingCapacity: true)
                i += 1
                var closed = false
                while i < end {
                    let c = b[i]
                    if c == escape && escape != quote && i + 1 < end && (b[i + 1] == quote || b[i + 1] == escape) {
                        scratch.append(b[i + 1])
                        i += 2
                        continue
                    }
                    if c == quote {
                        if i + 1 < end && b[i + 1] == quote {
                            scratch.append(quote)
                            i += 2
                            continue
                        }
                        closed = true
                        i += 1
                        break
                    }
                    scratch.append(c)
                    i += 1
                }
                if !closed { throw FieldError(field: field, message: "unterminated quoted field") }
                if i < end && b[i] != delimiter {
                    throw FieldError(field: field, message: "unexpected character after closing quote")
                }
                try scratch.withUnsafeBufferPointer { try body(field, $0, true) }
            } else {
                let s = i
                while i < end && b[i] != delimiter { i += 1 }
                try body(field, UnsafeBufferPointer(rebasing: b[s..<i]), false)
            }
            field += 1
            if i >= end { return field }
            i += 1  // past the delimiter
            if i == end {
                // A trailing delimiter ends the record with one more empty field.
                try body(field, UnsafeBufferPointer(rebasing: b[i..<i]), false)
                return field + 1
            }
        }
    }
}
