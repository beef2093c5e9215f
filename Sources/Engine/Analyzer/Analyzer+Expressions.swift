import Columnar

/// Name resolution inside expressions.
extension Analyzer {
    /// True when a written qualifier (`t`, `db.t`) names an attribute's relation.
    static func qualifierMatches(_ attrQualifier: [String], _ written: [String]) -> Bool {
        guard written.count <= attrQualifier.count else { return false }
        return zip(attrQualifier.suffix(written.count), written).allSatisfy { $0.lowercased() == $1.lowercased() }
    }

    /// Finds the attribute a written name denotes among `input`; throws when it is ambiguous.
    func lookup(_ name: ColumnName, in input: [Attribute]) throws -> Attribute? {
        guard let last = name.parts.last?.lowercased() else { return nil }
        let qualifier = Array(name.parts.dropLast())
        var found: [Attribute] = []
        for a in input where a.name.lowercased() == last && Self.qualifierMatches(a.qualifier, qualifier) {
            if !found.contains(where: { $0.id == a.id }) { found.append(a) }
        }
        if found.count > 1 {
            throw EngineError.analysis(
                "[AMBIGUOUS_REFERENCE] Reference `\(name)` is ambiguous, could be: "
                    + found.map { ($0.qualifier + [$0.name]).joined(separator: ".") }.joined(separator: ", ") + ".",
                position: name.position)
        }
        return found.first
    }

    func resolveName(_ name: ColumnName, input: [Attribute], _ scope: Scope) throws -> Expr {
        if let a = try lookup(name, in: input) { return .attribute(a) }
        for level in scope.outer {
            if let a = try lookup(name, in: level) { return .outerReference(a) }
        }
        if let field = try resolveFieldAccess(name, input: input, scope) { return field }
        let candidates = input.map { ($0.qualifier.suffix(1) + [$0.name]).joined(separator: ".") }
        throw EngineError.analysis(
            "[UNRESOLVED_COLUMN] A column or function parameter with name `\(name)` cannot be resolved. "
                + "Did you mean one of the following? [\(candidates.prefix(8).joined(separator: ", "))].",
            position: name.position)
    }

    func resolveSubquery(_ plan: LogicalPlan, input: [Attribute], _ scope: Scope) throws -> LogicalPlan {
        var inner = scope
        inner.outer = [input] + scope.outer
        return try resolve(plan, inner)
    }

    /// Resolves names, subqueries and functions bottom-up and applies implicit casts.
    func resolveExpr(_ e: Expr, input: [Attribute], _ scope: Scope) throws -> Expr {
        let e = e.contains(where: { if case .call("__lambda", _, _) = $0 { return true }; return false })
            ? try resolveLambdas(e, input: input, scope) : e
        return try e.transformUp { x -> Expr? in
            switch x {
            case let .column(name):
                return try resolveName(name, input: input, scope)
            case let .exists(plan, neg):
                return .exists(try resolveSubquery(plan, input: input, scope), negated: neg)
            case let .inSubquery(value, plan, neg):
                let sub = try resolveSubquery(plan, input: input, scope)
                guard sub.output.count == 1 else {
                    throw EngineError.analysis("IN subquery must return one column, not \(sub.output.count)", position: nil)
                }
                let t = TypeCoercion.comparison(value.dataType, sub.output[0].type) ?? value.dataType
                var fixedSub = sub
                if sub.output[0].type != t {
                    let a = sub.output[0]
                    fixedSub = .project([.alias(.cast(.attribute(a), t), name: a.name, id: .next())], sub)
                }
                return .inSubquery(TypeCoercion.cast(value, to: t), fixedSub, negated: neg)
            case let .scalarSubquery(plan):
                let sub = try resolveSubquery(plan, input: input, scope)
                guard sub.output.count == 1 else {
                    throw EngineError.analysis("scalar subquery must return one column, not \(sub.output.count)",
                                               position: nil)
                }
                return .scalarSubquery(sub)
            case let .call(name, args, distinct):
                let lower = name.lowercased()
                guard FunctionRegistry.kind(of: lower) != nil else {
                    throw EngineError.analysis(
                        "[UNRESOLVED_ROUTINE] Cannot resolve function `\(name)`.", position: nil)
                }
                if let range = FunctionRegistry.arity(of: lower), !range.contains(args.count) {
                    throw EngineError.analysis("function `\(name)` takes \(range.lowerBound)…\(range.upperBound) "
                                               + "arguments, not \(args.count)", position: nil)
                }
                // count(*) counts rows: the star is a constant that is never null.
                let fixedArgs = args.map { a -> Expr in
                    if case .star = a { return .int(1) }
                    return a
                }
                return try coerce(.call(name: lower, args: fixedArgs, distinct: distinct))
            default:
                return try coerce(x)
            }
        }
    }
}
