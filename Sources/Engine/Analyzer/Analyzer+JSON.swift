import Columnar

extension Analyzer {
    /// Checks and coerces calls of the JSON functions; nil for other functions.
    func coerceJSONCall(_ name: String, _ args: [Expr], _ distinct: Bool) throws -> Expr? {
        func fail(_ m: String) -> EngineError { .analysis(m, position: nil) }
        switch name {
        case "from_json", "from_csv":
            guard case let .literal(.string(ddl), _) = args[1] else {
                throw fail("the schema of `\(name)` must be a constant DDL string such as 'a INT, b STRING'")
            }
            do {
                _ = try DDLParser.parseSchema(ddl)
            } catch {
                throw fail("cannot parse the schema of `\(name)` '\(ddl)': \(error)")
            }
            if args.count > 2 { _ = try JSONFunctions.options(args[2]) }
            let text = args[0].dataType == .string || args[0].dataType == .binary ? args[0] : TypeCoercion.cast(args[0], to: .string)
            return .call(name: name, args: [text] + args.dropFirst(), distinct: distinct)
        case "get_json_object":
            let text = args[0].dataType == .string || args[0].dataType == .binary ? args[0] : TypeCoercion.cast(args[0], to: .string)
            return .call(name: name, args: [text, TypeCoercion.cast(args[1], to: .string)], distinct: distinct)
        case "to_json":
            guard args[0].dataType.isNested else {
                throw fail("[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] `to_json` takes a struct, array or map, not "
                           + args[0].dataType.description)
            }
            if args.count > 1 { _ = try JSONFunctions.options(args[1]) }
            return nil
        case "to_csv":
            guard case .struct = args[0].dataType else {
                throw fail("`to_csv` takes a struct, not " + args[0].dataType.description)
            }
            if args.count > 1 { _ = try JSONFunctions.options(args[1]) }
            return nil
        default:
            return nil
        }
    }
}
