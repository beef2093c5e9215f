import Columnar
import Engine

// FROM items: tables and views, direct file queries, subqueries and joins.

extension SQLPlanner {
    /// Plans one FROM item.
    func relation(_ ref: TableReference) throws -> LogicalPlan {
        switch ref {
        case .named(let parts, let alias, let location):
            let base = LogicalPlan.unresolvedRelation(parts)
            return try aliased(base, alias, at: location)
        case .file(let format, let path, let alias, let location):
            let base = try FileRelation.plan(session: session, format: format, path: path, options: [], schema: nil,
                                             at: location)
            return try aliased(base, alias, at: location)
        case .tableFunction(let name, let arguments, let alias, let location):
            return try aliased(try tableFunction(name, arguments, at: location), alias, at: location)
        case .subquery(let query, let alias, let location):
            if let alias, !alias.columns.isEmpty, let renamed = Self.renamingOutputs(of: query, to: alias.columns) {
                return .subqueryAlias(alias.name, try plan(renamed))
            }
            return try aliased(try plan(query), alias, at: location)
        case .join(let lhs, let rhs, let kind, let condition):
            return try join(lhs, rhs, kind, condition)
        case .unpivot(let base, let clause, let alias, let location):
            return try aliased(try unpivot(try relation(base), clause, at: location), alias, at: location)
        case .pivot(let base, let clause, let alias, let location):
            return try aliased(try pivot(try relation(base), clause, at: location), alias, at: location)
        case .sample(let base, let sample, let alias, let location):
            return try aliased(try Self.sampled(try relation(base), sample, at: location), alias, at: location)
        case .lateralView(let base, let generator, let outer, let table, let columns, let at):
            guard case .function(let call) = generator.kind, call.name.count == 1 else {
                throw SQLError("LATERAL VIEW needs a generator function such as explode(…)", at: generator.location)
            }
            var name = call.name[0].lowercased()
            guard FunctionRegistry.kind(of: name) == .generator else {
                throw SQLError("`\(call.name[0])` is not a generator function", at: generator.location)
            }
            if outer && !name.hasSuffix("_outer") { name += "_outer" }
            let args = try call.arguments.map(expr)
            // Names only: the analyzer types the generated columns.
            let out = columns.map { Attribute(name: $0, type: .null, nullable: true, qualifier: [table]) }
            _ = at
            return .generate(.call(name: name, args: args, distinct: false), outer: name.hasSuffix("_outer"),
                             generatorOutput: out.isEmpty ? [Attribute(name: "", type: .null, nullable: true, qualifier: [table])] : out,
                             try relation(base))
        }
    }

    /// `TABLESAMPLE`: a fraction keeps each row when a uniform random number falls below it (as
    /// Spark's Bernoulli sampling does), `n ROWS` keeps the first n.
    private static func sampled(_ plan: LogicalPlan, _ sample: TableSample, at location: SourceLocation) throws -> LogicalPlan {
        let fraction: Double
        switch sample {
        case .rows(let count):
            return .limit(try nonNegativeInteger(count, "TABLESAMPLE … ROWS"), offset: 0, plan)
        case .percent(let amount):
            var text: String?
            switch amount.kind {
            case .literal(.integer(let t)), .literal(.decimal(let t)), .literal(.double(let t)): text = t
            default: text = nil
            }
            guard let text, let percent = Double(text), (0...100).contains(percent) else {
                throw SQLError("TABLESAMPLE needs a constant percentage between 0 and 100", at: amount.location)
            }
            fraction = percent / 100
        case .bucket(let numerator, let denominator):
            guard denominator > 0, (0...denominator).contains(numerator) else {
                throw SQLError("TABLESAMPLE (BUCKET x OUT OF y) needs 0 ≤ x ≤ y and y > 0", at: location)
            }
            fraction = Double(numerator) / Double(denominator)
        }
        return .bernoulliSample(fraction, plan)
    }

    private func aliased(_ plan: LogicalPlan, _ alias: TableAlias?, at location: SourceLocation) throws -> LogicalPlan {
        guard let alias else { return plan }
        if alias.columns.isEmpty { return .subqueryAlias(alias.name, plan) }
        return .subqueryAlias(alias.name, try renameEagerly(plan, to: alias.columns, at: location))
    }

    private static func joinType(_ kind: JoinKind) -> JoinType {
        switch kind {
        case .inner: return .inner
        case .left: return .left
        case .right: return .right
        case .full: return .full
        case .cross: return .cross
        case .leftSemi: return .leftSemi
        case .leftAnti: return .leftAnti
        }
    }

    private func join(_ lhs: TableReference, _ rhs: TableReference, _ kind: JoinKind,
                      _ condition: JoinCondition) throws -> LogicalPlan {
        let l = try relation(lhs)
        let r = try relation(rhs)
        let type = Self.joinType(kind)
        switch condition {
        case .none:
            return .join(l, r, kind == .inner ? .cross : type, condition: nil)
        case .on(let e):
            return .join(l, r, type, condition: try expr(e))
        case .using(let names):
            return try usingJoin(l, r, type, names: names, at: Self.location(of: rhs))
        case .natural:
            let left = try resolveEagerly(l)
            let right = try resolveEagerly(r)
            let rightNames = Set(right.output.map { $0.name.lowercased() })
            let common = left.output.map(\.name).filter { rightNames.contains($0.lowercased()) }
            if common.isEmpty { return .join(left, right, type == .inner ? .cross : type, condition: nil) }
            return try usingJoin(left, right, type, names: common, at: Self.location(of: rhs))
        }
    }

    static func location(of ref: TableReference) -> SourceLocation {
        switch ref {
        case .named(_, _, let at), .file(_, _, _, let at), .subquery(_, _, let at), .tableFunction(_, _, _, let at): return at
        case .join(let l, _, _, _): return location(of: l)
        case .lateralView(_, _, _, _, _, let at), .pivot(_, _, _, let at), .unpivot(_, _, _, let at), .sample(_, _, _, let at): return at
        }
    }

    /// `JOIN … USING (k, …)`: equality on each key, the keys output once and first (coalesced for a
    /// full join), then the other columns of the left and of the right side, as Spark does.
    private func usingJoin(_ l: LogicalPlan, _ r: LogicalPlan, _ type: JoinType, names: [String],
                           at location: SourceLocation) throws -> LogicalPlan {
        let left = try resolveEagerly(l)
        let right = try resolveEagerly(r)
        var conditions: [Expr] = []
        var keys: [Expr] = []
        var leftKeys = Set<AttributeID>()
        var rightKeys = Set<AttributeID>()
        for name in names {
            let lower = name.lowercased()
            let ls = left.output.filter { $0.name.lowercased() == lower }
            let rs = right.output.filter { $0.name.lowercased() == lower }
            guard ls.count == 1, rs.count == 1 else {
                let side = ls.count != 1 ? "left" : "right"
                let problem = (ls.count != 1 ? ls.count : rs.count) == 0 ? "is not a column of" : "is ambiguous in"
                throw SQLError("USING column `\(name)` \(problem) the \(side) side of the join", at: location)
            }
            let (a, b) = (ls[0], rs[0])
            conditions.append(.binary(.equal, .attribute(a), .attribute(b)))
            leftKeys.insert(a.id)
            rightKeys.insert(b.id)
            switch type {
            case .right: keys.append(.attribute(b))
            case .full: keys.append(.alias(.call(name: "coalesce", args: [.attribute(a), .attribute(b)], distinct: false),
                                           name: a.name))
            default: keys.append(.attribute(a))
            }
        }
        let joined = LogicalPlan.join(left, right, type, condition: Expr.conjunction(conditions))
        if type.outputsLeftOnly { return joined }
        let rest = left.output.filter { !leftKeys.contains($0.id) } + right.output.filter { !rightKeys.contains($0.id) }
        return .project(keys + rest.map { .attribute($0) }, joined)
    }
}

extension SQLPlanner {
    /// A table-valued function in FROM: `range(end)`, `range(start, end[, step[, partitions]])`.
    func tableFunction(_ name: String, _ arguments: [SQLExpr], at location: SourceLocation) throws -> LogicalPlan {
        switch name.lowercased() {
        case "range":
            guard (1...4).contains(arguments.count) else {
                throw SQLError("range takes 1 to 4 arguments, not \(arguments.count)", at: location)
            }
            let values = try arguments.map { a -> Int64 in
                guard let v = Self.constantInteger(try expr(a)) else {
                    throw SQLError("the arguments of range must be constant integers", at: a.location)
                }
                return v
            }
            // The fourth argument, Spark's partition count, does not change the answer.
            let (start, end) = values.count == 1 ? (0, values[0]) : (values[0], values[1])
            let table = try RangeTable(start: start, end: end, step: values.count > 2 ? values[2] : 1)
            return .scan(ScanRelation(table: table))
        default:
            throw SQLError("unknown table-valued function `\(name)`", at: location)
        }
    }

    /// The value of an integer literal, possibly negated.
    static func constantInteger(_ e: Expr) -> Int64? {
        switch e {
        case let .literal(.int(v), _): return v
        case let .unary(.negate, inner): return constantInteger(inner).map { 0 &- $0 }
        case let .cast(inner, _): return constantInteger(inner)
        default: return nil
        }
    }
}
