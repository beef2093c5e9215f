import Foundation

/// Row estimates for planning: ordering joins, picking the side to hash, deciding whether a
/// reduction pays. Without column statistics they follow fixed selectivities per predicate kind
/// (an equality keeps fewer rows than a range, a range fewer than an inequality), as optimizers
/// do in the absence of histograms; only the relative order of the estimates matters.
extension Statistics {
    /// A rough row estimate of the plan's output.
    public static func estimateRows(_ plan: LogicalPlan) -> Double {
        switch plan {
        case let .scan(s):
            // The scan's pushed filters are copies of a filter kept above it, which counts them,
            // except those the scan applies exactly (no Filter is kept for them).
            let rows = tableRows(s)
            return Expr.conjunction(s.exactFilters).map { rows * selectivity($0) } ?? rows
        case let .localRelation(_, data): return Double(data.batches.reduce(0) { $0 + $1.rowCount })
        case let .filter(cond, c): return estimateRows(c) * selectivity(cond)
        case let .aggregate(g, _, c): return g.isEmpty ? 1 : estimateRows(c) * 0.5
        case let .limit(n, _, c): return min(Double(n), estimateRows(c))
        case let .join(l, r, t, cond):
            switch t {
            case .leftSemi, .leftAnti: return estimateRows(l) * 0.5
            case .cross: return estimateRows(l) * estimateRows(r)
            case .inner: return innerJoinRows(l, r, cond)
            default: return max(estimateRows(l), estimateRows(r))
            }
        case let .union(cs): return cs.reduce(0) { $0 + estimateRows($1) }
        default: return plan.children.map(estimateRows).max() ?? 1
        }
    }

    /// The rows of a scan's table, before any filter.
    static func tableRows(_ s: ScanRelation) -> Double {
        let st = s.table.provider.statistics
        return Double(st.rowCount ?? (st.sizeBytes.map { $0 / 100 } ?? 1_000_000))
    }

    /// The estimated fraction of rows a predicate keeps.
    public static func selectivity(_ e: Expr) -> Double {
        switch e {
        case let .binary(.and, a, b): return selectivity(a) * selectivity(b)
        case let .binary(.or, a, b):
            let sa = selectivity(a), sb = selectivity(b)
            return sa + sb - sa * sb
        case let .unary(.not, a): return 1 - selectivity(a)
        case .binary(.equal, _, _), .binary(.nullSafeEqual, _, _): return 0.1
        case .binary(.notEqual, _, _): return 0.9
        case .binary(.less, _, _), .binary(.lessOrEqual, _, _), .binary(.greater, _, _), .binary(.greaterOrEqual, _, _):
            return 1.0 / 3
        case let .between(_, _, _, negated): return negated ? 8.0 / 9 : 1.0 / 9
        case let .inList(_, list, negated):
            let s = min(0.5, 0.1 * Double(list.count))
            return negated ? 1 - s : s
        case let .like(_, _, negated, _): return negated ? 0.75 : 0.25
        case let .isNull(_, negated): return negated ? 0.9 : 0.1
        case .literal(.boolean(true), _): return 1
        case .literal(.boolean(false), _): return 0
        default: return 0.5
        }
    }

    /// `|l| · |r| / ndv` for an equi-join, the key's distinct count being the base rows of the
    /// smaller table it comes from (a primary key–foreign key join keeps the foreign key side's
    /// rows that the key side's filters let through); without equalities, the larger side.
    static func innerJoinRows(_ l: LogicalPlan, _ r: LogicalPlan, _ cond: Expr?) -> Double {
        let lr = estimateRows(l), rr = estimateRows(r)
        var distinctMax = 0.0
        var other = 1.0
        for c in cond?.conjuncts ?? [] {
            if case let .binary(.equal, .attribute(a), .attribute(b)) = c,
               let ba = baseRows(of: a.id, in: l) ?? baseRows(of: a.id, in: r),
               let bb = baseRows(of: b.id, in: r) ?? baseRows(of: b.id, in: l) {
                distinctMax = max(distinctMax, max(1, min(ba, bb)))
            } else {
                other *= selectivity(c)
            }
        }
        if distinctMax == 0 { return max(lr, rr) * other }
        return max(1, lr * rr / distinctMax * other)
    }

    /// The rows of the base table (or aggregate, whose grouping columns are a key) that column
    /// `id` of `plan` comes from, before filters; nil when `plan` does not output it.
    static func baseRows(of id: AttributeID, in plan: LogicalPlan) -> Double? {
        guard plan.output.contains(where: { $0.id == id }) else { return nil }
        switch plan {
        case let .filter(_, c), let .subqueryAlias(_, c), let .sort(_, c), let .limit(_, _, c), let .project(_, c):
            return baseRows(of: id, in: c) ?? estimateRows(plan)
        case let .join(l, r, _, _):
            return baseRows(of: id, in: l) ?? baseRows(of: id, in: r)
        case let .scan(s):
            return tableRows(s)
        default:
            return estimateRows(plan)
        }
    }

    /// The rows of the table under an input's filters and projections.
    public static func estimateBaseRows(_ plan: LogicalPlan) -> Double {
        switch plan {
        case let .filter(_, c), let .subqueryAlias(_, c), let .project(_, c): return estimateBaseRows(c)
        case let .scan(s): return tableRows(s)
        default: return estimateRows(plan)
        }
    }
}
