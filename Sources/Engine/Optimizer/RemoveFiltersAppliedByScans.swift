/// Drops from a Filter right above a scan the conjuncts the scan's source applies exactly
/// (`TableProvider.appliesExactly`), recording them in the scan's `exactFilters`; a Filter left
/// without conjuncts goes. `PruneColumns`, run after this rule, then stops outputting columns that
/// only those filters read: the scan still reads them for the filter, but does not copy them out
/// (TPC-H Q13's `o_comment NOT LIKE …` is judged inside the orders scan and never leaves it).
///
/// Runs after predicates are pushed down, so that the Filter holds every conjunct the scan was given.
public struct RemoveFiltersAppliedByScans: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `RemoveFiltersAppliedByScans`.
    public var name: String { "RemoveFiltersAppliedByScans" }

    /// Rewrites every Filter directly above a scan.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node -> LogicalPlan? in
            guard case let .filter(condition, .scan(scan)) = node else { return nil }
            return Self.remove(condition, above: scan)
        }
        return out == plan ? nil : out
    }

    /// `Filter(condition)` over `scan` without the conjuncts `scan` applies exactly; nil when it
    /// applies none of them.
    static func remove(_ condition: Expr, above scan: ScanRelation) -> LogicalPlan? {
        let flags = scan.table.provider.appliesExactly(scan.filters)
        guard flags.count == scan.filters.count else { return nil }
        let exact = zip(scan.filters, flags).filter(\.1).map(\.0)
        let conjuncts = condition.conjuncts
        let applied = conjuncts.filter { exact.contains($0) }
        guard !applied.isEmpty else { return nil }
        var relation = scan
        for conjunct in applied where !relation.exactFilters.contains(conjunct) { relation.exactFilters.append(conjunct) }
        let left = conjuncts.filter { !exact.contains($0) }
        guard let rest = Expr.conjunction(left) else { return .scan(relation) }
        return .filter(rest, .scan(relation))
    }
}
