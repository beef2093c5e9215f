import Columnar
import Engine
import Foundation

/// How `tributary sql` prints results.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// A boxed table for people, numbers right-aligned (the default).
    case table
    /// RFC 4180 CSV with a header row.
    case csv
    /// JSON Lines: one object per row, keys in column order.
    case json
}

/// Renders result rows in an `OutputFormat`.
public struct ResultFormatter: Sendable {
    /// The format.
    public var format: OutputFormat
    /// How NULL is written in table and CSV output (JSON always uses `null`).
    public var nullText: String
    /// The zone timestamps are shown in (the session's, when rendering a frame).
    public var timeZone: SessionTimeZone = .utc

    /// A formatter; NULL shows as `NULL` in tables and as an empty field in CSV unless told otherwise.
    public init(format: OutputFormat, nullText: String? = nil) {
        self.format = format
        self.nullText = nullText ?? (format == .table ? "NULL" : "")
    }

    /// Runs `frame` and renders all of its rows.
    public func render(_ frame: DataFrame) throws -> String {
        if format == .csv, frame.schema.count > 0 {
            var writer = CSVResultWriter(nullText: nullText, timeZone: frame.session.timeZone)
            writer.appendHeader(frame.schema.names)
            for batch in try frame.collectBatches() { writer.append(batch) }
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        var rows: [[Scalar]] = []
        for batch in try frame.collectBatches() {
            rows.reserveCapacity(rows.count + batch.rowCount)
            for i in 0..<batch.rowCount { rows.append(batch.row(i)) }
        }
        var zoned = self
        zoned.timeZone = frame.session.timeZone
        return zoned.render(schema: frame.schema, rows: rows)
    }

    /// The whole result as text, ending in a newline; empty for a result without columns.
    public func render(schema: Schema, rows: [[Scalar]]) -> String {
        guard schema.count > 0 else { return "" }
        switch format {
        case .table: return table(schema, rows)
        case .csv: return csv(schema, rows)
        case .json: return json(schema, rows)
        }
    }

    private func text(_ v: Scalar, _ type: DataType) -> String { v.isNull ? nullText : timeZone.display(v, as: type) }

    /// Each row's cells as text, typed by the schema.
    private func texts(_ schema: Schema, _ row: [Scalar]) -> [String] {
        zip(row, schema.fields).map { text($0, $1.type) }
    }

    private func table(_ schema: Schema, _ rows: [[Scalar]]) -> String {
        // A cell may hold several lines (EXPLAIN's plan text); each line gets its own table line.
        let cells = rows.map { texts(schema, $0).map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } }
        var widths = schema.fields.map(\.name.count)
        for row in cells {
            for (i, lines) in row.enumerated() where i < widths.count {
                for l in lines { widths[i] = max(widths[i], l.count) }
            }
        }
        let rightAligned = schema.fields.map(\.type.isNumeric)
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        func line(_ values: [String], header: Bool) -> String {
            var s = "|"
            for (i, v) in values.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - v.count)
                s += " " + (rightAligned[i] && !header ? pad + v : v + pad) + " |"
            }
            return s + "\n"
        }
        var out = rule + line(schema.names, header: true) + rule
        for row in cells {
            let height = row.map(\.count).max() ?? 1
            for k in 0..<height { out += line(row.map { k < $0.count ? $0[k] : "" }, header: false) }
        }
        out += rule
        out += rows.count == 1 ? "(1 row)\n" : "(\(rows.count) rows)\n"
        return out
    }

    private func csv(_ schema: Schema, _ rows: [[Scalar]]) -> String {
        // Quoted as the column-wise writer quotes (`CSVResultWriter.appendField`).
        var out: [UInt8] = []
        func line(_ texts: [String]) {
            for (i, t) in texts.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                CSVResultWriter.appendField(Array(t.utf8)[...], to: &out)
            }
            out.append(UInt8(ascii: "\n"))
        }
        line(schema.names)
        for row in rows { line(texts(schema, row)) }
        return String(decoding: out, as: UTF8.self)
    }

    private func json(_ schema: Schema, _ rows: [[Scalar]]) -> String {
        let keys = schema.names.map(Self.jsonString)
        var out = ""
        let types = schema.fields.map(\.type)
        for row in rows {
            out += "{" + row.indices.map { i in
                let v = row[i]
                // Nested values are written as Spark's JSON writer writes them (fields by name).
                var text = types[i].isNested && !v.isNull ? SparkJSON.render(v, type: types[i]) : Self.jsonValue(v, types[i])
                if case .timestamp = v { text = Self.jsonString(timeZone.display(v)) }
                return "\(keys[i]):\(text)"
            }.joined(separator: ",") + "}\n"
        }
        return out
    }

    static func jsonValue(_ v: Scalar, _ type: DataType) -> String {
        switch v {
        case .null: return "null"
        case .boolean(let b): return b ? "true" : "false"
        case .int(let n): return String(n)
        case .double(let d) where type == .float32: return d.isFinite ? String(Float(d)) : jsonString(v.description)
        case .double(let d): return d.isFinite ? String(d) : jsonString(v.description)
        case .decimal(let d): return d.description
        case .string(let s): return jsonString(s)
        case .binary, .date, .timestamp: return jsonString(v.description)
        case .array, .struct, .map: return SparkJSON.render(v, type: .null)
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = ""
        SparkJSON.appendString(s, &out)
        return out
    }
}
