extension Analyzer {
    /// Casts the arguments of a library function (`ScalarFunctionLibrary`) to its parameter types,
    /// or applies the rewrite some names are defined by (`nvl2`, `mod`, `try_divide`, aliases).
    func coerceLibraryCall(_ name: String, _ args: [Expr]) throws -> Expr? {
        if let rewritten = try rewriteLibraryAlias(name, args) { return rewritten }
        guard let f = ScalarFunctionLibrary.functions[name] else { return nil }
        let cast = args.enumerated().map { i, a -> Expr in
            guard let t = f.parameterType(i), a.dataType != t else { return a }
            return TypeCoercion.cast(a, to: t)
        }
        return .call(name: name, args: f.takesTimeZone ? cast + [.string(timeZone.id)] : cast, distinct: false)
    }

    /// Functions Spark defines as another expression.
    private func rewriteLibraryAlias(_ name: String, _ args: [Expr]) throws -> Expr? {
        func call(_ n: String, _ a: [Expr]) -> Expr { .call(name: n, args: a, distinct: false) }
        switch name {
        case "nvl2":
            // nvl2(a, b, c) is `if(a IS NOT NULL, b, c)`.
            return try coerced(call("if", [.isNull(args[0], negated: true), args[1], args[2]]))
        case "mod":
            return try coerceBinary(.remainder, args[0], args[1])
        case "try_divide":
            return try coerceBinary(.divide, args[0], args[1])
        case "date_diff":
            return try coerced(call("datediff", args))
        case "dateadd":
            return try coerced(call("date_add", args))
        case "typeof":
            // The type is known now: the answer is a constant.
            return .string(args[0].dataType.description)
        default:
            return nil
        }
    }

    private func coerced(_ e: Expr) throws -> Expr { try coerce(e) ?? e }
}
