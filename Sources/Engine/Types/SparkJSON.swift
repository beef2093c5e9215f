import Columnar

/// Renders values as JSON text the way Spark's JSON writer and `to_json` do: struct fields by name
/// with null fields left out, arrays with `null` elements, maps as objects keyed by the key's
/// text, dates as `yyyy-MM-dd`, timestamps as `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, binary as base64.
public enum SparkJSON {
    /// One row as a JSON object; columns whose value is null are left out.
    public static func object(names: [String], types: [DataType], values: [Scalar]) -> String {
        var out = "{"
        var first = true
        for (i, v) in values.enumerated() where !v.isNull {
            if !first { out += "," }
            first = false
            appendString(names[i], &out)
            out += ":"
            append(v, type: i < types.count ? types[i] : .null, &out)
        }
        return out + "}"
    }

    /// One value of `type` as JSON.
    public static func render(_ value: Scalar, type: DataType) -> String {
        var out = ""
        append(value, type: type, &out)
        return out
    }

    /// Appends one value of `type` as JSON.
    public static func append(_ value: Scalar, type: DataType, _ out: inout String) {
        switch value {
        case .null: out += "null"
        case let .boolean(b): out += b ? "true" : "false"
        case let .int(v): out += String(v)
        case let .double(d): out += DoubleFormatting.spark(d)
        case let .decimal(d): out += d.description
        case let .string(s): appendString(s, &out)
        case let .binary(b): appendString(base64(b), &out)
        case let .date(d): appendString(DateTimeUtil.formatDate(d), &out)
        case let .timestamp(t): appendString(timestampText(t), &out)
        case let .array(xs):
            let element = type.elementType ?? .null
            out += "["
            for (i, x) in xs.enumerated() {
                if i > 0 { out += "," }
                append(x, type: element, &out)
            }
            out += "]"
        case let .struct(xs):
            let fields = type.structFields ?? []
            out += object(names: fields.map(\.name), types: fields.map(\.type), values: xs)
        case let .map(ks, vs):
            var valueType = DataType.null
            if case let .map(_, v, _) = type { valueType = v }
            out += "{"
            for (i, (k, v)) in zip(ks, vs).enumerated() {
                if i > 0 { out += "," }
                appendString(k.description, &out)
                out += ":"
                append(v, type: valueType, &out)
            }
            out += "}"
        }
    }

    /// `2024-03-01T08:00:00.000Z`: milliseconds always shown, UTC written as `Z`.
    static func timestampText(_ micros: Int64) -> String {
        var days = micros / DateTimeUtil.microsPerDay
        var rem = micros % DateTimeUtil.microsPerDay
        if rem < 0 {
            rem += DateTimeUtil.microsPerDay
            days -= 1
        }
        let secs = rem / 1_000_000
        let millis = rem % 1_000_000 / 1000
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return DateTimeUtil.formatDate(Int32(truncatingIfNeeded: days)) + "T" + pad(secs / 3600, 2) + ":"
            + pad(secs / 60 % 60, 2) + ":" + pad(secs % 60, 2) + "." + pad(millis, 3) + "Z"
    }

    /// A JSON string literal, escaped as Jackson escapes (quotes, backslash, control characters).
    public static func appendString(_ s: String, _ out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : "=")
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : "=")
            i += 3
        }
        return out
    }
}
