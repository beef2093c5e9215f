/// Small helpers shared by optimizer rules.
extension Expr {
    /// Ids of attributes referenced, including outer references made from inside subqueries.
    var allReferences: Set<AttributeID> {
        var out = references
        func visitPlan(_ p: LogicalPlan) {
            for e in p.expressions {
                e.contains { x in
                    if case let .outerReference(a) = x { out.insert(a.id) }
                    switch x {
                    case let .exists(sp, _), let .inSubquery(_, sp, _), let .scalarSubquery(sp): visitPlan(sp)
                    default: break
                    }
                    return false
                }
            }
            for c in p.children { visitPlan(c) }
        }
        _ = contains { x in
            switch x {
            case let .exists(sp, _), let .inSubquery(_, sp, _), let .scalarSubquery(sp): visitPlan(sp)
            default: break
            }
            return false
        }
        return out
    }

    /// True when the expression is deterministic and free of subqueries, so it may be moved.
    var isMovable: Bool {
        !hasSubquery && !contains { x in
            if case let .call(name, _, _) = x {
                return FunctionRegistry.kind(of: name) != .scalar || FunctionRegistry.isNondeterministic(name)
            }
            if case .window = x { return true }
            if case .outerReference = x { return true }
            return false
        }
    }

    /// Replaces attributes by the expressions a projection defines for them.
    func substitute(_ map: [AttributeID: Expr]) -> Expr {
        transformUp { x in
            if case let .attribute(a) = x, let r = map[a.id] { return r }
            return nil
        }
    }

    /// `(a AND b AND x) OR (a AND c)` → `a AND ((b AND x) OR c)`: conjuncts common to every
    /// branch of a disjunction are pulled out, so join keys hidden in ORs become usable.
    var factoringCommonConjuncts: Expr {
        transformUp { x in
            guard case .binary(.or, _, _) = x else { return nil }
            let branches = x.disjuncts
            guard branches.count > 1 else { return nil }
            var common = branches[0].conjuncts
            for b in branches.dropFirst() {
                let cs = b.conjuncts
                common = common.filter { cs.contains($0) }
            }
            guard !common.isEmpty else { return nil }
            let rests = branches.map { b -> Expr in
                Expr.conjunction(b.conjuncts.filter { !common.contains($0) }) ?? .bool(true)
            }
            if rests.contains(.bool(true)) { return Expr.conjunction(common) }
            let or = rests.dropFirst().reduce(rests[0]) { .binary(.or, $0, $1) }
            return Expr.conjunction(common + [or])
        }
    }

    /// Splits `a OR b OR c` into `[a, b, c]`.
    var disjuncts: [Expr] {
        if case let .binary(.or, l, r) = self { return l.disjuncts + r.disjuncts }
        return [self]
    }
}

extension LogicalPlan {
    /// Ids of the output attributes.
    var outputIDs: Set<AttributeID> { Set(output.map(\.id)) }
}
