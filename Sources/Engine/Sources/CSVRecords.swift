/// Finds record boundaries in CSV bytes, honouring quoted fields that span lines.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        guard n > 0, let base = bytes.baseAddress else { return }
        var i = 0
        var line: Int32 = 1
        while i < n {
            let start = i
            let startLine = line
            // Find the end of the line with memchr; a record continues past a newline only when
            // the line holds an odd number of quotes (an open quoted field).
            var inQuotes = false
            var lineEnd = n
            while true {
                let nl = memchr(base + i, 0x0A, n - i).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
                var q = i
                while q < nl, let hit = memchr(base + q, Int32(quote), nl - q) {
                    inQuotes.toggle()
                    q = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
                }
                if nl < n { line += 1 }
                if !inQuotes || nl >= n {
                    lineEnd = nl
                    break
                }
                i = nl + 1
            }
            var end = lineEnd
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start {
                starts.append(start)
                ends.append(end)
                lines.append(startLine)
            }
            i = lineEnd + 1  // past the newline
        }
    }
}

/// Where one field of a record lies: in the file bytes, or (when it had escapes) in scratch.
struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    var inScratch: Bool
}

/// Splits one record into field spans without allocating per field.
struct CSVFieldSplitter {
    let delimiter: UInt8
    let quote: UInt8
    let escape: UInt8

    /// A malformed field: its index and what is wrong.
    struct FieldError: Error {
        let field: Int
        let message: String
    }

    /// Fills `fields` with the spans of the record `b[start..<end]`; quoted fields containing
    /// escapes are unescaped into `scratch`. Throws for an unterminated quote or text after a
    /// closing quote (the spans found so far stay in `fields`).
    func split(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, fields: inout [FieldSpan],
               scratch: inout [UInt8]) throws {
        fields.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        var i = start
        while true {
            if fields.count >= EngineLimits.csvColumnsMax {
                throw FieldError(field: fields.count, message: "more than \(EngineLimits.csvColumnsMax) fields")
            }
            if i < end && b[i] == quote {
                i += 1
                let contentStart = i
                var escaped = false
                var closed = false
                var scratchStart = scratch.count
                while i < end {
                    let c = b[i]
                    let isEscape = (c == escape && escape != quote && i + 1 < end && (b[i + 1] == quote || b[i + 1] == escape))
                    let isDoubled = c == quote && i + 1 < end && b[i + 1] == quote
                    if isEscape || isDoubled {
                        if !escaped {
                            escaped = true
                            scratchStart = scratch.count
                            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[contentStart..<i]))
                        }
                        scratch.append(b[i + 1])
                        i += 2
                        continue
                    }
                    if c == quote {
                        closed = true
                        break
                    }
                    if escaped { scratch.append(c) }
                    i += 1
                }
                if !closed { throw FieldError(field: fields.count, message: "unterminated quoted field") }
                if escaped {
                    fields.append(FieldSpan(start: scratchStart, end: scratch.count, quoted: true, inScratch: true))
                } else {
                    fields.append(FieldSpan(start: contentStart, end: i, quoted: true, inScratch: false))
                }
                i += 1  // past the closing quote
                if i < end && b[i] != delimiter {
                    throw FieldError(field: fields.count - 1, message: "unexpected character after closing quote")
                }
            } else {
                let s = i
                while i < end && b[i] != delimiter { i += 1 }
                fields.append(FieldSpan(start: s, end: i, quoted: false, inScratch: false))
            }
            if i >= end { return }
            i += 1  // past the delimiter
            if i == end {
                // A trailing delimiter ends the record with one more empty field.
                fields.append(FieldSpan(start: i, end: i, quoted: false, inScratch: false))
                return
            }
        }
    }
}
