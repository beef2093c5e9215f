import Columnar

/// Parses JSON objects straight into one column per wanted field (the children of
/// `from_json`'s struct): one pass over the bytes per row, no intermediate values.
///
/// Spark's rules: a member whose value does not fit its field's type makes the field null
/// (PERMISSIVE) or fails the query (FAILFAST); text that is not a JSON object makes every field
/// null (PERMISSIVE) or fails; a string field takes any value, non-strings as their JSON text.
struct JSONRecordParser {
    /// How a field's values are read and stored.
    enum Kind {
        case boolean, integer, floating, decimal(precision: Int, scale: Int), string, date, timestamp
        /// Nested values (struct, array, map) kept as compact JSON text, converted afterwards.
        case nested
        case unsupported
    }

    /// One field being built.
    struct FieldColumn {
        let name: [UInt8]
        let type: DataType
        let kind: Kind
        var ints: [Int64] = []
        var doubles: [Double] = []
        var decimals: [Int128] = []
        var bools: [Bool] = []
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        var valid: [Bool] = []

        init(name: String, type: DataType) {
            self.name = Array(name.utf8)
            self.type = type
            switch type {
            case .boolean: kind = .boolean
            case .int8, .int16, .int32, .int64: kind = .integer
            case .float32, .float64: kind = .floating
            case let .decimal(p, s): kind = .decimal(precision: p, scale: s)
            case .string, .binary: kind = .string
            case .date: kind = .date
            case .timestamp: kind = .timestamp
            case .struct, .array, .map: kind = .nested
            default: kind = .unsupported
            }
        }

        /// Appends a placeholder null; the value, when present, overwrites it.
        mutating func appendNull() {
            valid.append(false)
            switch kind {
            case .boolean: bools.append(false)
            case .integer, .date, .timestamp: ints.append(0)
            case .floating: doubles.append(0)
            case .decimal: decimals.append(0)
            case .string, .nested, .unsupported: offsets.append(Int32(truncatingIfNeeded: data.count))
            }
        }

        func finish() -> ColumnVector {
            let n = valid.count
            let validity = JSONRecordParser.packed(valid)
            let storage: ColumnStorage
            switch type {
            case .boolean: storage = .boolean(JSONRecordParser.packed(bools))
            case .int8: storage = .int8(ints.map { Int8(truncatingIfNeeded: $0) })
            case .int16: storage = .int16(ints.map { Int16(truncatingIfNeeded: $0) })
            case .int32, .date: storage = .int32(ints.map { Int32(truncatingIfNeeded: $0) })
            case .int64, .timestamp: storage = .int64(ints)
            case .float32: storage = .float32(doubles.map { Float($0) })
            case .float64: storage = .float64(doubles)
            case .decimal: storage = .decimal(decimals)
            case .string, .binary: storage = .bytes(offsets: offsets, data: data)
            case .struct, .array, .map:
                // The members' JSON text; the caller converts it to the nested type.
                return ColumnVector(type: .string, count: n, storage: .bytes(offsets: offsets, data: data), validity: validity)
            default: return ColumnVector.nulls(type, count: n)
            }
            return ColumnVector(type: type, count: n, storage: storage, validity: validity)
        }
    }

    var fields: [FieldColumn]
    let failFast: Bool
    /// Rows whose text was not a JSON object (all fields null in PERMISSIVE mode).
    private(set) var malformedRows = 0

    /// Finds a key's field.
    private let matcher: FieldMatcher

    init(fields: [(String, DataType)], failFast: Bool) {
        self.fields = fields.map { FieldColumn(name: $0.0, type: $0.1) }
        self.failFast = failFast
        var names: [UInt8] = []
        var ranges: [Range<Int>] = []
        for f in self.fields {
            ranges.append(names.count..<(names.count + f.name.count))
            names.append(contentsOf: f.name)
        }
        matcher = FieldMatcher(names: names, ranges: ranges)
    }

    /// An error naming the record, as Spark's FAILFAST message does.
    static func failure(_ record: UnsafeRawBufferPointer, _ why: String) -> EngineError {
        let text = String(decoding: record.prefix(200), as: UTF8.self)
        return .execution("[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: \(text) "
            + "(\(why)). Parse Mode: FAILFAST. To process malformed records as null result, try setting the option "
            + "'mode' as 'PERMISSIVE'.")
    }

    /// Parses one row's text. Returns false when the row is null (SQL NULL or blank input).
    mutating func parse(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws -> Bool {
        let failFast = self.failFast
        let matcher = self.matcher
        // The field columns through one pointer for the row: every append and store below then
        // checks no array of the columns for uniqueness.
        let parsed: Bool? = try fields.withUnsafeMutableBufferPointer { fp -> Bool? in
            for f in fp.indices { fp[f].appendNull() }
            var s = JSONScanner(raw, start: start, end: end)
            s.skipSpace()
            if s.i >= end { return nil }
            return try Self.parseObject(&s, raw, fp, matcher, failFast: failFast)
        }
        guard let parsed else { return false }
        if !parsed {
            // Not a JSON object, or broken inside: every field null.
            for f in fields.indices { fields[f].valid[fields[f].valid.count - 1] = false }
            malformedRows += 1
            if failFast { throw Self.failure(UnsafeRawBufferPointer(rebasing: raw[start..<end]), "not a valid JSON object") }
        }
        return true
    }

    /// The wanted field names back to back, and each one's range: matched against keys without
    /// reference counting.
    struct FieldMatcher {
        let names: [UInt8]
        let ranges: [Range<Int>]

        @inline(__always)
        func index(_ raw: UnsafeRawBufferPointer, _ key: (start: Int, end: Int, escaped: Bool)) -> Int? {
            if key.escaped {
                let name = JSONText.unescape(raw, key.start, key.end)
                return name.withUnsafeBytes { index($0, (0, name.count, false)) }
            }
            let length = key.end - key.start
            return names.withUnsafeBufferPointer { all -> Int? in
                for f in 0..<ranges.count {
                    let r = ranges[f]
                    guard r.count == length else { continue }
                    var k = 0
                    while k < length && all[r.lowerBound + k] == raw[key.start + k] { k += 1 }
                    if k == length { return f }
                }
                return nil
            }
        }
    }

    private static func parseObject(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer,
                                    _ fp: UnsafeMutableBufferPointer<FieldColumn>, _ matcher: FieldMatcher,
                                    failFast: Bool) throws -> Bool {
        let end = s.end
        guard s.i < end, raw[s.i] == UInt8(ascii: "{") else { return false }
        s.i += 1
        s.skipSpace()
        if s.i < end && raw[s.i] == UInt8(ascii: "}") {
            s.i += 1
            return trailingIsSpace(&s)
        }
        while true {
            s.skipSpace()
            guard s.i < end, raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return false }
            s.skipSpace()
            guard s.i < end, raw[s.i] == UInt8(ascii: ":") else { return false }
            s.i += 1
            s.skipSpace()
            guard s.i < end else { return false }
            if let f = matcher.index(raw, key) {
                guard try parseValue(&s, raw, f, fp, failFast: failFast) else { return false }
            } else if !s.skipValue() {
                return false
            }
            s.skipSpace()
            guard s.i < end else { return false }
            if raw[s.i] == UInt8(ascii: ",") { s.i += 1; continue }
            if raw[s.i] == UInt8(ascii: "}") { s.i += 1; return trailingIsSpace(&s) }
            return false
        }
    }

    /// Parses one bare JSON value (an array element) into the first field; false when the text
    /// is not valid JSON (the value is then null).
    mutating func parseValueOnly(_ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int) throws -> Bool {
        fields[0].appendNull()
        var s = JSONScanner(raw, start: start, end: end)
        s.skipSpace()
        if s.i >= end { return false }
        let failFast = self.failFast
        let ok = try fields.withUnsafeMutableBufferPointer { fp in try Self.parseValue(&s, raw, 0, fp, failFast: failFast) }
        if !ok, failFast { throw Self.failure(UnsafeRawBufferPointer(rebasing: raw[start..<end]), "not a valid JSON value") }
        return ok
    }

    private static func trailingIsSpace(_ s: inout JSONScanner) -> Bool {
        s.skipSpace()
        return s.i == s.end
    }

    /// Reads the value at `s` into field `f`; false when the text is not valid JSON. A value of
    /// the wrong type leaves the field null (or throws in FAILFAST).
    private static func parseValue(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, _ f: Int,
                                   _ fields: UnsafeMutableBufferPointer<FieldColumn>, failFast: Bool) throws -> Bool {
        let first = raw[s.i]
        let row = fields[f].valid.count - 1
        let valueStart = s.i
        if first == UInt8(ascii: "n") {
            guard s.skipValue() else { return false }
            return UnsafeRawBufferPointer(rebasing: raw[valueStart..<s.i]).elementsEqual("null".utf8)
        }
        if case .nested = fields[f].kind {
            guard s.skipValue() else { return false }
            JSONText.appendCompact(raw, valueStart, s.i, to: &fields[f].data)
            fields[f].offsets[row + 1] = Int32(truncatingIfNeeded: fields[f].data.count)
            fields[f].valid[row] = true
            return true
        }
        if case .string = fields[f].kind {
            // A repeated member: the last one wins, as in Spark.
            if fields[f].valid[row] { fields[f].data.removeSubrange(Int(fields[f].offsets[row])...) }
            if first == UInt8(ascii: "\"") {
                guard let body = s.skipString() else { return false }
                if body.escaped {
                    guard JSONText.appendUnescaped(raw, body.start, body.end, to: &fields[f].data) else { return false }
                } else {
                    fields[f].data.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[body.start..<body.end]))
                }
            } else {
                guard s.skipValue() else { return false }
                JSONText.appendCompact(raw, valueStart, s.i, to: &fields[f].data)
            }
            fields[f].offsets[row + 1] = Int32(truncatingIfNeeded: fields[f].data.count)
            fields[f].valid[row] = true
            return true
        }
        if first == UInt8(ascii: "\"") {
            guard let body = s.skipString() else { return false }
            let text = UnsafeRawBufferPointer(rebasing: raw[body.start..<body.end])
            let ok: Bool = text.withMemoryRebound(to: UInt8.self) { t in
                switch fields[f].kind {
                case .date:
                    guard let d = DateTimeUtil.parseDate(t) else { return false }
                    fields[f].ints[row] = Int64(d)
                case .timestamp:
                    guard let v = DateTimeUtil.parseTimestamp(t) else { return false }
                    fields[f].ints[row] = v
                case .floating:
                    // Spark reads these spellings of the special values from strings.
                    switch String(decoding: t, as: UTF8.self) {
                    case "NaN": fields[f].doubles[row] = .nan
                    case "Infinity", "+Infinity": fields[f].doubles[row] = .infinity
                    case "-Infinity": fields[f].doubles[row] = -.infinity
                    default: return false
                    }
                default:
                    return false
                }
                return true
            }
            return try settle(ok, f, row, raw, valueStart, s.i, fields, failFast: failFast)
        }
        guard s.skipValue() else { return false }
        let token = UnsafeRawBufferPointer(rebasing: raw[valueStart..<s.i])
        let ok: Bool = token.withMemoryRebound(to: UInt8.self) { t in
            switch fields[f].kind {
            case .boolean:
                if t.elementsEqual("true".utf8) { fields[f].bools[row] = true; return true }
                if t.elementsEqual("false".utf8) { fields[f].bools[row] = false; return true }
                return false
            case .integer:
                guard let v = TextParsing.parseInt64(t), Self.fits(v, fields[f].type) else { return false }
                fields[f].ints[row] = v
                return true
            case .floating:
                guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39), let v = TextParsing.parseDouble(t) else {
                    return false
                }
                fields[f].doubles[row] = v
                return true
            case let .decimal(p, sc):
                guard let v = TextParsing.parseDecimal(t, precision: p, scale: sc) else { return false }
                fields[f].decimals[row] = v
                return true
            case .timestamp:
                // A number is seconds since the epoch, as Spark reads it.
                guard let v = TextParsing.parseInt64(t) else { return false }
                fields[f].ints[row] = v &* 1_000_000
                return true
            default:
                return false
            }
        }
        return try settle(ok, f, row, raw, valueStart, s.i, fields, failFast: failFast)
    }

    /// Marks the field present, or handles a value that does not fit its type.
    private static func settle(_ ok: Bool, _ f: Int, _ row: Int, _ raw: UnsafeRawBufferPointer, _ start: Int, _ end: Int,
                               _ fields: UnsafeMutableBufferPointer<FieldColumn>, failFast: Bool) throws -> Bool {
        if ok {
            fields[f].valid[row] = true
        } else if failFast {
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self)
            throw failure(UnsafeRawBufferPointer(rebasing: raw[start..<end]),
                               "cannot read \(value) as \(fields[f].type) for field `\(String(decoding: fields[f].name, as: UTF8.self))`")
        }
        return true
    }

    /// Flags packed into a bitmap a word at a time.
    static func packed(_ flags: [Bool]) -> Bitmap {
        var words = [UInt64](repeating: 0, count: (flags.count + 63) >> 6)
        flags.withUnsafeBufferPointer { f in
            words.withUnsafeMutableBufferPointer { w in
                for i in 0..<f.count where f[i] { w[i >> 6] |= UInt64(1) << UInt64(i & 63) }
            }
        }
        return Bitmap(words: words, count: flags.count)
    }

    static func fits(_ v: Int64, _ t: DataType) -> Bool {
        switch t {
        case .int8: return v >= Int64(Int8.min) && v <= Int64(Int8.max)
        case .int16: return v >= Int64(Int16.min) && v <= Int64(Int16.max)
        case .int32: return v >= Int64(Int32.min) && v <= Int64(Int32.max)
        default: return true
        }
    }

    /// The field columns built so far.
    func finish() -> [ColumnVector] { fields.map { $0.finish() } }
}
