import Columnar

/// Hive-style partition directories (`key=value/`): parsing, Spark's escaping, and type inference.
public enum PartitionValues {
    /// The directory name Spark and Hive use for a null partition value.
    public static let nullName = "__HIVE_DEFAULT_PARTITION__"

    /// `key=value` split and unescaped, or nil when `component` is not a partition directory.
    static func parse(_ component: String) -> (key: String, value: String)? {
        guard let equals = component.firstIndex(of: "="), equals != component.startIndex else { return nil }
        let key = unescape(String(component[..<equals]))
        let value = unescape(String(component[component.index(after: equals)...]))
        return (key, value)
    }

    /// Reverses Spark's path escaping (`%XX` for characters that are unsafe in paths).
    static func unescape(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes a partition value for a directory name as Spark does.
    public static func escape(_ text: String) -> String {
        let unsafe: Set<UInt8> = Set("\"#%'*/:=?\\\u{7F}{[]^".utf8)
        var out = ""
        for byte in text.utf8 {
            if byte < 0x20 || unsafe.contains(byte) {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// The narrowest type Spark infers for one raw value (nil for the null directory name).
    static func inferType(_ raw: String) -> DataType? {
        if raw == nullName { return nil }
        if Int32(raw) != nil { return .int32 }
        if Int64(raw) != nil { return .int64 }
        if raw.allSatisfy({ $0.isNumber || $0 == "-" }), !raw.isEmpty, DecimalValue(parsing: raw) != nil, raw.count <= 38 {
            return .decimal(precision: 38, scale: 0)
        }
        if Double(raw) != nil, raw.lowercased() != "nan", !raw.lowercased().contains("inf") { return .float64 }
        if parseDate(raw) != nil { return .date }
        if parseTimestamp(raw) != nil { return .timestamp }
        return .string
    }

    /// The type that holds every value of both types (Spark's partition type widening).
    static func widen(_ a: DataType, _ b: DataType) -> DataType {
        if a == b { return a }
        let numericRank: [DataType: Int] = [.int32: 0, .int64: 1, .decimal(precision: 38, scale: 0): 2, .float64: 3]
        if let x = numericRank[a], let y = numericRank[b] { return x > y ? a : b }
        if (a == .date && b == .timestamp) || (a == .timestamp && b == .date) { return .timestamp }
        return .string
    }

    /// `raw` as a scalar of `type` (which `inferType`/`widen` chose, so parsing succeeds).
    static func value(_ raw: String, as type: DataType) -> Scalar {
        if raw == nullName { return .null }
        switch type {
        case .int32, .int64: return Int64(raw).map { .int($0) } ?? .string(raw)
        case .decimal: return DecimalValue(parsing: raw).map { .decimal($0) } ?? .string(raw)
        case .float64: return Double(raw).map { .double($0) } ?? .string(raw)
        case .date: return parseDate(raw).map { .date($0) } ?? .string(raw)
        case .timestamp:
            if let micros = parseTimestamp(raw) { return .timestamp(micros) }
            return parseDate(raw).map { .timestamp(Int64($0) * DateTimeUtil.microsPerDay) } ?? .string(raw)
        default: return .string(raw)
        }
    }

    /// The directory-name form of a partition value.
    public static func directoryName(_ value: Scalar) -> String {
        switch value {
        case .null: return nullName
        // Spark writes an empty string to the null directory too (and refuses to read `key=`).
        case let .string(text): return text.isEmpty ? nullName : escape(text)
        case let .date(days): return DateTimeUtil.formatDate(days)
        case let .timestamp(micros): return escape(DateTimeUtil.formatTimestamp(micros))
        default: return escape(value.description)
        }
    }

    private static func parseDate(_ raw: String) -> Int32? {
        guard raw.count == 10 else { return nil }
        return Array(raw.utf8).withUnsafeBufferPointer { DateTimeUtil.parseDate($0) }
    }

    private static func parseTimestamp(_ raw: String) -> Int64? {
        guard raw.count > 10, raw.contains(":") else { return nil }
        return Array(raw.utf8).withUnsafeBufferPointer { DateTimeUtil.parseTimestamp($0) }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
