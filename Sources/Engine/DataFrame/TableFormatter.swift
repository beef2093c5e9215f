import Columnar

/// Renders rows as Spark's `show()` does: a boxed table, values cut at 20 characters.
public enum TableFormatter {
    /// The table text; `more` adds Spark's "only showing top n rows" footer.
    public static func format(names: [String], types: [DataType], rows: [[Scalar]], truncate: Bool, more: Int? = nil,
                              timeZone: SessionTimeZone = .utc) -> String {
        func cell(_ v: Scalar, _ type: DataType) -> String {
            let s = v.isNull ? "NULL" : timeZone.display(v, as: type)
            if truncate && s.count > 20 { return String(s.prefix(17)) + "..." }
            return s
        }
        let cells = rows.map { row in zip(row, types).map(cell) }
        var widths = names.map { max(3, $0.count) }
        for r in cells { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        let sep = "+" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "+") + "+"
        func line(_ values: [String]) -> String {
            "|" + values.enumerated().map { i, v in
                String(repeating: " ", count: widths[i] - v.count) + v
            }.joined(separator: "|") + "|"
        }
        var out = [sep, line(names), sep]
        for r in cells { out.append(line(r)) }
        out.append(sep)
        if let n = more { out.append("only showing top \(n) rows") }
        return out.joined(separator: "\n") + "\n"
    }
}
