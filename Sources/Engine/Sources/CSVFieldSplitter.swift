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
