import Columnar

/// A parsed JSON value with its nested arrays and objects (members in document order).
indirect enum JSONNode {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number that is not an Int64, with its text (for decimals).
    case number(Double, [UInt8])
    case string([UInt8])
    case array([JSONNode])
    case object([(key: [UInt8], value: JSONNode)])
}

extension JSONLineParser {
    /// Parses one value with everything nested in it, to at most `EngineLimits.jsonNestingDepthMax` levels.
    mutating func parseNode(depth: Int = 0) throws -> JSONNode {
        guard depth < EngineLimits.jsonNestingDepthMax else { throw fail("JSON nested too deeply") }
        skipSpace()
        guard i < end else { throw fail("expected a value") }
        switch b[i] {
        case UInt8(ascii: "["):
            i += 1
            var items: [JSONNode] = []
            skipSpace()
            if i < end && b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                items.append(try parseNode(depth: depth + 1))
                skipSpace()
                guard i < end else { throw fail("unterminated array") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw fail("expected ',' or ']'")
            }
        case UInt8(ascii: "{"):
            i += 1
            var members: [(key: [UInt8], value: JSONNode)] = []
            skipSpace()
            if i < end && b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            while true {
                skipSpace()
                guard i < end, b[i] == UInt8(ascii: "\"") else { throw fail("expected a field name") }
                let key = try parseString()
                skipSpace()
                guard i < end, b[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                i += 1
                members.append((key, try parseNode(depth: depth + 1)))
                skipSpace()
                guard i < end else { throw fail("unterminated object") }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw fail("expected ',' or '}'")
            }
        default:
            let start = i
            switch try parseValue() {
            case .null: return .null
            case let .bool(x): return .bool(x)
            case let .int(x): return .int(x)
            case let .number(x): return .number(x, Array(b[start..<i]))
            case let .string(s): return .string(s)
            case .raw: throw fail("unexpected nested value")
            }
        }
    }
}

/// Spark's reading of nested JSON: type inference (arrays of the merged element type, objects as
/// structs with fields sorted by name) and conversion to a given type (a value that does not
/// fit becomes null, as in PERMISSIVE mode).
enum JSONNested {
    /// The type Spark infers for a value; `.null` for JSON null.
    static func inferType(_ node: JSONNode) -> DataType {
        switch node {
        case .null: return .null
        case .bool: return .boolean
        case .int: return .int64
        case .number: return .float64
        case .string: return .string
        case let .array(items):
            let element = items.reduce(DataType.null) { merge($0, inferType($1)) }
            return .array(element: element == .null ? .string : element, containsNull: true)
        case let .object(members):
            var fields: [String: DataType] = [:]
            for (k, v) in members {
                let name = String(decoding: k, as: UTF8.self)
                fields[name] = merge(fields[name] ?? .null, inferType(v))
            }
            return .struct(fields.keys.sorted().map { StructField($0, fields[$0] == .null ? .string : fields[$0]!) })
        }
    }

    /// The type covering both: numbers widen, structs merge field by field, arrays merge their
    /// elements, anything else in conflict becomes string.
    static func merge(_ a: DataType, _ b: DataType) -> DataType {
        if a == .null { return b }
        if b == .null { return a }
        if a == b { return a }
        switch (a, b) {
        case let (.array(x, _), .array(y, _)): return .array(element: merge(x, y), containsNull: true)
        case let (.struct(f1), .struct(f2)):
            var fields: [String: DataType] = [:]
            for f in f1 + f2 { fields[f.name] = merge(fields[f.name] ?? .null, f.type) }
            return .struct(fields.keys.sorted().map { StructField($0, fields[$0]!) })
        default:
            if let w = TypeCoercion.numericWider(a, b) { return w }
            return .string
        }
    }

    /// The value as `type`; `ok` turns false when something did not fit (and became null).
    static func scalar(_ node: JSONNode, as type: DataType, ok: inout Bool) -> Scalar {
        switch (node, type) {
        case (.null, _): return .null
        case let (.bool(x), .boolean): return .boolean(x)
        case let (.int(x), t) where t.isInteger: return .int(x)
        case let (.int(x), t) where t.isFloating: return .double(Double(x))
        case let (.number(x, _), t) where t.isFloating: return .double(x)
        case let (.int(x), .decimal(p, s)):
            let text = Array(String(x).utf8)
            if let d = text.withUnsafeBufferPointer({ TextParsing.parseDecimal($0, precision: p, scale: s) }) {
                return .decimal(DecimalValue(unscaled: d, scale: s))
            }
        case let (.number(_, text), .decimal(p, s)):
            if let d = text.withUnsafeBufferPointer({ TextParsing.parseDecimal($0, precision: p, scale: s) }) {
                return .decimal(DecimalValue(unscaled: d, scale: s))
            }
        case let (.string(x), .string): return .string(String(decoding: x, as: UTF8.self))
        case let (.string(x), .date):
            if let d = x.withUnsafeBufferPointer({ DateTimeUtil.parseDate($0) }) { return .date(d) }
        case let (.string(x), .timestamp):
            if let t = x.withUnsafeBufferPointer({ DateTimeUtil.parseTimestamp($0) }) { return .timestamp(t) }
        case (_, .string):
            // A non-string value read as a string keeps its JSON text, as Spark does.
            return .string(text(node))
        case let (.array(items), .array(e, _)):
            return .array(items.map { scalar($0, as: e, ok: &ok) })
        case let (.object(members), .struct(fields)):
            var values = [Scalar](repeating: .null, count: fields.count)
            for (k, v) in members {
                let name = String(decoding: k, as: UTF8.self)
                guard let i = fields.firstIndex(where: { $0.name == name })
                    ?? fields.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { continue }
                values[i] = scalar(v, as: fields[i].type, ok: &ok)
            }
            return .struct(values)
        case let (.object(members), .map(k, v, _)):
            var keys: [Scalar] = [], values: [Scalar] = []
            for (key, value) in members {
                let kv = scalar(.string(key), as: k, ok: &ok)
                if kv.isNull { continue }
                keys.append(kv)
                values.append(scalar(value, as: v, ok: &ok))
            }
            return .map(keys: keys, values: values)
        default: break
        }
        ok = false
        return .null
    }

    /// The compact JSON text of a value.
    static func text(_ node: JSONNode) -> String {
        switch node {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .int(x): return String(x)
        case let .number(_, t): return String(decoding: t, as: UTF8.self)
        case let .string(s):
            var out = ""
            SparkJSON.appendString(String(decoding: s, as: UTF8.self), &out)
            return out
        case let .array(items): return "[" + items.map(text).joined(separator: ",") + "]"
        case let .object(members):
            return "{" + members.map { k, v in
                var key = ""
                SparkJSON.appendString(String(decoding: k, as: UTF8.self), &key)
                return key + ":" + text(v)
            }.joined(separator: ",") + "}"
        }
    }
}

extension SparkJSON {
    /// Parses JSON text as a value of `type` with Spark's `from_json` rules: fields matched by
    /// name, missing or mismatched values null. Nil when the text is not JSON.
    public static func parse(_ text: String, as type: DataType) -> Scalar? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { b -> Scalar? in
            var p = JSONLineParser(b, 0, b.count)
            guard let node = try? p.parseNode() else { return nil }
            p.skipSpace()
            guard p.i == b.count else { return nil }
            var ok = true
            return JSONNested.scalar(node, as: type, ok: &ok)
        }
    }
}
