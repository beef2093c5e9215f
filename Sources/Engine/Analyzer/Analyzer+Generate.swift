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
        var found: (index: Int, call: Expr, alias: String?)? = nil
        for (i, e) in exprs.enumerated() {
            var top = e
            var alias: String? = nil
            if case let .alias(inner, name, _) = e {
                top = inner
                // An unaliased generator got its pretty name as an alias; only a chosen name counts.
                if name != inner.prettyName { alias = name }
            }
            if isGeneratorCall(top) {
                if found != nil {
                    throw EngineError.analysis("[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] Only one generator is allowed per "
                                               + "SELECT clause.", position: nil)
                }
                found = (i, top, alias)
            } else if e.contains(where: isGeneratorCall) {
                throw EngineError.analysis("[UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS] The generator is not supported: "
                                           + "nested in expressions `\(e.prettyName)`.", position: nil)
            }
        }
        guard let (index, call, alias) = found, case let .call(name, args, _) = call, let arg = args.first else { return nil }
        if exprs.contains(where: { $0.contains(where: isAggregateCall) }) {
            throw EngineError.unsupported("a generator next to aggregate functions in one SELECT")
        }
        var names: [String] = []
        var types: [DataType] = []
        if name.hasPrefix("posexplode") {
            names.append("pos")
            types.append(.int32)
        }
        switch arg.dataType {
        case let .array(e, _):
            names.append(alias ?? "col")
            types.append(e)
        case let .map(k, v, _):
            names += ["key", "value"]
            types += [k, v]
        default:
            throw EngineError.analysis("`\(name)` needs an ARRAY or MAP, not \(arg.dataType)", position: nil)
        }
        let out = zip(names, types).map { n, t in Attribute(name: n, type: t, nullable: true) }
        var list = exprs
        list.replaceSubrange(index...index, with: out.map { .attribute($0) })
        return .project(list, .generate(call, outer: name.hasSuffix("_outer"), generatorOutput: out, child))
    }
}
