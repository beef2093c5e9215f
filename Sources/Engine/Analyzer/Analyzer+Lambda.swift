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
            if case let .call(name, args, _) = x, ["aggregate", "reduce"].contains(name.lowercased()) {
                return try resolveAggregateLambda(args, input: input, scope)
            }
            if case let .call(name, args, _) = x, name.lowercased() == "array_sort", args.count == 2 {
                throw EngineError.unsupported("array_sort with a comparator function; array_sort(a) and sort_array(a[, asc]) "
                                              + "sort by the elements' natural order")
            }
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
            let params = lambdaParameters(names, [element, .int32])
            var body = try resolveExpr(parts[0], input: visibleWith(params, input), scope)
            if lower != "transform" { body = try requireBoolean(body, "`\(lower)` lambda") }
            return .call(name: lower, args: [array, .call(name: "__lambda", args: [body] + params.map { .attribute($0) },
                                                            distinct: false)], distinct: distinct)
        }
    }

    func lambdaParameters(_ names: [String], _ types: [DataType]) -> [Attribute] {
        zip(names, types).map { Attribute(name: $0, type: $1, nullable: true) }
    }

    /// Lambda parameters shadow columns of the same name.
    func visibleWith(_ params: [Attribute], _ input: [Attribute]) -> [Attribute] {
        let shadowed = Set(params.map { $0.name.lowercased() })
        return params + input.filter { !shadowed.contains($0.name.lowercased()) }
    }

    func lambdaParts(_ e: Expr, arity: Int, _ fn: String) throws -> (body: Expr, names: [String])? {
        guard case let .call("__lambda", parts, _) = e else { return nil }
        let names = parts.dropFirst().compactMap { p -> String? in
            if case let .literal(.string(n), _) = p { return n }
            return nil
        }
        guard names.count == parts.count - 1 else { return nil }  // already resolved
        guard names.count == arity else {
            throw EngineError.analysis("[INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH] a lambda of `\(fn)` takes \(arity) "
                                       + "arguments, not \(names.count).", position: nil)
        }
        return (parts[0], names)
    }

    /// `aggregate(array, zero, (acc, x) -> merge[, acc -> finish])`: the accumulator has the
    /// zero's type, widened once if the merge gives a wider one.
    func resolveAggregateLambda(_ args: [Expr], input: [Attribute], _ scope: Scope) throws -> Expr? {
        guard args.count == 3 || args.count == 4, let merge = try lambdaParts(args[2], arity: 2, "aggregate") else { return nil }
        let array = try resolveExpr(args[0], input: input, scope)
        guard case let .array(element, _) = array.dataType else {
            throw EngineError.analysis("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve `aggregate`: its first "
                                       + "argument must be an ARRAY, not \"\(array.dataType.sqlName)\".", position: nil)
        }
        var zero = try resolveExpr(args[1], input: input, scope)
        var accType = zero.dataType == .null ? element : zero.dataType
        var params = lambdaParameters(merge.names, [accType, element])
        var body = try resolveExpr(merge.body, input: visibleWith(params, input), scope)
        if body.dataType != accType, let wider = TypeCoercion.wider(accType, body.dataType), wider != accType {
            accType = wider
            params = lambdaParameters(merge.names, [accType, element])
            body = try resolveExpr(merge.body, input: visibleWith(params, input), scope)
        }
        guard body.dataType == accType || TypeCoercion.wider(accType, body.dataType) == accType else {
            throw EngineError.analysis("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] the merge lambda of `aggregate` gives "
                                       + "\(body.dataType), not the accumulator's \(accType).", position: nil)
        }
        zero = TypeCoercion.cast(zero, to: accType)
        body = TypeCoercion.cast(body, to: accType)
        var out: [Expr] = [array, zero, .call(name: "__lambda", args: [body] + params.map { .attribute($0) }, distinct: false)]
        if args.count == 4 {
            guard let finish = try lambdaParts(args[3], arity: 1, "aggregate") else { return nil }
            let accParam = lambdaParameters(finish.names, [accType])
            let finishBody = try resolveExpr(finish.body, input: visibleWith(accParam, input), scope)
            out.append(.call(name: "__lambda", args: [finishBody] + accParam.map { .attribute($0) }, distinct: false))
        }
        return .call(name: "aggregate", args: out, distinct: false)
    }
}
