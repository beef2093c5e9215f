import CTributary

/// Splits runs of plain CSV records straight into a batch's spans with the structural-index
/// kernel (`tributary_csv_split_plain`: delimiter, newline, quote and escape bitmasks 64 bytes
/// at a time, the bytes inside quotes from a prefix XOR of the quote bits, the offsets of field
/// and record ends gathered per window; each selected field then cut with two loads).
///
/// Plain means: unquoted fields, or quoted fields that open at the field's start, hold no quote,
/// escape or newline and close right before a delimiter or newline; the table's number of
/// fields; not a blank line. The kernel stops at the first record that is not
/// plain; the caller splits that one with `CSVFastSplitter` / `CSVFieldSplitter` and calls again.
struct CSVPlainSplit {
    /// The mask kind the CPU supports best (AVX2, SSE2 or portable).
    static let bestKind = tributary_csv_split_best_kind()

    /// Whether `FieldSpan` is laid out as the kernel's `tributary_csv_span`, so the kernel may
    /// write the batch's spans in place.
    static let layoutMatches: Bool = {
        MemoryLayout<FieldSpan>.stride == MemoryLayout<tributary_csv_span>.stride
            && MemoryLayout<FieldSpan>.offset(of: \FieldSpan.start) == MemoryLayout<tributary_csv_span>.offset(of: \.start)
            && MemoryLayout<FieldSpan>.offset(of: \FieldSpan.end) == MemoryLayout<tributary_csv_span>.offset(of: \.end)
            && MemoryLayout<FieldSpan>.offset(of: \FieldSpan.quoted) == MemoryLayout<tributary_csv_span>.offset(of: \.quoted)
            && MemoryLayout<FieldSpan>.offset(of: \FieldSpan.inScratch)
                == MemoryLayout<tributary_csv_span>.offset(of: \.in_scratch)
            && MemoryLayout<Int>.size == 8 && MemoryLayout<Bool>.size == 1
    }()

    private let fields: UnsafeMutablePointer<Int32>
    private let slots: UnsafeMutablePointer<Int32>
    private let scratch: UnsafeMutablePointer<UInt32>
    private var job: tributary_csv_plain_split
    private let kind: Int32

    /// A splitter for records of `width` fields into `batch`; nil when the options or the
    /// platform rule the kernel out, or `kind` is negative (then every record goes the
    /// per-record way).
    init?(_ bytes: UnsafeBufferPointer<UInt8>, options: CSVOptions, width: Int, batch: CSVBatch,
          kind: Int32 = CSVPlainSplit.bestKind) {
        let d = options.delimiter, q = options.quote
        guard kind >= 0, Self.layoutMatches, let base = bytes.baseAddress, width >= 1, width <= Int(Int32.max),
              d != q, d != 0x0A, d != 0x0D, q != 0x0A, q != 0x0D else { return nil }
        // The selected fields in ascending order with their slots (a field selected twice is
        // written to each of its slots).
        let selected = batch.columns.enumerated().filter { $0.element < width }.sorted { $0.element < $1.element }
        fields = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, selected.count))
        slots = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, selected.count))
        for (k, s) in selected.enumerated() {
            fields[k] = Int32(s.element)
            slots[k] = Int32(s.offset)
        }
        scratch = UnsafeMutablePointer<UInt32>.allocate(capacity: tributary_csv_split_scratch_entries())
        self.kind = kind
        job = tributary_csv_plain_split(
            bytes: base, size: Int64(bytes.count), delimiter: d, quote: q, escape: options.escape,
            width: Int32(width), fields: fields, slots: slots, selected: Int32(selected.count),
            spans: UnsafeMutableRawPointer(batch.spans).assumingMemoryBound(to: tributary_csv_span.self),
            record_starts: UnsafeMutableRawPointer(batch.recordStarts).assumingMemoryBound(to: Int64.self),
            capacity: Int64(batch.capacity), scratch: scratch)
    }

    /// Adds the plain records starting at `position` to `batch` while they start before `limit`
    /// and the batch has room, moving `position` past them. Returns true when it stopped at a
    /// record that is not plain (at `position`).
    mutating func split(_ position: inout Int, limit: Int, into batch: inout CSVBatch) -> Bool {
        var at = Int64(position)
        var rows = Int64(batch.rows)
        let status = tributary_csv_split_plain(&job, &at, Int64(limit), &rows, kind)
        position = Int(at)
        batch.rows = Int(rows)
        return status == TRIBUTARY_CSV_SPLIT_NOT_PLAIN
    }

    /// Frees the splitter's tables; it is not used afterwards.
    func release() {
        fields.deallocate()
        slots.deallocate()
        scratch.deallocate()
    }
}
