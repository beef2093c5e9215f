/// The records of one CSV batch as field spans of the selected columns, gathered record by
/// record and parsed column by column when the batch is full.
struct CSVBatch {
    /// The selected columns (field indexes).
    let columns: [Int]
    /// The most records one batch holds.
    let capacity: Int
    /// Spans, column-major: the span of selected column `slot` in row `r` is at `slot * capacity + r`.
    let spans: UnsafeMutablePointer<FieldSpan>
    /// Fields that had escapes, unescaped.
    var arena: [UInt8] = []
    /// Where each row's record starts in the file (for the line number of an error), `capacity` entries.
    let recordStarts: UnsafeMutablePointer<Int>
    /// Rows to leave out (DROPMALFORMED).
    var malformed: [Int] = []
    /// Rows gathered so far (`CSVPlainSplit` adds rows by filling the spans itself).
    var rows = 0

    init(columns: [Int], batchRows: Int) {
        self.columns = columns
        capacity = batchRows
        spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: max(1, columns.count * batchRows))
        recordStarts = UnsafeMutablePointer<Int>.allocate(capacity: max(1, batchRows))
    }

    /// Adds a record whose first `usable` fields are in `fields`; later selected fields are missing.
    @inline(__always)
    mutating func add(_ fields: UnsafePointer<FieldSpan>, count usable: Int, recordStart: Int) {
        for (slot, f) in columns.enumerated() {
            spans[slot * capacity + rows] = f < usable ? fields[f]
                : FieldSpan(start: -1, end: -1, quoted: false, inScratch: false)
        }
        recordStarts[rows] = recordStart
        rows += 1
    }

    /// Empties the batch for the next records.
    mutating func reset() {
        rows = 0
        arena.removeAll(keepingCapacity: true)
        malformed.removeAll(keepingCapacity: true)
    }

    /// Frees the span and record-start buffers; the batch is not used afterwards.
    func release() {
        spans.deallocate()
        recordStarts.deallocate()
    }
}
