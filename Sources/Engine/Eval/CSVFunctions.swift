import Columnar

/// `from_csv` and `to_csv`: one CSV line to a struct by field position, and back.
enum CSVFunctions {
    /// Splits one CSV line into fields: `sep` separates, `"` quotes (a doubled quote inside quotes
    /// is one quote). Returns the fields' bytes.
    static func split(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int, sep: UInt8) -> [[UInt8]] {
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        var i = start
        var quoted = false
        while i < end {
            let c = raw[i]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i + 1 < end && raw[i + 1] == UInt8(ascii: "\"") {
                        current.append(c)
                        i += 2
                        continue
                    }
                    quoted = false
                } else {
                    current.append(c)
                }
            } else if c == sep {
                fields.append(current)
                current = []
            } else if c == UInt8(ascii: "\"") && current.isEmpty {
                quoted = true
            } else {
                current.append(c)
            }
            i += 1
        }
        fields.append(current)
        return fields
    }

    /// `from_csv(text, schema[, options])`: field `i` of the struct is the `i`-th value of the line,
    /// cast to its type; a missing or unparsable value is null (PERMISSIVE) or an error (FAILFAST).
    static func fromCSV(_ input: ColumnVector, type: DataType, options: [String: String]) throws -> ColumnVector {
        let n = input.count
        guard case let .struct(fields) = type else { return ColumnVector.nulls(type, count: n) }
        let text = input.type == .string || input.type == .binary ? input : CastKernel.cast(input, to: .string)
        guard case let .bytes(offsets, data) = text.storage else { return ColumnVector.nulls(type, count: n) }
        let sep = Array((options["sep"] ?? options["delimiter"] ?? ",").utf8).first ?? UInt8(ascii: ",")
        let failFast = options["mode"]?.uppercased() == "FAILFAST"
        var builders = fields.map { _ in ColumnBuilder(type: .string, capacity: n) }
        var present = Bitmap(count: n, value: true)
        data.withUnsafeBytes { raw in
            for r in 0..<n {
                if text.isNull(r) {
                    present[r] = false
                    for f in builders.indices { builders[f].appendNull() }
                    continue
                }
                let values = split(raw, Int(offsets[r]), Int(offsets[r + 1]), sep: sep)
                for f in builders.indices {
                    if f < values.count && !values[f].isEmpty { builders[f].appendBytes(values[f]) } else { builders[f].appendNull() }
                }
            }
        }
        var children: [ColumnVector] = []
        for (f, field) in fields.enumerated() {
            let strings = builders[f].finish()
            let cast = field.type == .string ? strings : CastKernel.cast(strings, to: field.type)
            if failFast {
                for r in 0..<n where !strings.isNull(r) && cast.isNull(r) {
                    throw EngineError.execution("[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record "
                        + "parsing: '\(strings.scalar(at: r))' is not a \(field.type) for field `\(field.name)`. Parse Mode: "
                        + "FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.")
                }
            }
            children.append(cast)
        }
        return ColumnVector(type: type, count: n, storage: .struct(children), validity: present)
    }

    /// `to_csv(struct)`: the fields joined by `,`, quoted when they hold the separator, a quote or a
    /// line break; nulls as empty values.
    static func toCSV(_ input: ColumnVector, options: [String: String]) -> ColumnVector {
        let sep = Array((options["sep"] ?? options["delimiter"] ?? ",").utf8).first ?? UInt8(ascii: ",")
        var b = ColumnBuilder(type: .string, capacity: input.count)
        guard case let .struct(children) = input.storage else { return ColumnVector.nulls(.string, count: input.count) }
        var line: [UInt8] = []
        for r in 0..<input.count {
            if input.isNull(r) {
                b.appendNull()
                continue
            }
            line.removeAll(keepingCapacity: true)
            for (f, child) in children.enumerated() {
                if f > 0 { line.append(sep) }
                if child.isNull(r) { continue }
                let text: [UInt8]
                switch child.scalar(at: r) {
                case let .timestamp(t): text = Array(SparkJSON.timestampText(t).utf8)
                case let .string(s): text = Array(s.utf8)
                case let v: text = Array(v.description.utf8)
                }
                if text.contains(where: { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) {
                    line.append(UInt8(ascii: "\""))
                    for c in text {
                        if c == UInt8(ascii: "\"") { line.append(c) }
                        line.append(c)
                    }
                    line.append(UInt8(ascii: "\""))
                } else {
                    line.append(contentsOf: text)
                }
            }
            b.appendBytes(line)
        }
        return b.finish()
    }
}
