/// Computes an aggregate's grouping expressions and the arguments of its aggregate functions in
/// a projection below it, when the aggregate reads (through projections and filters) a scan that
/// runs the work above it batch by batch as it reads (`PipelinedTableProvider`, e.g. a topic).
///
/// The expressions (JSON extraction from topic payloads, casts) then run inside the scan's tasks,
/// overlapped with its fetches, and the aggregate only hashes and folds plain columns. Spark pulls
/// grouping expressions out into a projection the same way (`PullOutGroupingExpressions`).
public struct PullOutAggregateInputs: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PullOutAggregateInputs`.
    public var name: String { "PullOutAggregateInputs" }

    /// Rewrites every aggregate over a pipelined scan.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node -> LogicalPlan? in
            guard case let .aggregate(groupBy, aggregates, child) = node, Self.readsPipelinedScan(child) else { return nil }
            return Self.pullOut(groupBy, aggregates, child)
        }
        return out == plan ? nil : out
    }

    /// True when `plan` is a pipelined scan under projections, filters and aliases only.
    static func readsPipelinedScan(_ plan: LogicalPlan) -> Bool {
        switch plan {
        case let .scan(s): return s.table.provider is any PipelinedTableProvider
        case let .project(_, c), let .filter(_, c), let .subqueryAlias(_, c): return readsPipelinedScan(c)
        default: return false
        }
    }

    /// Worth computing below: depends on a column, is more than a column, and may move.
    static func worthPulling(_ e: Expr) -> Bool {
        if case .attribute = e { return false }
        return !e.references.isEmpty && e.isMovable
    }

    static func pullOut(_ groupBy: [Expr], _ aggregates: [Expr], _ child: LogicalPlan) -> LogicalPlan? {
        var pulled: [Expr: Attribute] = [:]
        var list: [Expr] = []
        // Named as Spark names pulled-out grouping expressions; the aggregate's results keep their names.
        func column(for e: Expr, _ name: String) -> Expr {
            let key = e.unqualified
            if let a = pulled[key] { return .attribute(a) }
            let a = Attribute(name: name, type: e.dataType, nullable: e.nullable)
            pulled[key] = a
            list.append(.alias(e, name: a.name, id: a.id))
            return .attribute(a)
        }
        let keys = groupBy.map { worthPulling($0) ? column(for: $0, "_groupingexpression") : $0 }
        let keyIndex = Dictionary(groupBy.indices.map { (groupBy[$0].unqualified, keys[$0]) }, uniquingKeysWith: { a, _ in a })
        let aggs = aggregates.map { agg in
            agg.transformDown { e -> Expr? in
                if case .alias = e { return nil }
                // A grouping expression used in a result reads the grouping column.
                if let k = keyIndex[e.unqualified], case .attribute = k { return k }
                guard case let .call(name, args, distinct) = e, FunctionRegistry.kind(of: name) == .aggregate else { return nil }
                return .call(name: name, args: args.map { worthPulling($0) ? column(for: $0, "_aggregateinput") : $0 }, distinct: distinct)
            }
        }
        if list.isEmpty { return nil }
        // The projection passes on the child's columns the aggregate still reads directly.
        var used = Set<AttributeID>()
        for e in keys + aggs { used.formUnion(e.references) }
        let passed = child.output.filter { used.contains($0.id) }.map { Expr.attribute($0) }
        return .aggregate(groupBy: keys, aggregates: aggs, .project(passed + list, child))
    }
}
