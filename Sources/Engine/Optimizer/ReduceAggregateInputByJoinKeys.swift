/// Restricts the input of an aggregate that is joined on its grouping keys to the keys the other
/// side can match (a "magic set" reduction, as decorrelated subqueries need):
/// `outer ⟕ (SELECT k, avg(v) FROM big GROUP BY k) ON outer.x = k` computes a group for every
/// `k` of `big`, though only the `x` values of `outer` are looked up. When `outer` takes `x` (or
/// a column equal to it through a join or filter condition) from a filtered input `S` (a scan
/// with filters, no joins), the aggregate's input becomes `big ⋉ S ON big.k = S.x`, with `S`
/// copied under fresh column ids. Groups whose key is not in `S` could only have joined rows
/// that do not exist, so inner, left (aggregate on the right) and left semi joins keep their
/// result. `S` is read twice, which pays when it is much smaller than the aggregate's input.
public struct ReduceAggregateInputByJoinKeys: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `ReduceAggregateInputByJoinKeys`.
    public var name: String { "ReduceAggregateInputByJoinKeys" }

    /// How much smaller than the aggregate's input the copied input must be estimated to be.
    static let reductionFactorMin = 4.0

    /// Reduces the aggregates of every eligible join, once.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node -> LogicalPlan? in
            guard case let .join(outer, inner, type, cond?) = node,
                  type == .inner || type == .left || type == .leftSemi else { return nil }
            guard let reduced = reduce(inner, outer: outer, cond) else { return nil }
            return .join(outer, reduced, type, condition: cond)
        }
        return out == plan ? nil : out
    }

    /// `inner` with its aggregate's input reduced, or nil when no reduction applies.
    func reduce(_ inner: LogicalPlan, outer: LogicalPlan, _ cond: Expr) -> LogicalPlan? {
        switch inner {
        case let .subqueryAlias(name, c):
            return reduce(c, outer: outer, cond).map { .subqueryAlias(name, $0) }
        case let .project(list, c):
            // Plain renames keep the key a key: `cond` may name the renamed column.
            var map: [AttributeID: Expr] = [:]
            for e in list { if let a = e.toAttribute, case .attribute = e.unaliased { map[a.id] = e.unaliased } }
            return reduce(c, outer: outer, cond.substitute(map)).map { .project(list, $0) }
        case let .filter(f, c):
            return reduce(c, outer: outer, cond).map { .filter(f, $0) }
        case let .aggregate(groupBy, aggs, child):
            if Self.isReduced(child) { return nil }
            let outerIDs = outer.outputIDs
            // Grouping columns the aggregate outputs unchanged, by output id → input expression.
            var keys: [AttributeID: Attribute] = [:]
            for g in groupBy { if case let .attribute(a) = g { keys[a.id] = a } }
            var outputKey: [AttributeID: Attribute] = [:]
            for a in aggs {
                if case let .attribute(x) = a, let k = keys[x.id] { outputKey[x.id] = k }
                if case let .alias(.attribute(x), _, id?) = a, let k = keys[x.id] { outputKey[id] = k }
            }
            let sources = ReductionSources(outer)
            let childRows = Statistics.estimateRows(child)
            for c in cond.conjuncts {
                guard case let .binary(.equal, a, b) = c, case let .attribute(la) = a, case let .attribute(ra) = b else { continue }
                let pairs = [(la, ra), (ra, la)]
                for (o, k) in pairs where outerIDs.contains(o.id) {
                    guard let key = outputKey[k.id], let found = sources.best(for: o.id),
                          Statistics.estimateRows(found.0) * Self.reductionFactorMin <= childRows else { continue }
                    let (s, column) = found
                    let copy = FreshInstance.of(s)
                    guard let index = s.output.firstIndex(where: { $0.id == column.id }) else { continue }
                    let y = copy.output[index]
                    let semi = LogicalPlan.join(child, .project([.attribute(y)], copy), .leftSemi,
                                                condition: .binary(.equal, .attribute(key), .attribute(y)))
                    return .aggregate(groupBy: groupBy, aggregates: aggs, semi)
                }
            }
            return nil
        default:
            return nil
        }
    }

    /// True when the input was already reduced by this rule (a semi join with a filtered copy).
    static func isReduced(_ child: LogicalPlan) -> Bool {
        if case let .join(_, r, .leftSemi, _) = child, case let .project(_, s) = r, ReductionSources.isFilteredBase(s) {
            return true
        }
        return false
    }
}

/// The filtered inputs of a plan that bound the values of its output columns: every output row's
/// value of column `x` is among the values the input produces, standalone, for `x` or for a column
/// `x` equals in every output row.
struct ReductionSources {
    /// Filtered inputs without joins, with the columns they produce.
    private(set) var inputs: [LogicalPlan] = []
    /// Column ids known equal in every output row (pairs, from equality conditions).
    private var equal: [AttributeID: Set<AttributeID>] = [:]

    init(_ plan: LogicalPlan) { collect(plan) }

    /// The smallest filtered input producing `id` or a column equal to it, with that column.
    func best(for id: AttributeID) -> (LogicalPlan, Attribute)? {
        var group: Set<AttributeID> = [id]
        var frontier = [id]
        while let x = frontier.popLast() {
            for y in equal[x] ?? [] where !group.contains(y) {
                group.insert(y)
                frontier.append(y)
            }
        }
        var found: (LogicalPlan, Attribute, Double)?
        for s in inputs {
            guard let column = s.output.first(where: { group.contains($0.id) }) else { continue }
            let rows = Statistics.estimateRows(s)
            if found == nil || rows < found!.2 { found = (s, column, rows) }
        }
        return found.map { ($0.0, $0.1) }
    }

    /// A scan or cached relation under filters (and projections), without joins or aggregates.
    static func isFilteredBase(_ plan: LogicalPlan) -> Bool {
        func walk(_ p: LogicalPlan, _ filtered: Bool) -> Bool {
            switch p {
            case let .filter(c, child): return c.isMovable && walk(child, true)
            case let .project(list, child): return list.allSatisfy(\.isMovable) && walk(child, filtered)
            case let .subqueryAlias(_, child): return walk(child, filtered)
            case let .scan(s): return filtered || !s.filters.isEmpty
            case .localRelation: return filtered
            default: return false
            }
        }
        return walk(plan, false)
    }

    private mutating func noteEqualities(_ cond: Expr) {
        for c in cond.conjuncts {
            guard case let .binary(.equal, .attribute(a), .attribute(b)) = c else { continue }
            equal[a.id, default: []].insert(b.id)
            equal[b.id, default: []].insert(a.id)
        }
    }

    private mutating func collect(_ plan: LogicalPlan) {
        if Self.isFilteredBase(plan) {
            inputs.append(plan)
            return
        }
        switch plan {
        case let .filter(cond, c):
            noteEqualities(cond)
            collect(c)
        case let .project(list, c):
            for e in list {
                if case let .alias(.attribute(x), _, id?) = e {
                    equal[x.id, default: []].insert(id)
                    equal[id, default: []].insert(x.id)
                }
            }
            collect(c)
        case let .subqueryAlias(_, c), let .sort(_, c), let .limit(_, _, c):
            collect(c)
        case let .join(l, r, type, cond):
            switch type {
            case .inner, .cross, .leftSemi:
                // Every output row satisfies the condition, with a row of each side.
                if let cond { noteEqualities(cond) }
                collect(l)
                collect(r)
            case .left, .leftAnti:
                collect(l)
            case .right:
                collect(r)
            case .full:
                break
            }
        default:
            break
        }
    }
}
