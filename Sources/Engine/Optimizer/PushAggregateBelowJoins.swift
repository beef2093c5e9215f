import Foundation

/// Eager aggregation: when every aggregate of a `GROUP BY` over joins reads columns of one join
/// input only, that input is aggregated first — grouped by its columns that anything above still
/// reads (join and filter conditions, grouping keys) — and the joins above see one row per group
/// instead of one per input row; the aggregate on top then combines the partial results
/// (`sum` of sums, `sum` of counts, `min` of minima…).
///
/// Why the answer stays the same: rows of the input with equal values in every column read above
/// join the same rows of the other inputs and pass the same filters, so each of their combinations
/// lands in the same final group. A row of another input matching a partial group `k` times over
/// gives the same `k`-fold contribution as before (`k · sum = sum` of the `k` copies). The rule
/// applies only through inner joins (and outer joins whose preserved side holds the aggregated
/// input, whose unmatched rows keep their partial values), to `sum`, `count`, `min`, `max` and
/// non-decimal `avg` without `DISTINCT`, and only where the estimated groups are fewer than the
/// input's rows by `groupRatioMax` (the smallest estimated result wins). The setting
/// `tributary.sql.eagerAggregation.enabled=false` turns the rule off.
public struct PushAggregateBelowJoins: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PushAggregateBelowJoins`.
    public var name: String { "PushAggregateBelowJoins" }

    /// The largest estimated ratio of groups to input rows at which an input is aggregated early.
    /// The partial aggregate groups by the few columns the joins above need, usually integer keys,
    /// which costs less per row than carrying the row through the joins and the wider final
    /// aggregate, so a modest reduction pays.
    static let groupRatioMax = 0.9
    /// The smallest estimated ratio of the aggregate's input rows to the early-aggregated input's
    /// rows: joins that keep about every row (a foreign key joined to its whole key table) pay
    /// per row for every row, which the partial aggregate saves.
    static let joinRetentionMin = 0.9

    /// Rewrites every eligible aggregate once; the partial aggregates it creates are not pushed again.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = rewrite(plan)
        return out == plan ? nil : out
    }

    private func rewrite(_ plan: LogicalPlan) -> LogicalPlan {
        if case let .aggregate(groupBy, aggregates, child) = plan,
           let eager = Self.eager(groupBy, aggregates, child) {
            return eager
        }
        let kids = plan.children
        return kids.isEmpty ? plan : plan.withChildren(kids.map(rewrite))
    }

    /// A node between the aggregate and the input aggregated early.
    enum Step {
        case project([Expr])
        case filter(Expr)
        case alias(String)
        /// A join whose `aggregatedLeft` side leads to the aggregated input.
        case join(other: LogicalPlan, JoinType, Expr?, aggregatedLeft: Bool)
    }

    /// A place the partial aggregate may go: the input, the steps above it (top first), the columns
    /// of the input read above, and the aggregate calls rewritten over the input's columns.
    struct Candidate {
        var input: LogicalPlan
        var steps: [Step]
        var keys: [Attribute]
        var calls: [Expr]
        var groupsEstimate: Double
    }

    /// The aggregate with a partial aggregate below one of its joins, or nil when none applies.
    static func eager(_ groupBy: [Expr], _ aggregates: [Expr], _ child: LogicalPlan) -> LogicalPlan? {
        // The aggregate calls, each decomposable; their position in `originals` names them.
        var originals: [Expr] = []
        var decomposable = true
        var needed = Set<AttributeID>()
        for g in groupBy { needed.formUnion(g.allReferences) }
        for a in aggregates {
            if a.hasSubquery { return nil }
            a.forEachOutsideAggregates { needed.formUnion($0.references) }
            _ = a.contains { e in
                guard case let .call(name, args, distinct) = e, FunctionRegistry.kind(of: name) == .aggregate else { return false }
                if distinct || !isDecomposable(name.lowercased(), args) { decomposable = false }
                if !originals.contains(e) { originals.append(e) }
                return false
            }
        }
        guard decomposable, !originals.isEmpty, groupBy.allSatisfy(\.isMovable) else { return nil }

        var candidates: [Candidate] = []
        var steps: [Step] = []
        var calls = originals
        var current = child
        walk: while true {
            switch current {
            case let .project(list, c):
                guard list.allSatisfy(\.isMovable) else { break walk }
                var definitions: [AttributeID: Expr] = [:]
                for e in list { if let a = e.toAttribute { definitions[a.id] = e.unaliased } }
                calls = calls.map { $0.substitute(definitions) }
                var below = Set<AttributeID>()
                for id in needed { if let d = definitions[id] { below.formUnion(d.references) } }
                needed = below
                steps.append(.project(list))
                current = c
            case let .filter(cond, c):
                guard cond.isMovable else { break walk }
                needed.formUnion(cond.references)
                steps.append(.filter(cond))
                current = c
            case let .subqueryAlias(name, c):
                steps.append(.alias(name))
                current = c
            case let .join(l, r, type, cond):
                if let cond, !cond.isMovable { break walk }
                var read = Set<AttributeID>()
                for c in calls { read.formUnion(c.references) }
                guard !read.isEmpty else { break walk }
                let left: Bool
                // Not through semi or anti joins: they only remove rows, which aggregating first would
                // still have to read (and an aggregate's input reduced by a semi join stays reduced).
                if read.isSubset(of: l.outputIDs), type == .inner || type == .cross || type == .left {
                    left = true
                } else if read.isSubset(of: r.outputIDs), type == .inner || type == .cross || type == .right {
                    left = false
                } else {
                    break walk
                }
                let side = left ? l : r, other = left ? r : l
                if let cond { needed.formUnion(cond.references) }
                needed.formIntersection(side.outputIDs)
                steps.append(.join(other: other, type, cond, aggregatedLeft: left))
                let keys = side.output.filter { needed.contains($0.id) }
                let groups = estimateGroups(keys, side, steps)
                let rows = Statistics.estimateRows(side)
                // Joins above that drop most rows make aggregating first read rows the plan would
                // have dropped at a probe: only inputs whose rows mostly reach the aggregate qualify.
                if groups <= groupRatioMax * rows, Statistics.estimateRows(child) >= joinRetentionMin * rows {
                    candidates.append(Candidate(input: side, steps: steps, keys: keys, calls: calls, groupsEstimate: groups))
                }
                current = side
            default:
                break walk
            }
        }
        guard let best = candidates.min(by: { $0.groupsEstimate < $1.groupsEstimate }) else { return nil }
        return build(groupBy, aggregates, originals, best)
    }

    /// `sum`, `count`, `min`, `max`, and `avg` of a non-decimal (whose exact result is a double
    /// quotient of a sum and a count).
    static func isDecomposable(_ name: String, _ args: [Expr]) -> Bool {
        switch name {
        case "sum", "count", "min", "max": return true
        case "avg", "mean":
            guard args.count == 1 else { return false }
            if case .decimal = args[0].dataType { return false }
            return args[0].dataType.isNumeric
        default: return false
        }
    }

    /// The estimated distinct combinations of `keys` among the rows of `input`. A key joined by
    /// equality to a column of a smaller table (a foreign key) takes at most that table's rows as
    /// values, and rows drawn at random from them repeat; any other key is taken as distinct in
    /// each row (a key of its own table), which leaves nothing to reduce.
    static func estimateGroups(_ keys: [Attribute], _ input: LogicalPlan, _ steps: [Step]) -> Double {
        let rows = max(1, Statistics.estimateRows(input))
        if keys.isEmpty { return 1 }
        var combinations = 1.0
        for k in keys {
            let own = Statistics.baseRows(of: k.id, in: input) ?? rows
            var distinct = own
            for step in steps {
                guard case let .join(other, _, cond?, _) = step else { continue }
                for c in cond.conjuncts {
                    guard case let .binary(.equal, .attribute(a), .attribute(b)) = c else { continue }
                    let partner = a.id == k.id ? b.id : (b.id == k.id ? a.id : nil)
                    if let partner, let bound = Statistics.baseRows(of: partner, in: other) {
                        distinct = min(distinct, bound)
                    }
                }
            }
            if distinct >= own { return rows }
            combinations = min(combinations * max(1, distinct), 1e18)
        }
        return combinations * (1 - exp(-rows / combinations))
    }

    /// The plan with the partial aggregate under `c.steps` and the combining aggregate on top.
    static func build(_ groupBy: [Expr], _ aggregates: [Expr], _ originals: [Expr], _ c: Candidate) -> LogicalPlan {
        var partials: [Expr] = []
        var finals: [Expr: Expr] = [:]
        func partial(_ call: Expr, _ name: String) -> Attribute {
            let a = Attribute(name: name, type: call.dataType, nullable: call.nullable)
            partials.append(.alias(call, name: name, id: a.id))
            return a
        }
        let global = groupBy.isEmpty
        for (original, call) in zip(originals, c.calls) {
            guard case let .call(name, args, _) = call else { continue }
            let type = original.dataType
            switch name.lowercased() {
            case "count":
                let p = partial(call, "_partial_count")
                let total = Expr.call(name: "sum", args: [.attribute(p)], distinct: false)
                // An empty global group counts zero where the sum of no counts is null.
                finals[original] = global ? .call(name: "coalesce", args: [total, .literal(.int(0), .int64)], distinct: false) : total
            case "sum":
                let p = partial(call, "_partial_sum")
                let total = Expr.call(name: "sum", args: [.attribute(p)], distinct: false)
                // A sum of decimal sums widens the type again; the values are the same.
                finals[original] = total.dataType == type ? total : .cast(total, type)
            case "min", "max":
                let p = partial(call, "_partial_\(name.lowercased())")
                finals[original] = .call(name: name.lowercased(), args: [.attribute(p)], distinct: false)
            default:
                // avg(x) of a non-decimal: the double sum over the count of non-null values.
                let asDouble = args[0].dataType == .float64 ? args[0] : .cast(args[0], .float64)
                let s = partial(.call(name: "sum", args: [asDouble], distinct: false), "_partial_sum")
                let n = partial(.call(name: "count", args: [args[0]], distinct: false), "_partial_count")
                let total = Expr.call(name: "sum", args: [.attribute(s)], distinct: false)
                let count = Expr.cast(.call(name: "sum", args: [.attribute(n)], distinct: false), .float64)
                // No non-null value: the count is zero and avg is null.
                finals[original] = .caseWhen(operand: nil, branches: [WhenClause(.binary(.greater, count, .double(0)),
                                                                                   .binary(.divide, total, count))],
                                             otherwise: .literal(.null, .float64))
            }
        }
        let keys = c.keys.map { Expr.attribute($0) }
        var plan = LogicalPlan.aggregate(groupBy: keys, aggregates: keys + partials, c.input)
        let partialIDs = partials.compactMap { $0.toAttribute }
        for step in c.steps.reversed() {
            switch step {
            case let .project(list):
                let available = plan.outputIDs
                var kept = list.filter { $0.references.isSubset(of: available) }
                let listed = Set(kept.compactMap { $0.toAttribute?.id })
                kept += partialIDs.filter { !listed.contains($0.id) }.map { Expr.attribute($0) }
                plan = .project(kept, plan)
            case let .filter(cond):
                plan = .filter(cond, plan)
            case let .alias(name):
                plan = .subqueryAlias(name, plan)
            case let .join(other, type, cond, left):
                plan = left ? .join(plan, other, type, condition: cond) : .join(other, plan, type, condition: cond)
            }
        }
        let combined = aggregates.map { a in a.transformUp { e in finals[e] } }
        return .aggregate(groupBy: groupBy, aggregates: combined, plan)
    }
}

extension Expr {
    /// Calls `body` on each part of the expression outside aggregate calls (the parts that read
    /// grouping columns).
    func forEachOutsideAggregates(_ body: (Expr) -> Void) {
        if case let .call(name, _, _) = self, FunctionRegistry.kind(of: name) == .aggregate { return }
        if case .attribute = self { body(self) }
        for c in children { c.forEachOutsideAggregates(body) }
    }
}
