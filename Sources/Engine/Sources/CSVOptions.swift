/// How malformed records are handled (Spark's `mode` option).
public enum ParseMode: String, Sendable {
    /// Bad values become null; short records are padded with nulls (Spark's default).
    case permissive = "PERMISSIVE"
    /// Malformed records are skipped.
    case dropMalformed = "DROPMALFORMED"
    /// The first malformed record fails the query with its file, line and column.
    case failFast = "FAILFAST"
}

/// CSV reader and writer options, named as Spark names them.
public struct CSVOptions: Sendable {
    /// The first record holds column names (`header`).
    public var header = false
    /// The field separator (`sep` / `delimiter`).
    public var delimiter: UInt8 = UInt8(ascii: ",")
    /// The quote character (`quote`).
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// The escape character inside quoted fields (`escape`); a doubled quote also escapes.
    public var escape: UInt8 = UInt8(ascii: "\\")
    /// The text that reads as null (`nullValue`).
    public var nullValue: [UInt8] = []
    /// Infer column types from the data (`inferSchema`); otherwise every column is a string.
    public var inferSchema = false
    /// Malformed-record handling (`mode`).
    public var mode: ParseMode = .permissive

    /// Defaults as in Spark.
    public init() {}

    /// Options from Spark-style string options; throws on values that make no sense.
    public init(_ options: [String: String]) throws {
        func flag(_ key: String) throws -> Bool? {
            guard let v = options[key] else { return nil }
            switch v.lowercased() {
            case "true": return true
            case "false": return false
            default: throw EngineError.analysis("option `\(key)` must be true or false, not `\(v)`", position: nil)
            }
        }
        func char(_ key: String) throws -> UInt8? {
            guard let v = options[key] else { return nil }
            let text = v == "\\t" ? "\t" : v
            guard text.utf8.count == 1, let c = text.utf8.first else {
                throw EngineError.unsupported("option `\(key)` must be a single one-byte character, not `\(v)`")
            }
            return c
        }
        if let h = try flag("header") { header = h }
        if let i = try flag("inferschema") { inferSchema = i }
        if let d = try char("sep") ?? char("delimiter") { delimiter = d }
        if let q = try char("quote") { quote = q }
        if let e = try char("escape") { escape = e }
        if let n = options["nullvalue"] { nullValue = Array(n.utf8) }
        if let m = options["mode"] {
            guard let parsed = ParseMode(rawValue: m.uppercased()) else {
                throw EngineError.analysis("unknown parse mode `\(m)`: use PERMISSIVE, DROPMALFORMED or FAILFAST", position: nil)
            }
            mode = parsed
        }
    }
}
