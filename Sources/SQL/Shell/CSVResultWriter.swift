import Columnar
import Engine

/// Writes result batches as CSV text straight from their column buffers.
///
/// The shell renders inside the timed statement, and a result of thousands of rows rendered through
/// one `Scalar` and one `String` per cell took longer than some whole queries. Flat columns are written
/// here byte by byte; the text is the same as `Scalar.description` (and the session zone's display for
/// timestamps) gives, which the rarer types still go through.
struct CSVResultWriter {
    private(set) var bytes: [UInt8] = []
    private let null: [UInt8]
    private let timeZone: SessionTimeZone

    init(nullText: String, timeZone: SessionTimeZone) {
        self.timeZone = timeZone
        var quoted: [UInt8] = []
        Self.appendField(Array(nullText.utf8)[...], to: &quoted)
        self.null = quoted
    }

    /// Appends the header row.
    mutating func appendHeader(_ names: [String]) {
        for (i, name) in names.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            Self.appendField(Array(name.utf8)[...], to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends every row of `batch`.
    mutating func append(_ batch: RecordBatch) {
        let cells = batch.columns.map(Cells.init)
        bytes.reserveCapacity(bytes.count + batch.rowCount * cells.count * 8)
        for row in 0..<batch.rowCount {
            for (i, column) in batch.columns.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                if column.isNull(row) {
                    bytes.append(contentsOf: null)
                } else {
                    appendCell(cells[i], column, row)
                }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    private mutating func appendCell(_ cells: Cells, _ column: ColumnVector, _ row: Int) {
        switch cells {
        case let .int8(v): Self.appendInteger(Int64(v[row]), to: &bytes)
        case let .int16(v): Self.appendInteger(Int64(v[row]), to: &bytes)
        case let .int32(v): Self.appendInteger(Int64(v[row]), to: &bytes)
        case let .int64(v): Self.appendInteger(v[row], to: &bytes)
        case let .decimal(v, scale): Self.appendDecimal(v[row], scale: scale, to: &bytes)
        case let .text(offsets, data):
            Self.appendField(data[Int(offsets[row])..<Int(offsets[row + 1])], to: &bytes)
        case let .date(v): bytes.append(contentsOf: DateTimeUtil.formatDate(v[row]).utf8)
        case let .timestamp(v):
            Self.appendField(Array(timeZone.display(.timestamp(v[row])).utf8)[...], to: &bytes)
        case .scalar:
            Self.appendField(Array(timeZone.display(column.scalar(at: row), as: column.type).utf8)[...], to: &bytes)
        }
    }

    /// A column's buffer, unwrapped once per batch.
    private enum Cells {
        case int8([Int8]), int16([Int16]), int32([Int32]), int64([Int64])
        case decimal([Int128], scale: Int)
        case text(offsets: [Int32], data: [UInt8])
        case date([Int32])
        case timestamp([Int64])
        /// Everything else goes through `Scalar` (floats, booleans, binary, nested values).
        case scalar

        init(_ column: ColumnVector) {
            switch (column.type, column.storage) {
            case let (.int8, .int8(v)): self = .int8(v)
            case let (.int16, .int16(v)): self = .int16(v)
            case let (.int32, .int32(v)): self = .int32(v)
            case let (.int64, .int64(v)): self = .int64(v)
            case let (.decimal(_, scale), .decimal(v)): self = .decimal(v, scale: scale)
            case let (.string, .bytes(offsets, data)): self = .text(offsets: offsets, data: data)
            case let (.date, .int32(v)): self = .date(v)
            case let (.timestamp, .int64(v)): self = .timestamp(v)
            default: self = .scalar
            }
        }
    }

    /// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
    static func appendField(_ text: ArraySlice<UInt8>, to out: inout [UInt8]) {
        let needsQuotes = text.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            out.append(contentsOf: text)
            return
        }
        out.append(UInt8(ascii: "\""))
        for b in text {
            out.append(b)
            if b == UInt8(ascii: "\"") { out.append(b) }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendInteger(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(UInt128(v.magnitude), minimumCount: 1, to: &out)
    }

    /// `unscaled × 10^-scale` with exactly `scale` fractional digits, as `DecimalParsing.format`.
    static func appendDecimal(_ unscaled: Int128, scale: Int, to out: inout [UInt8]) {
        if unscaled < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(unscaled.magnitude, minimumCount: scale + 1, to: &out)
        if scale > 0 { out.insert(UInt8(ascii: "."), at: out.count - scale) }
    }

    /// The decimal digits of `v`, left-padded with zeros to `minimumCount`.
    private static func appendDigits(_ v: UInt128, minimumCount: Int, to out: inout [UInt8]) {
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes ≥ 39 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var end = buffer.count
            var rest = v
            // Most values fit 64 bits, where division is cheap.
            while rest > UInt128(UInt64.max) {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            var small = UInt64(rest)
            repeat {
                end -= 1
                buffer[end] = UInt8(ascii: "0") + UInt8(small % 10)
                small /= 10
            } while small > 0
            let digits = buffer.count - end
            if digits < minimumCount {
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: minimumCount - digits))
            }
            out.append(contentsOf: buffer[end...])
        }
    }
}
