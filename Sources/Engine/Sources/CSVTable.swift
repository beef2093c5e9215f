import Columnar
import CTributary

/// A CSV file as a table source: schema from the header and/or inference or given explicitly;
/// scans cut the file into record-aligned ranges and parse them on all workers.
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

    /// Reads the selected columns: the file is cut into ranges at guessed record starts that
    /// the workers parse in parallel, each into batches of up to `batchRows` rows. A range whose
    /// guess the range before it disproves (its start fell inside a quoted field that spans
    /// lines) is parsed again from the right place, and its errors count only once it is right.
    /// A query that scans the table twice alike gets the first scan's batches again
    /// (`ScanResultCache`).
    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        // A second scan with the same columns and filters in one query reads the first one's batches.
        try context.scanCache.scan(self, columns: columns, filters: filters) {
            try read(columns: columns, filters: filters, context: context)
        }
    }

    /// In PERMISSIVE mode every filter that reads columns of the table (and nothing else) is applied
    /// exactly, by the row tests of `CSVRowFilter`; in the other modes none is.
    public func appliesExactly(_ filters: [Expr]) -> [Bool] {
        guard options.mode == .permissive else { return filters.map { _ in false } }
        return ParquetRowFilter.exactness(filters, schema: schema)
    }

    private func read(columns output: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        // Columns only the filters read are parsed for them and left out of the batches.
        let extra = ParquetRowFilter.extraColumns(filters, schema: schema, columns: output)
        let columns = output + extra
        let rowFilter = CSVRowFilter(filters, schema: schema, columns: columns, outputCount: output.count,
                                     mode: options.mode)
        if rowFilter == nil && !extra.isEmpty {
            // Only filters the scan applies exactly may read columns it does not output.
            throw EngineError.execution("the filters of a scan of \(description) read columns it does not output")
        }
        let file = try MappedFile(path)
        let outSchema = Schema(columns.map { schema.fields[$0] })
        return try withExtendedLifetime(file) {
            let b = file.bytes
            let target = max(1 << 20, min(Self.chunkBytes, b.count / (context.pool.workerCount * 4) + 1))
            let starts = CSVChunking.guessedStarts(b, count: (b.count + target - 1) / target)
            func parseRange(_ c: Int, from start: Int, header: Bool) -> Result<ParsedRange, Error> {
                let limit = c + 1 < starts.count ? starts[c + 1] : b.count
                return Result {
                    try parse(b, from: start, until: limit, header: header, columns: columns, schema: outSchema,
                              batchRows: max(1, context.batchRows), rowFilter: rowFilter)
                }
            }
            var parsed = try context.pool.map(starts.count) { c in parseRange(c, from: starts[c], header: options.header && c == 0) }
            var next = 0
            var headerPending = options.header
            var batches: [RecordBatch] = []
            for c in parsed.indices {
                // Parsed again when its start was guessed wrong, or when the header is still to
                // come (every range before held only blank lines).
                if starts[c] != next || (headerPending && c > 0) { parsed[c] = parseRange(c, from: next, header: headerPending) }
                let range = try parsed[c].get()
                batches += range.batches
                next = range.next
                if range.headerSkipped { headerPending = false }
            }
            return batches
        }
    }

    /// The batches parsed from one range and where the record after them starts.
    struct ParsedRange {
        let batches: [RecordBatch]
        let next: Int
        /// Whether the range's first record was the header and was left out.
        let headerSkipped: Bool
    }

    /// The largest range one worker parses at a time.
    static let chunkBytes = 8 << 20

    /// Parses the records that start in `start..<limit` into batches of the selected columns
    /// (leaving out the first one when `header` is set).
    func parse(_ b: UnsafeBufferPointer<UInt8>, from start: Int, until limit: Int, header: Bool, columns: [Int],
               schema outSchema: Schema, batchRows: Int, rowFilter: CSVRowFilter? = nil,
               plainKind: Int32 = CSVPlainSplit.bestKind) throws -> ParsedRange {
        guard let base = b.baseAddress else { return ParsedRange(batches: [], next: 0, headerSkipped: false) }
        // The range's pages mapped in one call rather than faulted in one by one (a no-op where the
        // kernel cannot).
        if limit > start { _ = tributary_populate_read(base + start, limit - start) }
        let n = b.count
        let width = schema.count
        let fast = CSVFastSplitter(delimiter: options.delimiter, quote: options.quote, escape: options.escape)
        let useFast = fast.usable
        let splitter = CSVFieldSplitter(delimiter: options.delimiter, quote: options.quote, escape: options.escape)
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: width + 1)
        defer { spans.deallocate() }
        var batch = CSVBatch(columns: columns, batchRows: batchRows)
        defer { batch.release() }
        var plain = CSVPlainSplit(b, options: options, width: width, batch: batch, kind: plainKind)
        defer { plain?.release() }
        // Records the plain splitter left to the per-record path: when more than one in sixteen
        // records is such, the splitter is mostly overhead and is left out for the range.
        var misses = 0
        var plainRows = 0
        var quoted: [FieldSpan] = []
        var scratch: [UInt8] = []
        var batches: [RecordBatch] = []
        var headerPending = header
        var i = start
        while i < limit {
            if !headerPending, plain != nil {
                let before = batch.rows
                let stopped = plain!.split(&i, limit: limit, into: &batch)
                plainRows += batch.rows - before
                if batch.rows == batchRows { try keep(finish(&batch, b, rowFilter), in: &batches) }
                if !stopped || i >= limit { continue }
                misses += 1
                if misses >= 64 && misses * 16 > plainRows {
                    plain?.release()
                    plain = nil
                }
            }
            let recordStart = i
            var count = 0
            var bad: (field: Int, message: String)? = nil
            if useFast, let newline = fast.split(base, i, n, fields: spans, capacity: width + 1, count: &count) {
                i = newline + 1
                // A CR before the newline belongs to the line terminator, not the last field.
                if count <= width + 1 && newline > recordStart && base[newline - 1] == 0x0D { spans[count - 1].end -= 1 }
                if count == 1 && !spans[0].quoted && spans[0].end <= spans[0].start { continue }  // a blank line
            } else {
                let lineEnd = CSVChunking.recordEnd(base, from: i, n, quote: options.quote)
                i = lineEnd + 1
                var end = lineEnd
                if end > recordStart && base[end - 1] == 0x0D { end -= 1 }
                if end == recordStart { continue }  // a blank line
                do {
                    try splitter.split(b, recordStart, end, fields: &quoted, scratch: &scratch)
                } catch let e as CSVFieldSplitter.FieldError {
                    bad = (e.field, e.message)
                }
                count = quoted.count
                let offset = batch.arena.count
                batch.arena.append(contentsOf: scratch)
                for k in 0..<min(count, width + 1) {
                    spans[k] = quoted[k]
                    if quoted[k].inScratch {
                        spans[k].start += offset
                        spans[k].end += offset
                    }
                }
            }
            if headerPending {
                headerPending = false
                continue
            }
            if bad == nil && count != width {
                bad = (min(count, width), "expected \(width) fields but found \(count)")
            }
            if let e = bad {
                if options.mode == .failFast {
                    // Rows before this one may hold an earlier error: report that one first.
                    _ = try finish(&batch, b)
                    throw EngineError.malformedInput(file: path, line: CSVChunking.lineNumber(base, at: recordStart),
                                                     column: e.field + 1, message: e.message)
                }
                if options.mode == .dropMalformed { batch.malformed.append(batch.rows) }
            }
            batch.add(spans, count: min(count, width), recordStart: recordStart)
            if batch.rows == batchRows { try keep(finish(&batch, b, rowFilter), in: &batches) }
        }
        if batch.rows > 0 { try keep(finish(&batch, b, rowFilter), in: &batches) }
        return ParsedRange(batches: batches, next: i, headerSkipped: header && !headerPending)
    }

    /// Adds a finished batch to `batches`; a batch the pushed filters emptied is left out unless
    /// it would be the range's only one (so an empty result still has its columns).
    private func keep(_ batch: RecordBatch, in batches: inout [RecordBatch]) {
        if batch.rowCount > 0 {
            if batches.count == 1 && batches[0].rowCount == 0 { batches.removeAll() }
            batches.append(batch)
        } else if batches.isEmpty {
            batches.append(batch)
        }
    }

    /// Parses the batch's columns into a record batch and empties it: the first unparsable
    /// field is an error in FAILFAST mode; in DROPMALFORMED mode its row is left out. With a row
    /// filter, only the rows that pass it are kept, and the columns it does not read are parsed
    /// at those rows alone.
    private func finish(_ batch: inout CSVBatch, _ b: UnsafeBufferPointer<UInt8>, _ rowFilter: CSVRowFilter? = nil) throws
        -> RecordBatch {
        if let rowFilter, let file = b.baseAddress {
            defer { batch.reset() }
            return try rowFilter.finish(batch, file: file, schema: schema, nullValue: options.nullValue)
        }
        defer { batch.reset() }
        let rows = batch.rows
        guard let file = b.baseAddress else { return RecordBatch(schema: Schema(batch.columns.map { schema.fields[$0] }), columns: [], rowCount: 0) }
        var failed: (row: Int, slot: Int)? = nil
        var malformed = batch.malformed
        let vectors = batch.arena.withUnsafeBufferPointer { arena -> [ColumnVector] in
            batch.columns.enumerated().map { slot, f in
                var failures: [Int] = []
                let column = CSVFieldColumn(spans: batch.spans + slot * batch.capacity, rows: rows, file: file,
                                            arena: arena.baseAddress, nullValue: options.nullValue)
                let vector = CSVColumnDecoder.decode(schema.fields[f].type, column, failures: &failures)
                if let r = failures.first, r < failed?.row ?? Int.max { failed = (r, slot) }
                if options.mode == .dropMalformed { malformed += failures }
                return vector
            }
        }
        if let (r, slot) = failed, options.mode == .failFast {
            let f = batch.columns[slot]
            let text = batch.arena.withUnsafeBufferPointer { arena in
                let column = CSVFieldColumn(spans: batch.spans + slot * batch.capacity, rows: rows, file: file,
                                            arena: arena.baseAddress, nullValue: [])
                return String(decoding: column.bytes(r).prefix(40), as: UTF8.self)
            }
            throw EngineError.malformedInput(file: path, line: CSVChunking.lineNumber(file, at: batch.recordStarts[r]),
                                             column: f + 1,
                                             message: "cannot parse '\(text)' as \(schema.fields[f].type) for column `\(schema.fields[f].name)`")
        }
        var out = RecordBatch(schema: Schema(batch.columns.map { schema.fields[$0] }), columns: vectors, rowCount: rows)
        if !malformed.isEmpty {
            var keep = Bitmap(count: rows, value: true)
            for d in malformed { keep[d] = false }
            out = out.filter(keep)
        }
        return out
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
