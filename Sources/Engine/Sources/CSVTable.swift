import Columnar

/// A CSV file as a table source: schema from the header and/or inference or given explicitly;
/// scans split the file into records once and parse batches of records on all workers.
public final class CSVTable: TableProvider, @unchecked Sendable {
    /// The file.
    public let path: String
    /// Reader options.
    public let options: CSVOptions
    /// The table's schema.
    public let schema: Schema
    /// The file size.
    public let statistics: Statistics

    /// Opens a CSV file; reads it when the schema must come from the header or inference.
    public init(path: String, options: CSVOptions, schema: Schema? = nil) throws {
        self.path = path
        self.options = options
        let size = try FileBytes.size(path)
        statistics = Statistics(rowCount: nil, sizeBytes: size)
        if let schema {
            try CSVTable.checkSupported(schema)
            self.schema = schema
        } else {
            self.schema = try CSVTable.inferSchema(path: path, options: options)
        }
    }

    /// `csv [file.csv]`.
    public var description: String { "csv [\(path.split(separator: "/").last.map(String.init) ?? path)]" }

    /// Reads the selected columns.
    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        let bytes = try FileBytes.read(path)
        return try bytes.withUnsafeBufferPointer { b -> [RecordBatch] in
            let records = CSVRecords(b, quote: options.quote)
            let first = options.header ? 1 : 0
            let total = max(0, records.count - first)
            let per = context.batchRows
            let chunks = (total + per - 1) / per
            let outSchema = Schema(columns.map { schema.fields[$0] })
            return try context.pool.map(chunks) { c in
                let lo = first + c * per
                let hi = min(records.count, lo + per)
                return try parse(b, records, lo..<hi, columns: columns, schema: outSchema)
            }
        }
    }

    /// Parses records `range` into a batch of the selected columns.
    func parse(_ b: UnsafeBufferPointer<UInt8>, _ records: CSVRecords, _ range: Range<Int>, columns: [Int],
               schema outSchema: Schema) throws -> RecordBatch {
        var builders = outSchema.fields.map { ColumnBuilder(type: $0.type, capacity: range.count) }
        let splitter = CSVFieldSplitter(delimiter: options.delimiter, quote: options.quote, escape: options.escape)
        var scratch: [UInt8] = []
        var spans: [FieldSpan] = []
        spans.reserveCapacity(schema.count + 1)
        var drop: [Int] = []
        let width = schema.count
        let mode = options.mode
        let nullValue = options.nullValue
        for (row, r) in range.enumerated() {
            var bad: (field: Int, message: String)? = nil
            do {
                try splitter.split(b, records.starts[r], records.ends[r], fields: &spans, scratch: &scratch)
            } catch let e as CSVFieldSplitter.FieldError {
                bad = (e.field, e.message)
            }
            if bad == nil && spans.count != width {
                bad = (min(spans.count, width), "expected \(width) fields but found \(spans.count)")
            }
            if let e = bad, mode == .failFast {
                throw EngineError.malformedInput(file: path, line: Int(records.lines[r]), column: e.field + 1, message: e.message)
            }
            let usable = min(spans.count, width)
            try scratch.withUnsafeBufferPointer { sb in
                for (slot, f) in columns.enumerated() {
                    guard f < usable else {
                        builders[slot].appendNull()
                        continue
                    }
                    let span = spans[f]
                    let value = UnsafeBufferPointer(rebasing: (span.inScratch ? sb : b)[span.start..<span.end])
                    if !Self.append(&builders[slot], value, quoted: span.quoted, nullValue: nullValue) {
                        let text = String(decoding: value.prefix(40), as: UTF8.self)
                        let message = "cannot parse '\(text)' as \(schema.fields[f].type) for column `\(schema.fields[f].name)`"
                        if mode == .failFast {
                            throw EngineError.malformedInput(file: path, line: Int(records.lines[r]), column: f + 1, message: message)
                        }
                        if bad == nil { bad = (f, message) }
                    }
                }
            }
            if bad != nil && mode == .dropMalformed { drop.append(row) }
        }
        var batch = RecordBatch(schema: outSchema, columns: builders.indices.map { builders[$0].finish() }, rowCount: range.count)
        if !drop.isEmpty {
            var keep = Bitmap(count: range.count, value: true)
            for d in drop { keep[d] = false }
            batch = batch.filter(keep)
        }
        return batch
    }

    /// Parses one field into a builder; false when the text is not a value of the column type
    /// (a null is appended then).
    static func append(_ builder: inout ColumnBuilder, _ v: UnsafeBufferPointer<UInt8>, quoted: Bool, nullValue: [UInt8]) -> Bool {
        let type = builder.type
        if !quoted && v.elementsEqual(nullValue) {
            builder.appendNull()
            return true
        }
        if v.isEmpty && type != .string && type != .binary {
            builder.appendNull()
            return true
        }
        switch type {
        case .string, .binary:
            builder.appendBytes(v)
            return true
        case .int8, .int16, .int32, .int64:
            guard let x = TextParsing.parseInt64(v) else { break }
            let fits: Bool
            switch type {
            case .int8: fits = Int8(exactly: x) != nil
            case .int16: fits = Int16(exactly: x) != nil
            case .int32: fits = Int32(exactly: x) != nil
            default: fits = true
            }
            guard fits else { break }
            builder.appendInt(x)
            return true
        case .float32, .float64:
            guard let x = TextParsing.parseDouble(v) else { break }
            builder.appendDouble(x)
            return true
        case let .decimal(p, s):
            guard let x = TextParsing.parseDecimal(v, precision: p, scale: s) else { break }
            builder.appendDecimal(x)
            return true
        case .date:
            guard let d = DateTimeUtil.parseDate(v) else { break }
            builder.appendInt(Int64(d))
            return true
        case .timestamp:
            guard let t = DateTimeUtil.parseTimestamp(v) else { break }
            builder.appendInt(t)
            return true
        case .boolean:
            guard let x = TextParsing.parseBool(v) else { break }
            builder.appendBool(x)
            return true
        case .null:
            builder.appendNull()
            return true
        case .array, .struct, .map:
            break
        }
        builder.appendNull()
        return false
    }

    /// Rejects nested columns, as Spark's CSV source does for reading and writing.
    static func checkSupported(_ schema: Schema) throws {
        for f in schema.fields where f.type.isNested {
            throw EngineError.analysis("[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the "
                                       + "column `\(f.name)` of the type \"\(f.type.description.uppercased())\".",
                                       position: nil)
        }
    }
}
