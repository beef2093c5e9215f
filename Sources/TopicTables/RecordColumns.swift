import Columnar
import Engine

/// Column buffers for the records of one partition range, filled straight from record bytes:
/// no per-record objects, one append per wanted column.
struct RecordColumns {
    /// Which source columns (`KafkaSourceSchema` indices) are wanted, in output order.
    let columns: [Int]
    let topic: String
    let partition: Int32

    private(set) var count = 0
    private var keys = ByteColumn()
    private var values = ByteColumn()
    private var offsets: [Int64] = []
    private var timestamps: [Int64] = []
    private var timestampTypes: [Int32] = []
    private var headerOffsets: [Int32] = [0]
    private var headerKeys = ByteColumn()
    private var headerValues = ByteColumn()
    private let wantHeaders: Bool
    private let wantKey: Bool
    private let wantValue: Bool
    private let wantOffset: Bool
    private let wantTimestamp: Bool
    private let wantTimestampType: Bool

    init(columns: [Int], topic: String, partition: Int32, capacity: Int) {
        self.columns = columns
        self.topic = topic
        self.partition = partition
        wantKey = columns.contains(KafkaSourceSchema.key)
        wantValue = columns.contains(KafkaSourceSchema.value)
        wantOffset = columns.contains(KafkaSourceSchema.offset)
        wantTimestamp = columns.contains(KafkaSourceSchema.timestamp)
        wantTimestampType = columns.contains(KafkaSourceSchema.timestampType)
        wantHeaders = columns.contains(KafkaSourceSchema.headers)
        if wantKey { keys.reserve(capacity) }
        if wantValue { values.reserve(capacity) }
        if wantOffset { offsets.reserveCapacity(capacity) }
        if wantTimestamp { timestamps.reserveCapacity(capacity) }
        if wantTimestampType { timestampTypes.reserveCapacity(capacity) }
    }

    /// Bytes held in the variable-length buffers (batches are cut before they grow past a limit).
    var byteCount: Int { keys.data.count + values.data.count + headerKeys.data.count + headerValues.data.count }

    /// Appends one record. `key` and `value` are byte ranges of `raw` (nil for a null).
    @inline(__always)
    mutating func append(_ raw: UnsafeRawBufferPointer, key: (start: Int, length: Int)?, value: (start: Int, length: Int)?,
                         offset: Int64, timestampMs: Int64, timestampType: Int32) {
        if wantKey { keys.append(raw, key) }
        if wantValue { values.append(raw, value) }
        if wantOffset { offsets.append(offset) }
        // Kafka timestamps are milliseconds; the engine's timestamps are microseconds.
        if wantTimestamp { timestamps.append(timestampMs &* 1000) }
        if wantTimestampType { timestampTypes.append(timestampType) }
        count += 1
    }

    /// Appends the headers of the record just appended, read again from `raw[start..<end]`.
    mutating func appendHeaders(_ raw: UnsafeRawBufferPointer, start: Int, end: Int) throws {
        guard wantHeaders else { return }
        var cursor = RecordCursor(raw)
        cursor.position = start
        cursor.limit = end
        let n = try cursor.varlong()
        for _ in 0..<max(0, n) {
            let key = try cursor.field()
            let value = try cursor.field()
            headerKeys.append(raw, key)
            headerValues.append(raw, value)
        }
        headerOffsets.append(Int32(truncatingIfNeeded: headerKeys.count))
    }

    /// The rows appended so far as a batch of `schema`, leaving the buffers empty.
    mutating func finish(_ schema: Schema) -> RecordBatch {
        var vectors: [ColumnVector] = []
        vectors.reserveCapacity(columns.count)
        let n = count
        for c in columns {
            switch c {
            case KafkaSourceSchema.key: vectors.append(keys.finish(count: n))
            case KafkaSourceSchema.value: vectors.append(values.finish(count: n))
            case KafkaSourceSchema.topic: vectors.append(ColumnVector.constant(.string(topic), type: .string, count: n))
            case KafkaSourceSchema.partition:
                vectors.append(ColumnVector(type: .int32, count: n, storage: .int32([Int32](repeating: partition, count: n)),
                                            validity: nil))
            case KafkaSourceSchema.offset:
                vectors.append(ColumnVector(type: .int64, count: n, storage: .int64(offsets), validity: nil))
                offsets = []
                offsets.reserveCapacity(n)
            case KafkaSourceSchema.timestamp:
                vectors.append(ColumnVector(type: .timestamp, count: n, storage: .int64(timestamps), validity: nil))
                timestamps = []
                timestamps.reserveCapacity(n)
            case KafkaSourceSchema.timestampType:
                vectors.append(ColumnVector(type: .int32, count: n, storage: .int32(timestampTypes), validity: nil))
                timestampTypes = []
                timestampTypes.reserveCapacity(n)
            case KafkaSourceSchema.headers:
                let entries = headerKeys.count
                var keyColumn = headerKeys.finish(count: entries)
                keyColumn = ColumnVector(type: .string, count: entries, storage: keyColumn.storage, validity: keyColumn.validity)
                let entry = ColumnVector(type: HeaderColumn.entry, count: entries,
                                         storage: .struct([keyColumn, headerValues.finish(count: entries)]), validity: nil)
                vectors.append(ColumnVector(type: schema.fields[vectors.count].type, count: n,
                                            storage: .list(offsets: headerOffsets, values: entry), validity: nil))
                headerOffsets = [0]
            default:
                vectors.append(ColumnVector.nulls(schema.fields[vectors.count].type, count: n))
            }
        }
        count = 0
        return RecordBatch(schema: schema, columns: vectors, rowCount: n)
    }
}

/// A binary column being built: Arrow offsets + data, validity created at the first null.
///
/// The bytes gather in a `ByteArena` kept from batch to batch (an append is a capacity check and
/// a copy, and the memory is not faulted in again for every batch); a finished batch gets its own
/// copy of them.
struct ByteColumn {
    var offsets: [Int32] = [0]
    let data = ByteArena()
    var validity: Bitmap?
    var count = 0

    mutating func reserve(_ n: Int) { offsets.reserveCapacity(n + 1) }

    @inline(__always)
    mutating func append(_ raw: UnsafeRawBufferPointer, _ field: (start: Int, length: Int)?) {
        if let field {
            // In bounds: the record cursor checked every field against the bytes it reads.
            if field.length > 0, let base = raw.baseAddress { data.append(base + field.start, field.length) }
            if validity != nil { validity!.append(true) }
        } else {
            if validity == nil { validity = Bitmap(count: count, value: true) }
            validity!.append(false)
        }
        offsets.append(Int32(truncatingIfNeeded: data.count))
        count += 1
    }

    mutating func finish(count n: Int) -> ColumnVector {
        let v = ColumnVector(type: .binary, count: n, storage: .bytes(offsets: offsets, data: data.take()), validity: validity)
        // The next batch is likely as large: reserve that much at once instead of regrowing.
        let rows = offsets.count
        offsets = [0]
        offsets.reserveCapacity(rows)
        validity = nil
        count = 0
        return v
    }
}

/// Growable bytes outside the array machinery, reused for every batch of a column.
final class ByteArena {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes held.
    private(set) var count = 0

    /// An arena that allocates at its first append.
    init(capacity: Int = 0) {
        self.capacity = capacity
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ bytes: UnsafeRawPointer, _ n: Int) {
        if count + n > capacity { grow(count + n) }
        (base + count).copyMemory(from: bytes, byteCount: n)
        count += n
    }

    private func grow(_ needed: Int) {
        var size = max(capacity * 2, 1 << 16)
        while size < needed { size *= 2 }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        fresh.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = fresh
        capacity = size
    }

    /// The bytes as an array, leaving the arena empty (its memory stays for the next batch).
    func take() -> [UInt8] {
        let n = count
        count = 0
        return [UInt8](unsafeUninitializedCapacity: n) { out, made in
            if n > 0, let to = out.baseAddress { UnsafeMutableRawPointer(to).copyMemory(from: base, byteCount: n) }
            made = n
        }
    }
}
