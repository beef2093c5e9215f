import Columnar

/// `from_json` (PERMISSIVE) for a schema of flat fields only (strings and integers), the shape a
/// pruned schema (`PruneJSONFields`) usually has: one walk per row over the whole object that
/// checks its structure as it goes (the unwanted members are skipped with the byte-mask string
/// scan), notes where each wanted string lies and parses each wanted integer straight into its
/// column. No per-row appends: every column is allocated once for the batch.
///
/// The results are those of `JSONRecordParser` (which stays the path for FAILFAST and for other
/// types): a repeated member's last value wins, except that a JSON null or a value of the wrong
/// type leaves an earlier value in place; a record that is not a well-formed object makes every
/// field null; a string field takes a non-string value as its compact JSON text.
struct JSONFlatRecordReader {
    /// The field kinds this reader handles.
    enum Kind {
        case string
        case integer
    }

    /// Whether every field of `fields` is one this reader handles (at most 64 of them).
    static func handles(_ fields: [StructField]) -> Bool {
        guard !fields.isEmpty, fields.count <= 64 else { return false }
        return fields.allSatisfy { kind(of: $0.type) != nil }
    }

    static func kind(of type: DataType) -> Kind? {
        switch type {
        case .string, .binary: return .string
        case .int8, .int16, .int32, .int64: return .integer
        default: return nil
        }
    }

    /// The struct column of `from_json(text, struct<fields>)` in PERMISSIVE mode; `text` holds
    /// bytes (string or binary). Call only when `handles(fields)`.
    static func read(_ text: ColumnVector, offsets: [Int32], data: [UInt8], fields: [StructField]) -> ColumnVector {
        let n = text.count
        let k = fields.count
        let kinds = fields.map { kind(of: $0.type) ?? .string }
        var nameBytes: [UInt8] = []
        var nameStarts: [Int] = [0]
        for f in fields {
            nameBytes.append(contentsOf: f.name.utf8)
            nameStarts.append(nameBytes.count)
        }
        // Strings as spans of the text (made into columns afterwards), integers as values; both
        // laid out row-major, `k` slots per row.
        var spans = [JSONValueSpan](repeating: JSONValueSpan(), count: n * k)
        var ints = [Int64](repeating: 0, count: n * k)
        var present = [UInt64](repeating: 0, count: (n + 63) >> 6)
        let validity = text.validity
        var isInteger: UInt64 = 0
        for (f, kind) in kinds.enumerated() where kind == .integer { isInteger |= UInt64(1) << UInt64(f) }
        let bounds = fields.map { integerBounds($0.type) }
        data.withUnsafeBytes { raw in
            bounds.withUnsafeBufferPointer { bp in
                nameBytes.withUnsafeBufferPointer { nb in
                    nameStarts.withUnsafeBufferPointer { ns in
                        let walker = FlatObjectWalker(names: nb, starts: ns, isInteger: isInteger, bounds: bp)
                        spans.withUnsafeMutableBufferPointer { sp in
                            ints.withUnsafeMutableBufferPointer { iv in
                                offsets.withUnsafeBufferPointer { o in
                                    for r in 0..<n {
                                        if let validity, !validity[r] { continue }
                                        var s = JSONScanner(raw, start: Int(o[r]), end: Int(o[r + 1]))
                                        s.skipSpace()
                                        // Blank text: a null struct, as in Spark.
                                        if s.i >= s.end { continue }
                                        present[r >> 6] |= UInt64(1) << UInt64(r & 63)
                                        let rowSpans = sp.baseAddress! + r * k
                                        if !walker.walk(&s, raw, spans: rowSpans, ints: iv.baseAddress! + r * k) {
                                            // Not a well-formed object: every field null.
                                            for f in 0..<k { rowSpans[f] = JSONValueSpan() }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var children: [ColumnVector] = []
        children.reserveCapacity(k)
        data.withUnsafeBytes { raw in
            for f in 0..<k {
                switch kinds[f] {
                case .string:
                    var column = JSONFunctions.stringColumn(of: spans, field: f, stride: k, rows: n, raw)
                    if fields[f].type == .binary {
                        column = ColumnVector(type: .binary, count: n, storage: column.storage, validity: column.validity)
                    }
                    children.append(column)
                case .integer:
                    children.append(integerColumn(ints, spans, field: f, stride: k, rows: n, type: fields[f].type))
                }
            }
        }
        return ColumnVector(type: .struct(fields), count: n, storage: .struct(children),
                            validity: Bitmap(words: present, count: n))
    }

    /// The values an integer field's type holds (a number outside them leaves the field null).
    static func integerBounds(_ type: DataType) -> ClosedRange<Int64> {
        switch type {
        case .int8: return Int64(Int8.min)...Int64(Int8.max)
        case .int16: return Int64(Int16.min)...Int64(Int16.max)
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        default: return Int64.min...Int64.max
        }
    }

    /// An integer field's column: the values the walk parsed where their span says present.
    private static func integerColumn(_ ints: [Int64], _ spans: [JSONValueSpan], field f: Int, stride k: Int, rows n: Int,
                                      type: DataType) -> ColumnVector {
        var valid = [UInt64](repeating: 0, count: (n + 63) >> 6)
        func gather<T: FixedWidthInteger>(_: T.Type) -> [T] {
            [T](unsafeUninitializedCapacity: n) { out, made in
                ints.withUnsafeBufferPointer { iv in
                    spans.withUnsafeBufferPointer { sp in
                        for r in 0..<n {
                            let here = sp[r * k + f].kind != .absent
                            out[r] = here ? T(truncatingIfNeeded: iv[r * k + f]) : 0
                            if here { valid[r >> 6] |= UInt64(1) << UInt64(r & 63) }
                        }
                    }
                }
                made = n
            }
        }
        let storage: ColumnStorage
        switch type {
        case .int8: storage = .int8(gather(Int8.self))
        case .int16: storage = .int16(gather(Int16.self))
        case .int32: storage = .int32(gather(Int32.self))
        default: storage = .int64(gather(Int64.self))
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: Bitmap(words: valid, count: n))
    }
}

/// Walks every member of one JSON object, checking its structure, and keeps the wanted ones.
struct FlatObjectWalker {
    /// The wanted names back to back; name `f` is `names[starts[f]..<starts[f + 1]]`.
    let names: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int>
    /// Bit `f` set when field `f` is an integer (else a string).
    let isInteger: UInt64
    /// Each field's range of values (integer fields).
    let bounds: UnsafeBufferPointer<ClosedRange<Int64>>

    /// Reads the object at the scanner into `spans[0..<k]` / `ints[0..<k]`; false when the text
    /// is not one well-formed object (the caller then nulls the row).
    @inline(__always)
    func walk(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, spans: UnsafeMutablePointer<JSONValueSpan>,
              ints: UnsafeMutablePointer<Int64>) -> Bool {
        guard s.i < s.end, raw[s.i] == UInt8(ascii: "{") else { return false }
        s.i += 1
        s.skipSpace()
        if s.i < s.end && raw[s.i] == UInt8(ascii: "}") {
            s.i += 1
            return Self.trailingIsSpace(&s)
        }
        while true {
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return false }
            s.skipSpace()
            guard s.i < s.end, raw[s.i] == UInt8(ascii: ":") else { return false }
            s.i += 1
            s.skipSpace()
            guard s.i < s.end else { return false }
            let f = key.escaped ? escapedMatch(raw, key.start, key.end) : match(raw, key.start, key.end)
            if f >= 0 {
                guard value(&s, raw, integer: isInteger & (UInt64(1) << UInt64(f)) != 0, bounds: bounds[f],
                            span: &spans[f], int: &ints[f]) else { return false }
            } else if !s.skipMemberValue() {
                return false
            }
            s.skipSpace()
            guard s.i < s.end else { return false }
            let c = raw[s.i]
            s.i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return Self.trailingIsSpace(&s) }
            return false
        }
    }

    @inline(__always)
    private static func trailingIsSpace(_ s: inout JSONScanner) -> Bool {
        s.skipSpace()
        return s.i == s.end
    }

    /// The wanted field whose name is `raw[start..<end]`, or -1.
    @inline(__always)
    private func match(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        let length = end - start
        for f in 0..<(starts.count - 1) {
            let ns = starts[f]
            guard starts[f + 1] - ns == length else { continue }
            if JSONMemberWalker.equal(names.baseAddress, ns, raw.baseAddress, start, length) { return f }
        }
        return -1
    }

    /// `match` for a key written with escapes: its unescaped bytes are compared.
    private func escapedMatch(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        let key = JSONText.unescape(raw, start, end)
        return key.withUnsafeBytes { match($0, 0, key.count) }
    }

    /// A plain decimal integer at the scanner (`-`, then digits, then a delimiter or the end),
    /// read as it is scanned and the scanner moved past it; nil (the scanner unmoved) for any
    /// other token, which then takes the general path.
    @inline(__always)
    static func plainInteger(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer) -> Int64? {
        let end = s.end
        var j = s.i
        let negative = raw[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        let digits = j
        var v: Int64 = 0
        while j < end {
            let d = raw[j] &- 0x30
            if d > 9 { break }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = a
            j += 1
        }
        guard j > digits else { return nil }
        if j < end {
            let c = raw[j]
            guard c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x20
                || c == 0x0A || c == 0x0D || c == 0x09 else { return nil }
        }
        s.i = j
        return v
    }

    /// Reads the value at the scanner into a field; false when the text is malformed. A null or a
    /// value the field's type cannot take leaves the field as it was (null unless repeated).
    @inline(__always)
    private func value(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, integer: Bool, bounds: ClosedRange<Int64>,
                       span: inout JSONValueSpan, int: inout Int64) -> Bool {
        let first = raw[s.i]
        let start = s.i
        if first == UInt8(ascii: "n") {
            guard s.skipValue() else { return false }
            return s.i - start == 4 && raw[start + 1] == UInt8(ascii: "u") && raw[start + 2] == UInt8(ascii: "l")
                && raw[start + 3] == UInt8(ascii: "l")
        }
        if first == UInt8(ascii: "\"") {
            guard let body = s.skipString() else { return false }
            if integer { return true }
            if body.escaped && !JSONText.escapesAreValid(raw, body.start, body.end) { return false }
            span = JSONValueSpan(start: Int32(truncatingIfNeeded: body.start), end: Int32(truncatingIfNeeded: body.end),
                                 kind: body.escaped ? .escaped : .raw)
            return true
        }
        if integer, let v = Self.plainInteger(&s, raw) {
            if bounds.contains(v) {
                int = v
                span = JSONValueSpan(start: 0, end: 0, kind: .raw)
            }
            return true
        }
        guard s.skipValue() else { return false }
        if integer {
            let parsed: Int64? = raw.withMemoryRebound(to: UInt8.self) { b in
                TextParsing.parseInt64(UnsafeBufferPointer(rebasing: b[start..<s.i]))
            }
            if let parsed, bounds.contains(parsed) {
                int = parsed
                // The span only marks the value present.
                span = JSONValueSpan(start: 0, end: 0, kind: .raw)
            }
            return true
        }
        let nested = first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        span = JSONValueSpan(start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: s.i),
                             kind: nested ? .nested : .raw)
        return true
    }
}
