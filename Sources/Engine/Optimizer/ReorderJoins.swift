/// Reorders trees of inner and cross joins so that no cross product is formed while an input
/// connected by a join condition remains: starting from the first input, the next input is the
/// first one (in the order written) that a condition connects to what is joined so far, as
/// Spark does without cost-based optimization. Without column statistics, the written order is
/// the better guide to which joins are selective (a size-greedy order joins on non-key
/// columns such as nation keys too early); the physical planner then builds each hash table on
/// the smaller side.
public struct ReorderJoins: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `ReorderJoins`.
    public var name: String { "ReorderJoins" }

    /// Reorders every maximal inner-join tree.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = reorder(plan)
        return out == plan ? nil : out
    }

    func reorder(_ plan: LogicalPlan) -> LogicalPlan {
        guard case let .join(_, _, type, _) = plan, type == .inner || type == .cross else {
            let kids = plan.children
            return kids.isEmpty ? plan : plan.withChildren(kids.map(reorder))
        }
        var leaves: [LogicalPlan] = []
        var conds: [Expr] = []
        flatten(plan, &leaves, &conds)
        leaves = leaves.map(reorder)
        if leaves.count <= 2 {
            return rebuildInOrder(plan)
        }
        let ids = leaves.map(\.outputIDs)
        var remaining = Array(leaves.indices)
        let start = 0
        remaining.removeAll { $0 == start }
        var current = leaves[start]
        var joinedIDs = ids[start]
        var unused = conds
        while !remaining.isEmpty {
            func connects(_ i: Int) -> Bool {
                unused.contains { c in
                    let refs = c.references
                    return !refs.isDisjoint(with: ids[i]) && !refs.isDisjoint(with: joinedIDs)
                        && refs.isSubset(of: joinedIDs.union(ids[i]))
                }
            }
            let next = remaining.first(where: connects) ?? remaining[0]
            remaining.removeAll { $0 == next }
            let scope = joinedIDs.union(ids[next])
            let now = unused.filter { $0.references.isSubset(of: scope) }
            unused.removeAll { $0.references.isSubset(of: scope) }
            current = .join(current, leaves[next], now.isEmpty ? .cross : .inner, condition: Expr.conjunction(now))
            joinedIDs = scope
        }
        if let rest = Expr.conjunction(unused) { current = .filter(rest, current) }
        // Keep the original column order for whoever reads this join's output.
        let original = plan.output
        if current.output.map(\.id) != original.map(\.id) {
            current = .project(original.map { .attribute($0) }, current)
        }
        return current
    }

    private func rebuildInOrder(_ plan: LogicalPlan) -> LogicalPlan {
        guard case let .join(l, r, t, c) = plan else { return plan }
        return .join(reorder(l), reorder(r), t, condition: c)
    }

    private func flatten(_ plan: LogicalPlan, _ leaves: inout [LogicalPlan], _ conds: inout [Expr]) {
        if case let .join(l, r, t, c) = plan, t == .inner || t == .cross {
            flatten(l, &leaves, &conds)
            flatten(r, &leaves, &conds)
            if let c { conds.append(contentsOf: c.conjuncts) }
        } else {
            leaves.append(plan)
        }
    }
}
