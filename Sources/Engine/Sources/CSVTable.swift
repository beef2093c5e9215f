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
        var slotOfField = [Int](repeating: -1, count: schema.count)
        for (slot, f) in columns.enumerated() { slotOfField[f] = slot }
        var builders = outSchema.fields.map { ColumnBuilder(type: $0.type, capacity: range.count) }
        let splitter = CSVFieldSplitter(delimiter: options.delimiter, quote: options.quote, escape: options.escape)
        var scratch: [UInt8] = []
        var drop: [Int] = []
        let width = schema.count
        let mode = options.mode
        let nullValue = options.nullValue
        for (row, r) in range.enumerated() {
            var bad: (field: Int, message: String)? = nil
            var filled = 0
            do {
                let fields = try splitter.split(b, records.starts[r], records.ends[r], scratch: &scratch) { field, value, quoted in
                    guard field < width else { return }
                    filled = field + 1
                    let slot = slotOfField[field]
                    guard slot >= 0 else { return }
                    if !Self.append(&builders[slot], value, quoted: quoted, nullValue: nullValue) {
                        let text = String(decoding: value.prefix(40), as: UTF8.self)
                        let message = "cannot parse '\(text)' as \(schema.fields[field].type) for column `\(schema.fields[field].name)`"
                        if mode == .failFast { throw CSVFieldSplitter.FieldError(field: field, message: message) }
                        if bad == nil { bad = (field, message) }
                    }
                }
                if fields != width && bad == nil {
                    bad = (min(fields, width), "expected \(width) fields but found \(fields)")
                }
            } catch let e as CSVFieldSplitter.FieldError {
                if mode == .failFast {
                    throw EngineError.malformedInput(file: path, line: Int(records.lines[r]), column: e.field + 1, message: e.message)
                }
                if bad == nil { bad = (e.field, e.message) }
            }
            // Columns the record did not reach are null.
            for f in filled..<width where slotOfField[f] >= 0 {
                if builders[slotOfField[f]].count == row { builders[slotOfField[f]].appendNull() }
            }
            if let bad {
                switch mode {
                case .failFast:
                    throw EngineError.malformedInput(file: path, line: Int(records.lines[r]), column: bad.field + 1,
                                                     message: bad.message)
                case .dropMalformed: drop.append(row)
                case .permissive: break
                }
            }
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
        }
        builder.appendNull()
        return false
    }
}
