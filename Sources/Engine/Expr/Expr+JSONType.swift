import Columnar
import Foundation

/// Result types of the JSON functions whose type depends on a constant argument.
extension Expr {
    /// `from_json` / `from_csv(text, 'a INT, b STRING')` are the struct the schema names; `to_json` and
    /// `to_csv` are strings.
    /// Nil for other functions.
    static func jsonCallType(_ name: String, _ args: [Expr]) -> DataType? {
        switch name {
        case "from_json", "from_csv":
            guard args.count >= 2, case let .literal(.string(ddl), _) = args[1] else { return .null }
            return JSONSchemaCache.shared.structType(ddl) ?? .null
        case "to_json", "to_csv":
            return .string
        case "__json_paths":
            return JSONFunctions.pathArguments(args.dropFirst()).map { JSONFunctions.pathsType($0.types) } ?? .null
        default:
            return nil
        }
    }
}

/// Parsed `from_json` schemas by their text: result types are asked for many times during analysis.
final class JSONSchemaCache: @unchecked Sendable {
    static let shared = JSONSchemaCache()
    private let lock = NSLock()
    private var types: [String: DataType] = [:]

    /// The struct type of a DDL schema (`a INT, b STRING` or `STRUCT<…>`), nil when it does not parse.
    func structType(_ ddl: String) -> DataType? {
        lock.lock()
        if let t = types[ddl] {
            lock.unlock()
            return t
        }
        lock.unlock()
        guard let schema = try? DDLParser.parseSchema(ddl), !schema.fields.isEmpty else { return nil }
        let t = DataType.struct(schema.fields)
        lock.lock()
        if types.count < 1024 { types[ddl] = t }
        lock.unlock()
        return t
    }
}
