/// Moves filter conjuncts as close to the scans as they can go: through projections (replacing
/// aliases), sorts, aliases, unions and into the side of a join they refer to; conjuncts that
/// refer to both sides of an inner or cross join become its join condition, which turns comma
/// joins with WHERE equalities into hash joins.
public struct PushDownPredicates: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PushDownPredicates`.
    public var name: String { "PushDownPredicates" }

    /// Rewrites the plan top-down.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = push(plan)
        return out == plan ? nil : out
    }

    func push(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case let .filter(cond, child):
            let conjuncts = cond.factoringCommonConjuncts.conjuncts
            return pushInto(child, conjuncts)
        case let .join(l, r, type, cond):
            return pushJoin(l, r, type, cond?.factoringCommonConjuncts.conjuncts ?? [], [])
        default:
            let kids = plan.children
            return kids.isEmpty ? plan : plan.withChildren(kids.map(push))
        }
    }

    /// `Filter(conjuncts)` over `child`, pushed down as far as possible.
    func pushInto(_ child: LogicalPlan, _ conjuncts: [Expr]) -> LogicalPlan {
        func keep(_ cs: [Expr], _ node: LogicalPlan) -> LogicalPlan {
            guard let c = Expr.conjunction(cs) else { return node }
            return .filter(c, node)
        }
        let movable = conjuncts.filter(\.isMovable)
        let fixed = conjuncts.filter { !$0.isMovable }
        switch child {
        case let .filter(inner, grand):
            return push(.filter(Expr.conjunction(conjuncts + inner.conjuncts)!, grand))
        case let .project(list, grand) where list.allSatisfy(\.isMovable):
            var map: [AttributeID: Expr] = [:]
            for e in list { if let a = e.toAttribute { map[a.id] = e.unaliased } }
            let below = movable.map { $0.substitute(map) }
            return keep(fixed, .project(list, pushInto(grand, below)))
        case var .scan(relation):
            // The source may use the conjuncts to skip data (offset ranges of a topic, row groups);
            // the filter stays above it, so a source that ignores them is still correct
            // (`RemoveFiltersAppliedByScans` later drops those the source applies exactly).
            let own = Set(relation.output.map(\.id))
            for c in movable where !relation.filters.contains(c)
                && c.references.isSubset(of: own) {
                relation.filters.append(c)
            }
            return keep(conjuncts, .scan(relation))
        case let .sort(orders, grand):
            return keep(fixed, .sort(orders, pushInto(grand, movable)))
        case let .subqueryAlias(name, grand):
            return keep(fixed, .subqueryAlias(name, pushInto(grand, movable)))
        case let .join(l, r, type, cond):
            return keep(fixed, pushJoin(l, r, type, cond?.factoringCommonConjuncts.conjuncts ?? [], movable))
        case let .aggregate(groupBy, aggs, grand):
            // Conjuncts over grouping columns only can be applied before grouping.
            let keyIDs = Set(groupBy.compactMap { e -> AttributeID? in
                if case let .attribute(a) = e { return a.id }
                return nil
            })
            var passThrough: [AttributeID: Expr] = [:]
            for a in aggs {
                if case let .attribute(x) = a, keyIDs.contains(x.id) { passThrough[x.id] = a }
                if case let .alias(.attribute(x), _, id?) = a, keyIDs.contains(x.id) { passThrough[id] = .attribute(x) }
            }
            var below: [Expr] = []
            var above = fixed
            for c in movable {
                if !c.references.isEmpty && c.references.allSatisfy({ passThrough[$0] != nil }) {
                    below.append(c.substitute(passThrough))
                } else {
                    above.append(c)
                }
            }
            return keep(above, .aggregate(groupBy: groupBy, aggregates: aggs, pushInto(grand, below)))
        case let .union(children):
            let out = child.output
            let newChildren = children.map { c -> LogicalPlan in
                var map: [AttributeID: Expr] = [:]
                for (i, a) in out.enumerated() where i < c.output.count { map[a.id] = .attribute(c.output[i]) }
                return pushInto(c, movable.map { $0.substitute(map) })
            }
            return keep(fixed, .union(newChildren))
        default:
            let kids = child.children
            let pushedChild = kids.isEmpty ? child : child.withChildren(kids.map(push))
            return keep(conjuncts, pushedChild)
        }
    }

    /// A join with `joinConds` (its own condition) and `above` (filter conjuncts over it).
    func pushJoin(_ l: LogicalPlan, _ r: LogicalPlan, _ type: JoinType, _ joinConds: [Expr], _ above: [Expr]) -> LogicalPlan {
        let lIDs = l.outputIDs, rIDs = r.outputIDs
        var toLeft: [Expr] = [], toRight: [Expr] = [], inJoin: [Expr] = [], stay: [Expr] = []
        func side(_ c: Expr) -> (left: Bool, right: Bool) {
            let refs = c.references
            return (refs.isSubset(of: lIDs), refs.isSubset(of: rIDs))
        }
        for c in above {
            let (onlyL, onlyR) = side(c)
            switch type {
            case .inner, .cross:
                if onlyL && c.isMovable { toLeft.append(c) } else if onlyR && c.isMovable { toRight.append(c) } else if c.isMovable {
                    inJoin.append(c)
                } else { stay.append(c) }
            case .left, .leftSemi, .leftAnti:
                if onlyL && c.isMovable { toLeft.append(c) } else { stay.append(c) }
            case .right:
                if onlyR && c.isMovable { toRight.append(c) } else { stay.append(c) }
            case .full:
                stay.append(c)
            }
        }
        for c in joinConds {
            let (onlyL, onlyR) = side(c)
            switch type {
            case .inner, .cross, .leftSemi:
                if onlyL && !c.references.isEmpty && c.isMovable && type != .leftSemi { toLeft.append(c) } else if onlyR && !c.references.isEmpty && c.isMovable {
                    toRight.append(c)
                } else { inJoin.append(c) }
            case .left, .leftAnti:
                if onlyR && !c.references.isEmpty && c.isMovable { toRight.append(c) } else { inJoin.append(c) }
            case .right:
                if onlyL && !c.references.isEmpty && c.isMovable { toLeft.append(c) } else { inJoin.append(c) }
            case .full:
                inJoin.append(c)
            }
        }
        let newL = toLeft.isEmpty ? push(l) : pushInto(l, toLeft)
        let newR = toRight.isEmpty ? push(r) : pushInto(r, toRight)
        var newType = type
        if type == .cross && !inJoin.isEmpty { newType = .inner }
        let joined = LogicalPlan.join(newL, newR, newType, condition: Expr.conjunction(inJoin))
        guard let s = Expr.conjunction(stay) else { return joined }
        return .filter(s, joined)
    }
}
