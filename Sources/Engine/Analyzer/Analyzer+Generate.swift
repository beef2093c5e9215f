import Columnar

/// Select lists with a generator (`SELECT id, explode(tags) AS tag FROM t`) become a Project over
/// a Generate node, as Spark plans them.
extension Analyzer {
    func isGeneratorCall(_ e: Expr) -> Bool {
        if case let .call(name, _, _) = e { return FunctionRegistry.kind(of: name) == .generator }
        return false
    }

    /// The Generate plan for a resolved select list holding one generator, or nil when it holds none.
    func planGenerate(_ exprs: [Expr], over child: LogicalPlan) throws -> LogicalPlan? {
        var found: (index: Int, call: Expr, alias: String?, aliases: [String])? = nil
        for (i, e) in exprs.enumerated() {
            var top = e
            var alias: String? = nil
            var aliases: [String] = []
            if case let .alias(inner, name, _) = e {
                top = inner
                // An unaliased generator got its pretty name as an alias; only a chosen name counts.
                if name != inner.prettyName { alias = name }
            }
            if case let .call("__generator_aliases", args, _) = top, let first = args.first {
                top = first
                alias = nil
                aliases = args.dropFirst().compactMap { if case let .literal(.string(n), _) = $0 { return n }; return nil }
            }
            if isGeneratorCall(top) {
                if found != nil {
                    throw EngineError.analysis("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] Only one generator is allowed per "
                                               + "SELECT clause.", position: nil)
                }
                found = (i, top, alias, aliases)
            } else if e.contains(where: isGeneratorCall) {
                throw EngineError.analysis("[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: "
                                           + "nested in expressions `\(e.prettyName)`.", position: nil)
            }
        }
        guard let (index, call, alias, aliases) = found, case let .call(name, args, _) = call, let arg = args.first else {
            return nil
        }
        if exprs.contains(where: { $0.contains(where: isAggregateCall) }) {
            throw EngineError.unsupported("a generator next to aggregate functions in one SELECT")
        }
        let columns = try generatorColumns(name, arg.dataType, aliases: aliases.isEmpty ? alias.map { [$0] } ?? [] : aliases,
                                           singleAliasRenamesValue: aliases.isEmpty)
        let out = columns.map { Attribute(name: $0.name, type: $0.type, nullable: true) }
        var list = exprs
        list.replaceSubrange(index...index, with: out.map { .attribute($0) })
        return .project(list, .generate(call, outer: name.hasSuffix("_outer"), generatorOutput: out, child))
    }

    /// The names and types of a generator's columns: `col` (arrays) or `key`, `value` (maps),
    /// after `pos` for posexplode; `aliases` rename them all (or, for a single `AS name` on an
    /// array, the value column).
    func generatorColumns(_ name: String, _ argType: DataType, aliases: [String],
                          singleAliasRenamesValue: Bool) throws -> [(name: String, type: DataType)] {
        var cols: [(name: String, type: DataType)] = []
        if name.hasPrefix("posexplode") { cols.append(("pos", .int32)) }
        switch argType {
        case let .array(e, _): cols.append(("col", e))
        case let .map(k, v, _): cols += [("key", k), ("value", v)]
        default:
            throw EngineError.analysis("`\(name)` needs an ARRAY or MAP, not \(argType)", position: nil)
        }
        if aliases.isEmpty { return cols }
        if aliases.count == 1 && singleAliasRenamesValue && cols.count > 1 && !name.hasPrefix("posexplode") {
            throw EngineError.analysis("[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not "
                                       + "match the number of columns output by the UDTF. Expected \(cols.count) aliases, but got 1.",
                                       position: nil)
        }
        if aliases.count == 1 && singleAliasRenamesValue {
            cols[cols.count - 1].name = aliases[0]
            return cols
        }
        guard aliases.count == cols.count else {
            throw EngineError.analysis("[UDTF_ALIAS_NUMBER_MISMATCH] The number of aliases supplied in the AS clause does not "
                                       + "match the number of columns output by the UDTF. Expected \(cols.count) aliases, but got "
                                       + "\(aliases.count).", position: nil)
        }
        for i in cols.indices { cols[i].name = aliases[i] }
        return cols
    }

    /// A Generate node built by a front end (LATERAL VIEW): the generator is resolved against
    /// the child and the named columns get their types.
    func resolveGenerate(_ g: Expr, outer: Bool, names: [Attribute], child: LogicalPlan, _ scope: Scope) throws -> LogicalPlan {
        let c = try resolve(child, scope)
        let resolved = try resolveExpr(g, input: c.output, scope)
        guard case let .call(name, args, _) = resolved, let arg = args.first else {
            throw EngineError.analysis("LATERAL VIEW needs a generator function", position: nil)
        }
        let aliases = names.map(\.name).filter { !$0.isEmpty }
        let qualifier = names.first?.qualifier ?? []
        let columns = try generatorColumns(name, arg.dataType, aliases: aliases, singleAliasRenamesValue: false)
        let out = columns.map { Attribute(name: $0.name, type: $0.type, nullable: true, qualifier: qualifier) }
        return .generate(resolved, outer: outer, generatorOutput: out, c)
    }
}
