import Columnar

/// Higher-order functions over arrays (`transform`, `filter`, `exists`, `forall`): their lambda
/// parameters are bound before the lambda body is resolved, the element parameter to the
/// array's element type and the optional second one to the 0-based index (transform, filter).
extension Analyzer {
    static let higherOrderFunctions: Set<String> = ["transform", "filter", "exists", "forall"]

    /// Resolves the higher-order calls of `e` top-down, so that names in lambda bodies see the
    /// lambda's parameters first; other nodes are left for the bottom-up pass.
    func resolveLambdas(_ e: Expr, input: [Attribute], _ scope: Scope) throws -> Expr {
        try e.transformDown { x -> Expr? in
            guard case let .call(name, args, distinct) = x, Self.higherOrderFunctions.contains(name.lowercased()),
                  args.count == 2, case let .call("__lambda", parts, _) = args[1], parts.count >= 2,
                  case .literal(.string, _) = parts[1] else { return nil }
            let lower = name.lowercased()
            let array = try resolveExpr(args[0], input: input, scope)
            guard case let .array(element, _) = array.dataType else {
                throw EngineError.analysis("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve `\(lower)`: its first "
                                           + "argument must be an ARRAY, not \"\(array.dataType.sqlName)\".", position: nil)
            }
            let names = parts.dropFirst().compactMap { p -> String? in
                if case let .literal(.string(n), _) = p { return n }
                return nil
            }
            let allowsIndex = lower == "transform" || lower == "filter"
            guard names.count == 1 || (names.count == 2 && allowsIndex) else {
                throw EngineError.analysis("[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] `\(lower)` takes a lambda of "
                                           + (allowsIndex ? "1 or 2" : "1") + " arguments, not \(names.count).", position: nil)
            }
            var params = [Attribute(name: names[0], type: element, nullable: true)]
            if names.count == 2 { params.append(Attribute(name: names[1], type: .int32, nullable: false)) }
            // Lambda parameters shadow columns of the same name.
            let shadowed = Set(names.map { $0.lowercased() })
            let visible = params + input.filter { !shadowed.contains($0.name.lowercased()) }
            var body = try resolveExpr(parts[0], input: visible, scope)
            if lower != "transform" { body = try requireBoolean(body, "`\(lower)` lambda") }
            return .call(name: lower, args: [array, .call(name: "__lambda", args: [body] + params.map { .attribute($0) },
                                                            distinct: false)], distinct: distinct)
        }
    }
}
