/// Drops columns no operator above needs: scans read only the columns used, projections and
/// aggregates stop computing unused outputs. (Projection pushdown.)
public struct PruneColumns: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PruneColumns`.
    public var name: String { "PruneColumns" }

    /// Prunes below the root, which keeps all its columns.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = prune(plan, required: plan.outputIDs)
        return out == plan ? nil : out
    }

    private func refs(_ es: [Expr]) -> Set<AttributeID> {
        var s = Set<AttributeID>()
        for e in es { s.formUnion(e.allReferences) }
        return s
    }

    func prune(_ plan: LogicalPlan, required: Set<AttributeID>) -> LogicalPlan {
        switch plan {
        case var .scan(s):
            var keep = s.output.indices.filter { required.contains(s.output[$0].id) }
            // A scan must still produce row counts when no column is needed (count(*)).
            if keep.isEmpty && !s.output.isEmpty { keep = [0] }
            s.output = keep.map { s.output[$0] }
            s.columns = keep.map { s.columns[$0] }
            return .scan(s)
        case let .localRelation(output, _):
            // Cached data keeps all its columns; a projection narrows what flows upward.
            let keep = output.filter { required.contains($0.id) }
            if keep.count == output.count || keep.isEmpty { return plan }
            return .project(keep.map { .attribute($0) }, plan)
        case let .project(list, c):
            var kept = list.filter { e in e.toAttribute.map { required.contains($0.id) } ?? true }
            if kept.isEmpty, let first = list.first { kept = [first] }
            return .project(kept, prune(c, required: refs(kept)))
        case let .filter(cond, c):
            return .filter(cond, prune(c, required: required.union(refs([cond]))))
        case let .aggregate(g, aggs, c):
            var kept = aggs.filter { e in e.toAttribute.map { required.contains($0.id) } ?? true }
            if kept.isEmpty, let first = aggs.first { kept = [first] }
            return .aggregate(groupBy: g, aggregates: kept, prune(c, required: refs(g + kept)))
        case let .join(l, r, t, cond):
            let need = required.union(refs(cond.map { [$0] } ?? []))
            let join = LogicalPlan.join(prune(l, required: need), prune(r, required: need), t, condition: cond)
            // Columns only a filter inside an input read (a dimension's name compared with a
            // constant) still leave the join; a projection above says which columns go on, so
            // the physical join gathers only those for its matched rows.
            let output = join.output
            let kept = output.filter { required.contains($0.id) }
            if kept.isEmpty || kept.count == output.count { return join }
            return .project(kept.map { .attribute($0) }, join)
        case let .sort(orders, c):
            return .sort(orders, prune(c, required: required.union(refs(orders.map(\.expr)))))
        case let .limit(n, off, c):
            return .limit(n, offset: off, prune(c, required: required))
        case let .subqueryAlias(name, c):
            return .subqueryAlias(name, prune(c, required: required))
        case let .window(ws, c):
            return .window(ws, prune(c, required: required.union(refs(ws))))
        case let .generate(g, outer, out, c):
            return .generate(g, outer: outer, generatorOutput: out, prune(c, required: required.union(refs([g]))))
        case .union, .distinct, .intersect, .except:
            // Every column takes part in the result (positions or row identity): keep all.
            return plan.withChildren(plan.children.map { prune($0, required: $0.outputIDs) })
        default:
            return plan
        }
    }
}
