import Columnar

/// Turns an optimized logical plan into operators.
public struct PhysicalPlanner {
    /// The context the operators will run in.
    public let context: ExecutionContext
    /// The session (needed to run uncorrelated subqueries while planning).
    let session: Session?

    /// A planner.
    public init(context: ExecutionContext, session: Session? = nil) {
        self.context = context
        self.session = session
    }

    /// The operator tree for `plan`.
    public func plan(_ plan: LogicalPlan) throws -> any PhysicalOperator {
        var prepared = try evaluateUncorrelatedSubqueries(plan)
        if prepared != plan {
            // Conditions that held a subquery could not move; as constants they can now go down
            // to the scans (and below joins that would otherwise see rows they reject).
            prepared = try Optimizer(batches: [RuleBatch("Pushdown", [PushDownPredicates()], toFixedPoint: true),
                                               RuleBatch("Exact", [RemoveFiltersAppliedByScans()], toFixedPoint: false)])
                .optimize(prepared)
        }
        let root = try build(prepared)
        Self.markSharedScans(root)
        return root
    }

    /// Scans alike (same table, columns and filters) read once through the query's scan cache; runtime
    /// key filters would make each read on its own, so such scans take none.
    static func markSharedScans(_ root: any PhysicalOperator) {
        var seen: [ScanResultCache.Key: ScanExec] = [:]
        func walk(_ op: any PhysicalOperator) {
            if let scan = op as? ScanExec {
                let key = ScanResultCache.Key(table: scan.relation.table.provider, columns: scan.relation.columns,
                                              filters: scan.relation.filters)
                if let twin = seen[key] {
                    twin.takesRuntimeFilters = false
                    scan.takesRuntimeFilters = false
                } else {
                    seen[key] = scan
                }
            }
            for c in op.children { walk(c) }
        }
        walk(root)
    }

    func build(_ plan: LogicalPlan) throws -> any PhysicalOperator {
        switch plan {
        case let .scan(s):
            return ScanExec(s)
        case let .localRelation(out, data):
            return LocalExec(output: out, data: data)
        case let .subqueryAlias(_, c):
            return try build(c)
        case let .project(list, .filter(cond, c)):
            let needed = list.reduce(cond.references) { $0.union($1.references) }
            return FilterProjectExec(condition: cond, projection: list, child: JoinOutputPruning.narrow(try build(c), to: needed))
        case let .project(list, c):
            let needed = list.reduce(Set<AttributeID>()) { $0.union($1.references) }
            return FilterProjectExec(condition: nil, projection: list, child: JoinOutputPruning.narrow(try build(c), to: needed))
        case let .filter(cond, c):
            return FilterProjectExec(condition: cond, projection: nil, child: try build(c))
        case let .aggregate(g, a, c):
            return try planAggregate(groupBy: g, aggregates: a, child: try build(c))
        case let .join(l, r, type, cond):
            return try planJoin(l, r, type, cond, output: plan.output)
        case let .limit(n, off, .sort(orders, c)):
            let sorted = SortExec(orders: orders, limit: n > Int.max - off ? Int.max : n + off, child: try build(c))
            return LimitExec(limit: n, offset: off, child: sorted)
        case let .sort(orders, c):
            return SortExec(orders: orders, limit: nil, child: try build(c))
        case let .limit(n, off, c):
            return LimitExec(limit: n, offset: off, child: try build(c))
        case let .union(cs):
            return UnionExec(try cs.map(build), output: plan.output)
        case let .distinct(c):
            let child = try build(c)
            return distinct(child)
        case let .intersect(l, r, all), let .except(l, r, all):
            var isIntersect = false
            if case .intersect = plan { isIntersect = true }
            let lp = try build(l), rp = try build(r)
            if all { return SetOperationAllExec(left: lp, right: rp, intersect: isIntersect) }
            let join = HashJoinExec(left: lp, right: rp, type: isIntersect ? .leftSemi : .leftAnti,
                                    leftKeys: lp.output.map { .attribute($0) }, rightKeys: rp.output.map { .attribute($0) },
                                    residual: nil, output: lp.output, nullsEqual: true)
            return distinct(join)
        case let .window(exprs, c):
            return try WindowExec(windows: exprs, child: try build(c))
        case let .generate(g, outer, out, c):
            return GenerateExec(generator: g, outer: outer, generatorOutput: out, child: try build(c))
        case .with, .unresolvedRelation:
            throw EngineError.execution("unresolved plan node \(plan.nodeString) reached the physical planner")
        }
    }

    func distinct(_ child: any PhysicalOperator) -> any PhysicalOperator {
        let keys = child.output.map { Expr.attribute($0) }
        return HashAggregateExec(keys: keys, keyAttributes: child.output, calls: [], results: keys, child: child)
    }

    // MARK: Aggregates

    func planAggregate(groupBy: [Expr], aggregates: [Expr], child: any PhysicalOperator) throws -> any PhysicalOperator {
        var keyAttrs: [Attribute] = []
        for g in groupBy {
            if case let .attribute(a) = g { keyAttrs.append(a) } else {
                keyAttrs.append(Attribute(name: g.prettyName, type: g.dataType, nullable: g.nullable))
            }
        }
        let normalizedKeys = groupBy.map(\.unqualified)
        var calls: [AggregateCall] = []
        var callIndex: [Expr: Int] = [:]
        let results = aggregates.map { agg in
            agg.transformDown { e -> Expr? in
                if case .alias = e { return nil }
                if let k = normalizedKeys.firstIndex(of: e.unqualified) { return .attribute(keyAttrs[k]) }
                guard case let .call(name, args, distinct) = e, FunctionRegistry.kind(of: name) == .aggregate else { return nil }
                let norm = e.unqualified
                if let i = callIndex[norm] { return .attribute(calls[i].attribute) }
                let attr = Attribute(name: e.prettyName, type: e.dataType, nullable: true)
                callIndex[norm] = calls.count
                calls.append(AggregateCall(name: name, args: args, distinct: distinct, resultType: e.dataType, attribute: attr))
                return .attribute(attr)
            }
        }
        let (sharedCalls, input) = CommonAggregateInputs.extract(calls, child: child)
        return HashAggregateExec(keys: groupBy, keyAttributes: keyAttrs, calls: sharedCalls, results: results, child: input)
    }

    // MARK: Joins

    /// Splits a join condition into equality keys (left expr, right expr) and a residual.
    static func equiKeys(_ cond: Expr?, left: Set<AttributeID>, right: Set<AttributeID>) -> ([Expr], [Expr], Expr?) {
        guard let cond else { return ([], [], nil) }
        var lk: [Expr] = [], rk: [Expr] = [], rest: [Expr] = []
        for c in cond.conjuncts {
            if case let .binary(.equal, a, b) = c {
                let ar = a.references, br = b.references
                if !ar.isEmpty, !br.isEmpty, ar.isSubset(of: left), br.isSubset(of: right) {
                    lk.append(a)
                    rk.append(b)
                    continue
                }
                if !ar.isEmpty, !br.isEmpty, ar.isSubset(of: right), br.isSubset(of: left) {
                    lk.append(b)
                    rk.append(a)
                    continue
                }
            }
            rest.append(c)
        }
        return (lk, rk, Expr.conjunction(rest))
    }

    func planJoin(_ l: LogicalPlan, _ r: LogicalPlan, _ type: JoinType, _ cond: Expr?, output: [Attribute]) throws
        -> any PhysicalOperator {
        let leftIDs = Set(l.output.map(\.id)), rightIDs = Set(r.output.map(\.id))
        let (lk, rk, residual) = Self.equiKeys(cond, left: leftIDs, right: rightIDs)
        var lp = try build(l), rp = try build(r)
        if lk.isEmpty {
            if type == .right {
                let swapped = NestedLoopJoinExec(left: rp, right: lp, type: .left, condition: residual, output: r.output + l.output)
                return FilterProjectExec(condition: nil, projection: output.map { .attribute($0) }, child: swapped)
            }
            return NestedLoopJoinExec(left: lp, right: rp, type: type == .cross ? .inner : type, condition: residual,
                                      output: output)
        }
        switch type {
        case .right:
            let swapped = HashJoinExec(left: rp, right: lp, type: .left, leftKeys: rk, rightKeys: lk, residual: residual,
                                       output: rp.output + lp.output)
            return FilterProjectExec(condition: nil, projection: output.map { .attribute($0) }, child: swapped)
        case .inner, .cross:
            // Build the hash table on the smaller side.
            if Statistics.estimateRows(l) < Statistics.estimateRows(r) {
                swap(&lp, &rp)
                let swapped = HashJoinExec(left: lp, right: rp, type: .inner, leftKeys: rk, rightKeys: lk, residual: residual,
                                           output: lp.output + rp.output, runtimeFilters: context.runtimeKeyFilters)
                return FilterProjectExec(condition: nil, projection: output.map { .attribute($0) }, child: swapped)
            }
            return HashJoinExec(left: lp, right: rp, type: .inner, leftKeys: lk, rightKeys: rk, residual: residual, output: output,
                                runtimeFilters: context.runtimeKeyFilters)
        case .leftSemi, .leftAnti, .left:
            // Hash the smaller side: a few outer rows checked against a large subquery result
            // are better indexed themselves and marked by a pass over the large side.
            if Statistics.estimateRows(l) < Statistics.estimateRows(r) {
                return HashJoinBuildLeftExec(left: lp, right: rp, type: type, leftKeys: lk, rightKeys: rk, residual: residual,
                                             output: output, runtimeFilters: context.runtimeKeyFilters)
            }
            return HashJoinExec(left: lp, right: rp, type: type, leftKeys: lk, rightKeys: rk, residual: residual, output: output,
                                runtimeFilters: context.runtimeKeyFilters)
        default:
            return HashJoinExec(left: lp, right: rp, type: type, leftKeys: lk, rightKeys: rk, residual: residual, output: output)
        }
    }

    // MARK: Subqueries

    /// Runs subqueries that do not refer to the enclosing query and puts their results in
    /// place as constants.
    func evaluateUncorrelatedSubqueries(_ plan: LogicalPlan) throws -> LogicalPlan {
        try plan.transformUp { node in
            guard node.expressions.contains(where: \.hasSubquery) else { return nil }
            return try FreshInstanceMap.mapExpressions(node) { e in
                try e.transformUp { x -> Expr? in
                    switch x {
                    case let .scalarSubquery(sub) where !sub.hasOuterReferences:
                        let rows = try runSubquery(sub)
                        guard rows.count <= 1 else {
                            throw EngineError.execution("more than one row returned by a subquery used as an expression")
                        }
                        let type = sub.output[0].type
                        return .literal(rows.first?[0] ?? .null, type)
                    case let .exists(sub, neg) where !sub.hasOuterReferences:
                        let rows = try runSubquery(.limit(1, offset: 0, sub))
                        return .bool(rows.isEmpty == neg)
                    case let .inSubquery(value, sub, neg) where !sub.hasOuterReferences:
                        let type = sub.output[0].type
                        let values = Set(try runSubquery(sub).map { $0[0] })
                        return .inList(value, values.map { .literal($0, type) }, negated: neg)
                    default:
                        return nil
                    }
                }
            }
        }
    }

    func runSubquery(_ sub: LogicalPlan) throws -> [[Scalar]] {
        let optimized = try (session?.makeOptimizer() ?? Optimizer()).optimize(sub)
        let op = try PhysicalPlanner(context: context, session: session).plan(optimized)
        var rows: [[Scalar]] = []
        for b in try op.execute(context) {
            for i in 0..<b.rowCount { rows.append(b.row(i)) }
        }
        return rows
    }
}

extension LogicalPlan {
    /// True when some expression in the plan (or its subqueries) refers to an enclosing query.
    public var hasOuterReferences: Bool {
        for e in expressions {
            let found = e.contains { x in
                switch x {
                case .outerReference: return true
                case let .exists(p, _), let .inSubquery(_, p, _), let .scalarSubquery(p): return p.hasOuterReferences
                default: return false
                }
            }
            if found { return true }
        }
        return children.contains { $0.hasOuterReferences }
    }
}

/// Expression mapping over plan nodes, throwing.
enum FreshInstanceMap {
    static func mapExpressions(_ plan: LogicalPlan, _ f: (Expr) throws -> Expr) throws -> LogicalPlan {
        switch plan {
        case let .project(l, c): return .project(try l.map(f), c)
        case let .filter(e, c): return .filter(try f(e), c)
        case let .aggregate(g, a, c): return .aggregate(groupBy: try g.map(f), aggregates: try a.map(f), c)
        case let .sort(o, c): return .sort(try o.map { var s = $0; s.expr = try f($0.expr); return s }, c)
        case let .join(l, r, t, cond): return .join(l, r, t, condition: try cond.map(f))
        case let .window(w, c): return .window(try w.map(f), c)
        case let .generate(g, outer, out, c): return .generate(try f(g), outer: outer, generatorOutput: out, c)
        default: return plan
        }
    }
}

import Foundation
