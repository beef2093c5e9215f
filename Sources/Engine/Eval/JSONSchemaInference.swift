/// `schema_of_json`: the schema Spark infers for one JSON document, written as Spark writes it
/// (`STRUCT<a: BIGINT, b: ARRAY<DOUBLE>>`): object fields sorted by name, integers BIGINT, other
/// numbers DOUBLE, JSON null and empty arrays STRING, mixed numbers widened to DOUBLE and any
/// other mix to STRING.
enum JSONSchemaInference {
    indirect enum Inferred: Equatable {
        case null, boolean, bigint, double, string
        case array(Inferred)
        case object([(String, Inferred)])

        static func == (a: Inferred, b: Inferred) -> Bool {
            switch (a, b) {
            case (.null, .null), (.boolean, .boolean), (.bigint, .bigint), (.double, .double), (.string, .string): return true
            case let (.array(x), .array(y)): return x == y
            case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && zip(x, y).allSatisfy { $0.1 == $1.1 }
            default: return false
            }
        }

        var sql: String {
            switch self {
            case .null, .string: return "STRING"
            case .boolean: return "BOOLEAN"
            case .bigint: return "BIGINT"
            case .double: return "DOUBLE"
            case let .array(e): return "ARRAY<\(e.sql)>"
            case let .object(fields): return "STRUCT<" + fields.map { "\($0.0): \($0.1.sql)" }.joined(separator: ", ") + ">"
            }
        }
    }

    /// The schema text of `json`, or nil when it is not valid JSON.
    static func schema(of json: String) -> String? {
        var bytes = Array(json.utf8)
        return bytes.withUnsafeMutableBytes { m -> String? in
            let raw = UnsafeRawBufferPointer(m)
            var s = JSONScanner(raw, start: 0, end: raw.count)
            guard let t = infer(&s, raw, depth: 0) else { return nil }
            s.skipSpace()
            return s.i == raw.count ? t.sql : nil
        }
    }

    /// Nesting deeper than this is refused rather than recursed into.
    static let depthMax = 64

    static func infer(_ s: inout JSONScanner, _ raw: UnsafeRawBufferPointer, depth: Int) -> Inferred? {
        guard depth < depthMax else { return nil }
        s.skipSpace()
        guard s.i < s.end else { return nil }
        switch raw[s.i] {
        case UInt8(ascii: "{"):
            s.i += 1
            var fields: [(String, Inferred)] = []
            s.skipSpace()
            if s.i < s.end && raw[s.i] == UInt8(ascii: "}") { s.i += 1; return .object([]) }
            while true {
                s.skipSpace()
                guard s.i < s.end, raw[s.i] == UInt8(ascii: "\""), let key = s.skipString() else { return nil }
                let name = String(decoding: JSONText.unescape(raw, key.start, key.end), as: UTF8.self)
                s.skipSpace()
                guard s.i < s.end, raw[s.i] == UInt8(ascii: ":") else { return nil }
                s.i += 1
                guard let v = infer(&s, raw, depth: depth + 1) else { return nil }
                if let k = fields.firstIndex(where: { $0.0 == name }) { fields[k].1 = v } else { fields.append((name, v)) }
                s.skipSpace()
                guard s.i < s.end else { return nil }
                if raw[s.i] == UInt8(ascii: ",") { s.i += 1; continue }
                guard raw[s.i] == UInt8(ascii: "}") else { return nil }
                s.i += 1
                return .object(fields.sorted { $0.0 < $1.0 })
            }
        case UInt8(ascii: "["):
            s.i += 1
            var element = Inferred.null
            s.skipSpace()
            if s.i < s.end && raw[s.i] == UInt8(ascii: "]") { s.i += 1; return .array(.string) }
            while true {
                guard let v = infer(&s, raw, depth: depth + 1) else { return nil }
                element = merge(element, v)
                s.skipSpace()
                guard s.i < s.end else { return nil }
                if raw[s.i] == UInt8(ascii: ",") { s.i += 1; continue }
                guard raw[s.i] == UInt8(ascii: "]") else { return nil }
                s.i += 1
                return .array(element)
            }
        case UInt8(ascii: "\""):
            return s.skipString() == nil ? nil : .string
        default:
            let start = s.i
            guard s.skipValue() else { return nil }
            let token = UnsafeRawBufferPointer(rebasing: raw[start..<s.i])
            if token.elementsEqual("null".utf8) { return .null }
            if token.elementsEqual("true".utf8) || token.elementsEqual("false".utf8) { return .boolean }
            let text = String(decoding: token, as: UTF8.self)
            if Int64(text) != nil { return .bigint }
            if Double(text) != nil { return .double }
            return nil
        }
    }

    static func merge(_ a: Inferred, _ b: Inferred) -> Inferred {
        if a == b { return a }
        switch (a, b) {
        case (.null, _): return b
        case (_, .null): return a
        case (.bigint, .double), (.double, .bigint): return .double
        case let (.array(x), .array(y)): return .array(merge(x, y))
        case let (.object(x), .object(y)):
            var fields = x
            for (name, t) in y {
                if let k = fields.firstIndex(where: { $0.0 == name }) { fields[k].1 = merge(fields[k].1, t) } else { fields.append((name, t)) }
            }
            return .object(fields.sorted { $0.0 < $1.0 })
        default: return .string
        }
    }
}
