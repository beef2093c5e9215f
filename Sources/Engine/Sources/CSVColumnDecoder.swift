import Columnar

/// The fields of one selected column for a batch of CSV records, as spans into the file (or
/// into the batch's arena of unescaped fields); a span starting below zero is a missing field.
struct CSVFieldColumn {
    let spans: UnsafePointer<FieldSpan>
    let rows: Int
    let file: UnsafePointer<UInt8>
    let arena: UnsafePointer<UInt8>?
    let nullValue: [UInt8]

    /// The bytes of row `r`'s field.
    @inline(__always)
    func bytes(_ r: Int) -> UnsafeBufferPointer<UInt8> {
        let s = spans[r]
        let base = s.inScratch ? (arena ?? file) : file
        return UnsafeBufferPointer(start: base + s.start, count: s.end - s.start)
    }
}

/// Parses a column of CSV fields into a column vector, choosing the type's parser once per
/// column rather than once per value.
///
/// A field is null when it is missing, equals the `nullValue` option unquoted, or is empty for
/// a non-text type; a field that is not a value of the type becomes null and its row is
/// reported in `failures`, for the read mode to decide.
enum CSVColumnDecoder {
    static func decode(_ type: DataType, _ column: CSVFieldColumn, failures: inout [Int]) -> ColumnVector {
        switch type {
        case .string, .binary:
            return text(type, column)
        case .int8:
            return fixed(type, column, &failures, ColumnStorage.int8) { v in TextParsing.parseInt64(v).flatMap { Int8(exactly: $0) } }
        case .int16:
            return fixed(type, column, &failures, ColumnStorage.int16) { v in TextParsing.parseInt64(v).flatMap { Int16(exactly: $0) } }
        case .int32:
            return fixed(type, column, &failures, ColumnStorage.int32) { v in TextParsing.parseInt64(v).flatMap { Int32(exactly: $0) } }
        case .int64:
            return fixed(type, column, &failures, ColumnStorage.int64) { v in TextParsing.parseInt64(v) }
        case .float32:
            return fixed(type, column, &failures, ColumnStorage.float32) { v in TextParsing.parseDouble(v).map { Float($0) } }
        case .float64:
            return fixed(type, column, &failures, ColumnStorage.float64) { v in TextParsing.parseDouble(v) }
        case let .decimal(p, s):
            let limit = DecimalParsing.maxUnscaled(precision: p)
            let limit64 = Int64(clamping: limit)
            return fixed(type, column, &failures, ColumnStorage.decimal) { v in
                if let x = simpleDecimal(v, scale: s) { return x > limit64 || x < -limit64 ? nil : Int128(x) }
                return TextParsing.parseDecimal(v, precision: p, scale: s)
            }
        case .date:
            let calendar = PlainDateCalendar.shared
            return fixed(type, column, &failures, ColumnStorage.int32) { v in
                plainDate(v, calendar) ?? DateTimeUtil.parseDate(v)
            }
        case .timestamp:
            return fixed(type, column, &failures, ColumnStorage.int64) { v in DateTimeUtil.parseTimestamp(v) }
        case .boolean:
            var builder = ColumnBuilder(type: .boolean, capacity: column.rows)
            for r in 0..<column.rows {
                if isNull(column, r, text: false) {
                    builder.appendNull()
                } else if let x = TextParsing.parseBool(column.bytes(r)) {
                    builder.appendBool(x)
                } else {
                    builder.appendNull()
                    failures.append(r)
                }
            }
            return builder.finish()
        case .null, .array, .struct, .map:
            return ColumnVector.nulls(type, count: column.rows)
        }
    }

    /// Whether row `r`'s field is null rather than a value to parse.
    @inline(__always)
    private static func isNull(_ column: CSVFieldColumn, _ r: Int, text: Bool) -> Bool {
        let s = column.spans[r]
        if s.start < 0 { return true }
        let length = s.end - s.start
        if !s.quoted && length == column.nullValue.count
            && (length == 0 || column.nullValue.withUnsafeBufferPointer { $0.elementsEqual(column.bytes(r)) }) {
            return true
        }
        return length == 0 && !text
    }

    /// A fixed-width column: values parsed into a contiguous buffer, validity only when a null
    /// appears.
    @inline(__always)
    private static func fixed<T>(_ type: DataType, _ column: CSVFieldColumn, _ failures: inout [Int],
                                 _ storage: ([T]) -> ColumnStorage,
                                 _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> ColumnVector where T: Numeric {
        let rows = column.rows
        var validity: Bitmap? = nil
        let values = [T](unsafeUninitializedCapacity: rows) { out, initialized in
            for r in 0..<rows {
                if isNull(column, r, text: false) {
                    out[r] = 0
                } else if let x = parse(column.bytes(r)) {
                    out[r] = x
                    continue
                } else {
                    out[r] = 0
                    failures.append(r)
                }
                if validity == nil { validity = Bitmap(count: rows, value: true) }
                validity![r] = false
            }
            initialized = rows
        }
        return ColumnVector(type: type, count: rows, storage: storage(values), validity: validity)
    }

    /// A string or binary column: the field bytes copied into one data buffer.
    private static func text(_ type: DataType, _ column: CSVFieldColumn) -> ColumnVector {
        let rows = column.rows
        var total = 0
        for r in 0..<rows where column.spans[r].start >= 0 { total += column.spans[r].end - column.spans[r].start }
        var validity: Bitmap? = nil
        var offsets = [Int32](repeating: 0, count: rows + 1)
        var data = [UInt8]()
        data.reserveCapacity(total)
        for r in 0..<rows {
            if isNull(column, r, text: true) {
                if validity == nil { validity = Bitmap(count: rows, value: true) }
                validity![r] = false
            } else {
                data.append(contentsOf: column.bytes(r))
            }
            offsets[r + 1] = Int32(truncatingIfNeeded: data.count)
        }
        return ColumnVector(type: type, count: rows, storage: .bytes(offsets: offsets, data: data), validity: validity)
    }

    /// The unscaled value of a plain decimal (`-123.45`: optional sign, at most 18 digits, at
    /// most `scale` after the point) at `scale` when it fits in 64 bits, or nil for any other
    /// text (the general parser then decides).
    @inline(__always)
    static func simpleDecimal(_ v: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        var i = 0
        let n = v.count
        var negative = false
        if i < n && (v[i] == UInt8(ascii: "-") || v[i] == UInt8(ascii: "+")) {
            negative = v[i] == UInt8(ascii: "-")
            i += 1
        }
        var value: Int64 = 0
        var digits = 0
        var fraction = -1
        while i < n {
            let c = v[i]
            if c &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ Int64(c &- UInt8(ascii: "0"))
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: ".") && fraction < 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        let places = max(fraction, 0)
        guard digits > 0, digits <= 18, places <= scale, scale - places < powersOfTen.count else { return nil }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: powersOfTen[scale - places])
        guard !overflow else { return nil }
        return negative ? -scaled : scaled
    }

    /// The day number of a date written exactly `yyyy-mm-dd` (ten bytes, a valid day, a year the
    /// calendar's tables cover), or nil for any other text (the general parser then decides): the
    /// common case without the general parser's loops over optional spaces, digit counts and a
    /// time part, and with the day number from two table lookups.
    @inline(__always)
    static func plainDate(_ v: UnsafeBufferPointer<UInt8>, _ calendar: PlainDateCalendar) -> Int32? {
        guard v.count == 10, let p = v.baseAddress, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return nil }
        let y0 = p[0] &- 0x30, y1 = p[1] &- 0x30, y2 = p[2] &- 0x30, y3 = p[3] &- 0x30
        let m0 = p[5] &- 0x30, m1 = p[6] &- 0x30, d0 = p[8] &- 0x30, d1 = p[9] &- 0x30
        guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 else { return nil }
        let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
        let month = Int(m0) * 10 + Int(m1)
        let day = Int(d0) * 10 + Int(d1)
        let y = year - PlainDateCalendar.firstYear
        guard month >= 1, month <= 12, day >= 1, y >= 0, y < calendar.yearStarts.count else { return nil }
        let m = (calendar.leap[y] ? 12 : 0) + month - 1
        guard day <= calendar.monthLengths[m] else { return nil }
        return calendar.yearStarts[y] &+ calendar.monthStarts[m] &+ Int32(day - 1)
    }

    /// 10⁰ … 10¹⁸.
    private static let powersOfTen: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { r, _ in r * 10 } }
}

/// Tables for `CSVColumnDecoder.plainDate`: the day number of each January 1st of the years
/// 1600–2599 and the day offsets and lengths of the months of common and leap years, built once.
struct PlainDateCalendar: Sendable {
    static let firstYear = 1600
    static let shared = PlainDateCalendar()

    let yearStarts: [Int32]
    let leap: [Bool]
    /// Common-year months, then leap-year months.
    let monthStarts: [Int32]
    let monthLengths: [Int]

    private init() {
        let years = Self.firstYear..<(Self.firstYear + 1000)
        yearStarts = years.map { DateTimeUtil.daysFromCivil(year: $0, month: 1, day: 1) }
        leap = years.map { DateTimeUtil.daysInMonth(year: $0, month: 2) == 29 }
        var starts: [Int32] = []
        var lengths: [Int] = []
        for year in [2001, 2000] {  // a common year and a leap year
            var offset: Int32 = 0
            for month in 1...12 {
                starts.append(offset)
                let length = DateTimeUtil.daysInMonth(year: year, month: month)
                lengths.append(length)
                offset += Int32(length)
            }
        }
        monthStarts = starts
        monthLengths = lengths
    }
}
