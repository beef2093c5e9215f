/// Decorrelates subqueries in filters (Spark's RewritePredicateSubquery and
/// RewriteCorrelatedScalarSubquery):
/// - `[NOT] EXISTS (sub)` becomes a left semi (anti) join whose condition is the subquery's
///   correlated predicates;
/// - `x [NOT] IN (sub)` becomes a semi (anti) join on `x = sub's column` plus those predicates;
///   for NOT IN over nullable values the anti join's condition is the null-aware
///   `x = y OR (x = y) IS NULL`, so a null on either side removes the row as SQL requires;
/// - a correlated scalar subquery over an aggregate (`(SELECT avg(x) FROM t WHERE t.k = o.k)`)
///   becomes a left outer join with that aggregate grouped by the correlated keys.
/// Uncorrelated scalar subqueries are left for the planner, which runs them first.
public struct RewriteSubqueries: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `RewriteSubqueries`.
    public var name: String { "RewriteSubqueries" }

    /// Rewrites every filter with subqueries, innermost first.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = try rewrite(plan)
        return out == plan ? nil : out
    }

    func rewrite(_ plan: LogicalPlan) throws -> LogicalPlan {
        try plan.transformUp { node in
            // Decorrelate inside nested subquery plans first.
            let inner = try FreshInstanceMap.mapExpressions(node) { e in
                try e.transformUp { x -> Expr? in
                    switch x {
                    case let .exists(p, n): return .exists(try rewrite(p), negated: n)
                    case let .inSubquery(v, p, n): return .inSubquery(v, try rewrite(p), negated: n)
                    case let .scalarSubquery(p): return .scalarSubquery(try rewrite(p))
                    default: return nil
                    }
                }
            }
            if case let .project(list, child) = inner, list.contains(where: \.hasSubquery) {
                return try rewriteProject(list, child)
            }
            guard case let .filter(cond, child) = inner, cond.hasSubquery else { return inner == node ? nil : inner }
            return try rewriteFilter(cond, child)
        }
    }

    func rewriteFilter(_ cond: Expr, _ child: LogicalPlan) throws -> LogicalPlan {
        var current = child
        var remaining: [Expr] = []
        for c in cond.conjuncts {
            switch c {
            case let .exists(sub, neg) where sub.hasOuterReferences:
                current = try semiJoin(current, sub, value: nil, anti: neg)
            case let .unary(.not, .exists(sub, neg)) where sub.hasOuterReferences:
                current = try semiJoin(current, sub, value: nil, anti: !neg)
            case let .inSubquery(v, sub, neg):
                current = try semiJoin(current, sub, value: v, anti: neg)
            case let .unary(.not, .inSubquery(v, sub, neg)):
                current = try semiJoin(current, sub, value: v, anti: !neg)
            default:
                remaining.append(c)
            }
        }
        // Correlated scalar subqueries in what is left.
        var rewritten: [Expr] = []
        for c in remaining {
            let out = try c.transformUp { x -> Expr? in
                guard case let .scalarSubquery(sub) = x, sub.hasOuterReferences else { return nil }
                let (joined, value) = try scalarJoin(current, sub)
                current = joined
                return value
            }
            rewritten.append(out)
        }
        var result = current
        if let f = Expr.conjunction(rewritten) { result = .filter(f, result) }
        if result.output.map(\.id) != child.output.map(\.id) {
            result = .project(child.output.map { .attribute($0) }, result)
        }
        return result
    }

    /// A select list with correlated scalar subqueries: each becomes a left join with its
    /// aggregate grouped by the correlated keys, and the list reads the joined value.
    func rewriteProject(_ list: [Expr], _ child: LogicalPlan) throws -> LogicalPlan {
        var current = child
        var changed = false
        let rewritten = try list.map { e in
            try e.transformUp { x -> Expr? in
                guard case let .scalarSubquery(sub) = x, sub.hasOuterReferences else { return nil }
                let (joined, value) = try scalarJoin(current, sub)
                current = joined
                changed = true
                return value
            }
        }
        return changed ? .project(rewritten, current) : .project(list, child)
    }

    /// `outer [ANTI|SEMI] JOIN sub ON (value = sub.col) AND correlated predicates`.
    func semiJoin(_ outer: LogicalPlan, _ sub: LogicalPlan, value: Expr?, anti: Bool) throws -> LogicalPlan {
        let column = sub.output.first
        let (body, preds) = try pullUpCorrelated(sub)
        var conds = preds.map(Self.dereference)
        if let value, let column {
            let eq = Expr.binary(.equal, value, .attribute(column))
            if anti && (value.nullable || column.nullable) {
                conds.insert(.binary(.or, eq, .isNull(eq, negated: false)), at: 0)
            } else {
                conds.insert(eq, at: 0)
            }
        }
        return .join(outer, body, anti ? .leftAnti : .leftSemi, condition: Expr.conjunction(conds))
    }

    /// Joins `outer` with the subquery's aggregate grouped by its correlated keys; returns the
    /// join and the expression of the subquery's value. An outer row without inner rows gets
    /// what the aggregate gives for no rows (`count(*)` is 0, not null: the "count bug").
    func scalarJoin(_ outer: LogicalPlan, _ sub: LogicalPlan) throws -> (LogicalPlan, Expr) {
        var node = sub
        var wrapper: [Expr]? = nil
        if case let .project(list, c) = node {
            wrapper = list
            node = c
        }
        guard case let .aggregate(groupBy, aggs, below) = node, groupBy.isEmpty, aggs.count == 1,
              let value = aggs[0].toAttribute else {
            throw EngineError.unsupported("correlated scalar subquery that is not a single aggregate")
        }
        guard wrapper == nil else { throw EngineError.unsupported("correlated scalar subquery with a projection over its aggregate") }
        let (body, preds) = try pullUpCorrelated(below)
        var innerKeys: [Attribute] = []
        var conds: [Expr] = []
        for p in preds {
            // Each correlated predicate must be `inner = outer` so the aggregate can be grouped by it.
            guard case let .binary(.equal, a, b) = p else {
                throw EngineError.unsupported("correlated scalar subquery with a non-equality correlation `\(p)`")
            }
            let (innerSide, outerSide): (Expr, Expr)
            if a.references.isEmpty, case .outerReference = a { (innerSide, outerSide) = (b, a) } else { (innerSide, outerSide) = (a, b) }
            guard case let .attribute(k) = innerSide, !outerSide.references.contains(k.id),
                  case .outerReference = outerSide else {
                throw EngineError.unsupported("correlated scalar subquery predicate `\(p)`")
            }
            innerKeys.append(k)
            conds.append(.binary(.equal, Self.dereference(outerSide), .attribute(k)))
        }
        let grouped = LogicalPlan.aggregate(groupBy: innerKeys.map { .attribute($0) },
                                            aggregates: aggs + innerKeys.map { .attribute($0) }, body)
        let joined = LogicalPlan.join(outer, grouped, .left, condition: Expr.conjunction(conds))
        let empty = Self.valueOnNoRows(aggs[0].unaliased)
        if case let .literal(v, _) = empty, !v.isNull {
            return (joined, .call(name: "coalesce", args: [.attribute(value), TypeCoercion.cast(empty, to: value.type)], distinct: false))
        }
        return (joined, .attribute(value))
    }

    /// An aggregate expression's value over no rows: count is 0, other aggregates null, then
    /// folded (so `count(*) + 1` is 1).
    static func valueOnNoRows(_ e: Expr) -> Expr {
        let replaced = e.transformDown { x -> Expr? in
            guard case let .call(name, _, _) = x, FunctionRegistry.kind(of: name) == .aggregate else { return nil }
            if name == "count" || name == "count_distinct" { return .bigint(0) }
            return .literal(.null, x.dataType)
        }
        return FoldConstants.fold(replaced)
    }

    /// Removes the correlated conjuncts from the subquery's filters and returns them; the
    /// inner columns they use are kept in the subquery's output.
    func pullUpCorrelated(_ plan: LogicalPlan) throws -> (LogicalPlan, [Expr]) {
        switch plan {
        case let .filter(cond, c):
            let (below, preds) = try pullUpCorrelated(c)
            let correlated = cond.conjuncts.filter(Self.isCorrelated)
            let local = cond.conjuncts.filter { !Self.isCorrelated($0) }
            let node = Expr.conjunction(local).map { LogicalPlan.filter($0, below) } ?? below
            return (node, preds + correlated)
        case let .project(list, c):
            let (below, preds) = try pullUpCorrelated(c)
            let have = Set(list.compactMap(\.toAttribute).map(\.id))
            var extra: [Expr] = []
            for p in preds {
                for a in below.output where p.references.contains(a.id) && !have.contains(a.id) {
                    if !extra.contains(.attribute(a)) { extra.append(.attribute(a)) }
                }
            }
            return (.project(list + extra, below), preds)
        case let .subqueryAlias(n, c):
            let (below, preds) = try pullUpCorrelated(c)
            return (.subqueryAlias(n, below), preds)
        case let .join(l, r, t, cond) where t == .inner || t == .cross:
            let (nl, pl) = try pullUpCorrelated(l)
            let (nr, pr) = try pullUpCorrelated(r)
            return (.join(nl, nr, t, condition: cond), pl + pr)
        default:
            if plan.hasOuterReferences {
                throw EngineError.unsupported("correlated reference below \(plan.nodeString) in a subquery")
            }
            return (plan, [])
        }
    }

    static func isCorrelated(_ e: Expr) -> Bool {
        e.contains { if case .outerReference = $0 { return true }; return false }
    }

    /// Outer references become plain attribute references once the subquery is a join input.
    static func dereference(_ e: Expr) -> Expr {
        e.transformUp { x in
            if case let .outerReference(a) = x { return .attribute(a) }
            return nil
        }
    }
}
