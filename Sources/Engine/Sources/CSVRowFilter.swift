import Columnar
import Parquet

/// The pushed filters of a CSV scan run inside the scan, batch by batch (late materialisation):
/// the columns of the first test are parsed and the test evaluated, then the next test's columns
/// only at the rows that passed, and so on; the columns no test reads are parsed last, at the
/// surviving rows alone. A selective filter (TPC-H Q6's dates, Q19's brands) so spares most of
/// the decoding, and the batches carry only the rows that pass: the filters are applied exactly,
/// and columns only they read are parsed for them but left out of the batches.
///
/// The tests are those of the Parquet scan (`ParquetRowFilter`): one per conjunct, those of one
/// column joined. Only PERMISSIVE reads filter so, where an unparsable value is null whether or
/// not its row passes: in the other modes a value that cannot be parsed fails or drops its row,
/// which must not depend on the filter.
struct CSVRowFilter: @unchecked Sendable {
    // The tests' closures are called from the workers; they are built to be (as for Parquet).
    let tests: [ParquetRowTest]
    /// For each test, the slots (positions among the selected columns) of the columns it reads,
    /// in the order it reads them.
    let slots: [[Int]]
    /// The selected columns (field indexes).
    let columns: [Int]
    /// How many of `columns` (the first ones) the batches carry; the rest only the tests read.
    let outputCount: Int

    /// The row filter for `filters` over a scan of `columns` of a table of `schema`, whose batches
    /// carry the first `outputCount` columns; nil when there is nothing to test, the mode is not
    /// PERMISSIVE, or a test reads a column the scan does not select.
    init?(_ filters: [Expr], schema: Schema, columns: [Int], outputCount: Int, mode: ParseMode) {
        guard mode == .permissive, !filters.isEmpty else { return nil }
        let tests = ParquetRowFilter.tests(filters, schema: schema)
        guard !tests.isEmpty else { return nil }
        var slots: [[Int]] = []
        for test in tests {
            var mine: [Int] = []
            for name in test.columns {
                guard let field = schema.index(of: name), let slot = columns.firstIndex(of: field) else { return nil }
                mine.append(slot)
            }
            slots.append(mine)
        }
        self.tests = tests
        self.slots = slots
        self.columns = columns
        self.outputCount = min(outputCount, columns.count)
    }

    /// The rows of `batch` that pass every test, with the selected columns parsed.
    func finish(_ batch: CSVBatch, file: UnsafePointer<UInt8>, schema: Schema, nullValue: [UInt8]) throws
        -> RecordBatch {
        let rows = batch.rows
        let capacity = batch.capacity
        let fields = columns.map { schema.fields[$0] }
        // The rows still in play, ascending; nil while every row is.
        var selection: [Int32]? = nil
        var vectors = [ColumnVector?](repeating: nil, count: columns.count)
        let gathered = UnsafeMutablePointer<FieldSpan>.allocate(capacity: max(1, rows))
        defer { gathered.deallocate() }
        return try batch.arena.withUnsafeBufferPointer { arena -> RecordBatch in
            func decode(_ slot: Int) -> ColumnVector {
                let column: CSVFieldColumn
                if let selection {
                    let spans = batch.spans + slot * capacity
                    for (i, r) in selection.enumerated() { gathered[i] = spans[Int(r)] }
                    column = CSVFieldColumn(spans: gathered, rows: selection.count, file: file, arena: arena.baseAddress,
                                            nullValue: nullValue)
                } else {
                    column = CSVFieldColumn(spans: batch.spans + slot * capacity, rows: rows, file: file,
                                            arena: arena.baseAddress, nullValue: nullValue)
                }
                // PERMISSIVE: a value that cannot be parsed is null, and nothing else happens.
                var failures: [Int] = []
                return CSVColumnDecoder.decode(fields[slot].type, column, failures: &failures)
            }
            for (t, test) in tests.enumerated() {
                for s in slots[t] where vectors[s] == nil { vectors[s] = decode(s) }
                let count = selection?.count ?? rows
                let input = RecordBatch(schema: Schema(slots[t].map { fields[$0] }), columns: slots[t].map { vectors[$0]! },
                                        rowCount: count)
                let mask = try test.evaluate(input)
                let passing = mask.popcount
                if passing == count { continue }
                var next: [Int32] = []
                next.reserveCapacity(passing)
                if let selection {
                    for i in 0..<count where mask[i] { next.append(selection[i]) }
                } else {
                    for i in 0..<count where mask[i] { next.append(Int32(truncatingIfNeeded: i)) }
                }
                selection = next
                for s in vectors.indices { if let v = vectors[s] { vectors[s] = v.filter(mask) } }
                if next.isEmpty { break }
            }
            for s in 0..<outputCount where vectors[s] == nil { vectors[s] = decode(s) }
            return RecordBatch(schema: Schema(Array(fields.prefix(outputCount))),
                               columns: vectors.prefix(outputCount).map { $0! }, rowCount: selection?.count ?? rows)
        }
    }
}
