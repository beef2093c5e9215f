import Columnar

/// Infers a CSV file's schema as Spark's `inferSchema` does: each column gets the narrowest of
/// int, bigint, double, boolean, date, timestamp, string that fits every sampled value.
extension CSVTable {
    /// The lattice of inferred kinds, narrowest first.
    enum Inferred: Int, Comparable {
        case none, int, bigint, double, boolean, date, timestamp, string
        static func < (a: Inferred, b: Inferred) -> Bool { a.rawValue < b.rawValue }

        func merged(_ o: Inferred) -> Inferred {
            if self == .none { return o }
            if o == .none || o == self { return self }
            let numeric: Set<Inferred> = [.int, .bigint, .double]
            if numeric.contains(self) && numeric.contains(o) { return max(self, o) }
            if (self == .date && o == .timestamp) || (self == .timestamp && o == .date) { return .timestamp }
            return .string
        }

        var type: DataType {
            switch self {
            case .none, .string: return .string
            case .int: return .int32
            case .bigint: return .int64
            case .double: return .float64
            case .boolean: return .boolean
            case .date: return .date
            case .timestamp: return .timestamp
            }
        }
    }

    static func kind(of v: UnsafeBufferPointer<UInt8>) -> Inferred {
        if v.isEmpty { return .none }
        if let i = TextParsing.parseInt64(v) { return Int32(exactly: i) != nil ? .int : .bigint }
        if TextParsing.parseDouble(v) != nil { return .double }
        let lower = v.map { $0 | 0x20 }
        if lower.elementsEqual("true".utf8) || lower.elementsEqual("false".utf8) { return .boolean }
        if v.count <= 10, DateTimeUtil.parseDate(v) != nil { return .date }
        if DateTimeUtil.parseTimestamp(v) != nil { return .timestamp }
        return .string
    }

    /// Reads the header (and, with `inferSchema`, sample records) to build the schema.
    static func inferSchema(path: String, options: CSVOptions) throws -> Schema {
        let file = try MappedFile(path)
        return try withExtendedLifetime(file) { () -> Schema in
            let b = file.bytes
            // Only the header and the sampled records are split, found one after another.
            var records: [Range<Int>] = []
            if let base = b.baseAddress {
                var i = 0
                // Sampled records widen the schema past the header even without inferSchema.
                let wanted = (options.header ? 1 : 0) + EngineLimits.csvInferenceRecordsMax
                while i < b.count && records.count < wanted {
                    let lineEnd = CSVChunking.recordEnd(base, from: i, b.count, quote: options.quote)
                    var end = lineEnd
                    if end > i && base[end - 1] == 0x0D { end -= 1 }
                    if end > i { records.append(i..<end) }
                    i = lineEnd + 1
                }
            }
            let splitter = CSVFieldSplitter(delimiter: options.delimiter, quote: options.quote, escape: options.escape)
            var scratch: [UInt8] = []
            var spans: [FieldSpan] = []
            var names: [String] = []
            var first = 0
            if options.header, let header = records.first {
                try? splitter.split(b, header.lowerBound, header.upperBound, fields: &spans, scratch: &scratch)
                names = spans.map { s in
                    s.inScratch ? String(decoding: scratch[s.start..<s.end], as: UTF8.self)
                        : String(decoding: UnsafeBufferPointer(rebasing: b[s.start..<s.end]), as: UTF8.self)
                }
                first = 1
            }
            var kinds: [Inferred] = []
            for record in records.dropFirst(first) {
                try? splitter.split(b, record.lowerBound, record.upperBound, fields: &spans, scratch: &scratch)
                for (f, s) in spans.enumerated() {
                    while kinds.count <= f { kinds.append(.none) }
                    guard options.inferSchema else { continue }
                    // Quoted values are strings; an unquoted value's text decides its kind.
                    if s.quoted {
                        kinds[f] = kinds[f].merged(.string)
                        continue
                    }
                    let v = UnsafeBufferPointer(rebasing: b[s.start..<s.end])
                    if v.elementsEqual(options.nullValue) { continue }
                    kinds[f] = kinds[f].merged(kind(of: v))
                }
            }
            let width = max(names.count, kinds.count)
            var fields: [Field] = []
            for i in 0..<width {
                let name = i < names.count && !names[i].isEmpty ? names[i] : "_c\(i)"
                let kind = i < kinds.count ? kinds[i] : .none
                fields.append(Field(name, options.inferSchema ? kind.type : .string))
            }
            return Schema(fields)
        }
    }
}
