import Columnar

/// Resolves names in a logical plan against the catalog and the plan's own columns, expands
/// `*`, gives aliases their ids, applies Spark's implicit casts, and turns select lists with
/// aggregates or window functions into Aggregate / Window nodes.
public struct Analyzer {
    /// The catalog that unresolved relation names are looked up in.
    public let catalog: Catalog

    /// The session time zone, given to the datetime functions and casts that depend on it.
    public let timeZone: SessionTimeZone

    /// An analyzer over a catalog.
    public init(catalog: Catalog, timeZone: SessionTimeZone = .utc) {
        self.catalog = catalog
        self.timeZone = timeZone
    }

    /// Columns visible to a subquery from its enclosing queries, innermost first.
    struct Scope {
        var outer: [[Attribute]] = []
        var ctes: [String: LogicalPlan] = [:]
    }

    /// Resolves a whole plan. Throws an analysis error naming the column or table at fault.
    public func analyze(_ plan: LogicalPlan) throws -> LogicalPlan {
        localizeCasts(try resolve(plan, Scope()))
    }

    func resolve(_ plan: LogicalPlan, _ scope: Scope) throws -> LogicalPlan {
        switch plan {
        case let .unresolvedRelation(parts):
            let name = parts.joined(separator: ".")
            if parts.count == 1, let cte = scope.ctes[parts[0].lowercased()] {
                return .subqueryAlias(parts[0], FreshInstance.of(cte))
            }
            if parts.count == 2, catalog.lookup(name) == nil, let namespace = catalog.namespace(parts[0]) {
                // `topics.clicks`: a table of a plugged-in namespace, opened (and planned) now.
                guard let table = try namespace.table(parts[1]) else { throw EngineError.tableNotFound(name) }
                return .subqueryAlias(parts[1], .scan(ScanRelation(table: table)))
            }
            guard let found = catalog.lookup(name) ?? (parts.count > 1 ? catalog.lookup(parts.last!) : nil) else {
                if let table = try catalog.persistentTables?.plan(parts) {
                    return .subqueryAlias(parts.last!, try resolve(table, scope))
                }
                throw EngineError.tableNotFound(name)
            }
            return .subqueryAlias(parts.last!, FreshInstance.of(found))

        case .scan, .localRelation:
            return plan

        case let .with(ctes, body):
            var inner = scope
            for cte in ctes {
                inner.ctes[cte.name.lowercased()] = try resolve(cte.plan, inner)
            }
            return try resolve(body, inner)

        case let .subqueryAlias(name, child):
            return .subqueryAlias(name, try resolve(child, scope))

        case let .project(list, child):
            let c = try resolve(child, scope)
            let exprs = try namedList(expandStars(list, c.output), input: c.output, scope)
            return try planSelect(exprs, over: c)

        case let .filter(cond, child):
            let c = try resolve(child, scope)
            if case let .aggregate(g, aggs, grand) = c, cond.contains(where: isAggregateCall) {
                return try resolveHaving(cond, groupBy: g, aggs: aggs, grand: grand, scope)
            }
            let e = try resolveExpr(cond, input: c.output, scope)
            return .filter(try requireBoolean(e, "WHERE"), c)

        case let .aggregate(groupBy, aggs, child):
            let c = try resolve(child, scope)
            let named = try namedList(expandStars(aggs, c.output), input: c.output, scope)
            var keys: [Expr] = []
            for g in groupBy {
                keys.append(try resolveGroupingKey(g, input: c.output, select: named, scope))
            }
            try checkAggregate(keys: keys, aggs: named)
            try requireOrderable(keys, "GROUP_EXPRESSION_TYPE_IS_NOT_ORDERABLE")
            return .aggregate(groupBy: keys, aggregates: named, c)

        case let .join(l, r, type, cond):
            let left = try resolve(l, scope)
            let right = try resolve(r, scope)
            guard let cond else { return .join(left, right, type, condition: nil) }
            let e = try resolveExpr(cond, input: left.output + right.output, scope)
            return .join(left, right, type == .cross ? .inner : type, condition: try requireBoolean(e, "JOIN"))

        case let .sort(orders, child):
            let sorted = try resolveSort(orders, child: try resolve(child, scope), scope)
            if case let .sort(keys, _) = sorted { try requireOrderable(keys.map(\.expr), "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE") }
            return sorted

        case let .limit(n, off, child):
            guard n >= 0, off >= 0 else { throw EngineError.analysis("LIMIT and OFFSET must not be negative", position: nil) }
            return .limit(n, offset: off, try resolve(child, scope))

        case let .union(children):
            return .union(try coerceSetOperands(children.map { try resolve($0, scope) }, "UNION"))

        case let .intersect(l, r, all):
            let sides = try coerceSetOperands([try resolve(l, scope), try resolve(r, scope)], "INTERSECT")
            return .intersect(sides[0], sides[1], all: all)

        case let .except(l, r, all):
            let sides = try coerceSetOperands([try resolve(l, scope), try resolve(r, scope)], "EXCEPT")
            return .except(sides[0], sides[1], all: all)

        case let .distinct(child):
            let c = try resolve(child, scope)
            try requireOrderable(c.output.map { .attribute($0) }, "UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE")
            return .distinct(c)

        case let .window(exprs, child):
            let c = try resolve(child, scope)
            return .window(try namedList(exprs, input: c.output, scope), c)

        case let .generate(g, outer, out, child):
            // A front end names the columns (types unknown yet); the analyzer's own nodes are typed.
            if out.contains(where: { $0.type == .null }) {
                return try resolveGenerate(g, outer: outer, names: out, child: child, scope)
            }
            return .generate(g, outer: outer, generatorOutput: out, try resolve(child, scope))
        }
    }

    // MARK: Select lists

    /// Replaces `*` and `t.*` by the input columns they denote.
    func expandStars(_ list: [Expr], _ input: [Attribute]) throws -> [Expr] {
        var out: [Expr] = []
        for e in list {
            guard case let .star(q) = e else {
                out.append(e)
                continue
            }
            let matches = q.isEmpty ? input : input.filter { Self.qualifierMatches($0.qualifier, q) }
            if matches.isEmpty && !q.isEmpty {
                throw EngineError.analysis("cannot resolve '\(q.joined(separator: ".")).*': no such relation in FROM",
                                           position: nil)
            }
            out.append(contentsOf: matches.map { .attribute($0) })
        }
        return out
    }

    /// Resolves a select list and names every entry: attributes stay, other expressions get an
    /// alias (with Spark's generated name) and every alias an id.
    func namedList(_ list: [Expr], input: [Attribute], _ scope: Scope) throws -> [Expr] {
        try list.map { e in
            let r = try resolveExpr(e, input: input, scope)
            switch r {
            case .attribute: return r
            case let .alias(inner, name, id): return .alias(inner, name: name, id: id ?? .next())
            default: return .alias(r, name: e.prettyName, id: .next())
            }
        }
    }

    /// A resolved select list over `child`: becomes an Aggregate when it holds aggregate calls,
    /// gains a Window node when it holds window functions.
    func planSelect(_ exprs: [Expr], over child: LogicalPlan) throws -> LogicalPlan {
        if let generated = try planGenerate(exprs, over: child) { return generated }
        let hasAggregate = exprs.contains { $0.contains(where: isAggregateCall) }
        if hasAggregate {
            try checkAggregate(keys: [], aggs: exprs)
            return .aggregate(groupBy: [], aggregates: exprs, child)
        }
        let hasWindow = exprs.contains { $0.contains { if case .window = $0 { return true }; return false } }
        guard hasWindow else { return .project(exprs, child) }
        var windows: [Expr] = []
        let rewritten = exprs.map { e in
            e.transformUp { x -> Expr? in
                guard case .window = x else { return nil }
                let id = AttributeID.next()
                let alias = Expr.alias(x, name: x.prettyName, id: id)
                windows.append(alias)
                return .attribute(alias.toAttribute!)
            }
        }
        let fixed = rewritten.map { e -> Expr in
            // A select entry that was exactly a window call keeps its user-facing name.
            if case let .alias(.attribute(a), name, id) = e, windows.contains(where: { $0.toAttribute?.id == a.id }) {
                return .alias(.attribute(a), name: name, id: id)
            }
            return e
        }
        return .project(fixed, .window(windows, child))
    }

    /// True for a call to an aggregate function (not one wrapped in OVER).
    func isAggregateCall(_ e: Expr) -> Bool {
        if case let .call(name, _, _) = e { return FunctionRegistry.kind(of: name) == .aggregate }
        return false
    }

    // MARK: GROUP BY, HAVING, ORDER BY

    func resolveGroupingKey(_ g: Expr, input: [Attribute], select: [Expr], _ scope: Scope) throws -> Expr {
        // GROUP BY 1: a position in the select list.
        if case let .literal(.int(n), t) = g, t.isInteger {
            guard n >= 1, Int(n) <= select.count else {
                throw EngineError.analysis("GROUP BY position \(n) is not in the select list", position: nil)
            }
            return select[Int(n) - 1].unaliased
        }
        do {
            return try resolveExpr(g, input: input, scope)
        } catch {
            // GROUP BY alias: a name defined in the select list.
            if case let .column(name) = g, name.parts.count == 1 {
                for s in select {
                    if case let .alias(inner, n, _) = s, n.lowercased() == name.parts[0].lowercased() { return inner }
                }
            }
            throw error
        }
    }

    /// Checks that every column used outside aggregate calls is a grouping key.
    func checkAggregate(keys: [Expr], aggs: [Expr]) throws {
        let keySet = Set(keys.map(stripAliases))
        func check(_ e: Expr) throws {
            if keySet.contains(stripAliases(e)) { return }
            if isAggregateCall(e) { return }
            if case .window = e { return }
            if case let .attribute(a) = e {
                throw EngineError.analysis(
                    "[MISSING_AGGREGATION] The non-aggregating expression `\(a.name)` is based on columns which are not "
                        + "participating in the GROUP BY clause. Add it to GROUP BY or wrap it in an aggregate such as first().",
                    position: nil)
            }
            for c in e.children { try check(c) }
        }
        for a in aggs { try check(a.unaliased) }
    }

    private func stripAliases(_ e: Expr) -> Expr {
        e.transformUp { x in
            if case let .alias(inner, _, _) = x { return inner }
            if case var .attribute(a) = x {
                a.qualifier = []
                return .attribute(a)
            }
            return nil
        }
    }

    /// HAVING with aggregate calls: the calls are computed by the Aggregate under hidden names,
    /// the filter reads them, and a Project restores the visible columns.
    func resolveHaving(_ cond: Expr, groupBy: [Expr], aggs: [Expr], grand: LogicalPlan, _ scope: Scope) throws -> LogicalPlan {
        var extra: [Expr] = []
        let visible = aggs.compactMap(\.toAttribute)
        let resolved = try resolveAgainstAggregate(cond, groupBy: groupBy, aggs: aggs, grand: grand, extra: &extra, scope)
        let agg = LogicalPlan.aggregate(groupBy: groupBy, aggregates: aggs + extra, grand)
        let filter = LogicalPlan.filter(try requireBoolean(resolved, "HAVING"), agg)
        return extra.isEmpty ? filter : .project(visible.map { .attribute($0) }, filter)
    }

    /// Resolves an expression that may use aggregate calls and grouping columns above an
    /// Aggregate: names of the aggregate's output are used as they are, aggregate calls become
    /// hidden outputs appended to `extra`.
    func resolveAgainstAggregate(_ e: Expr, groupBy: [Expr], aggs: [Expr], grand: LogicalPlan, extra: inout [Expr],
                                 _ scope: Scope) throws -> Expr {
        let aggOutput = aggs.compactMap(\.toAttribute)
        // First replace aggregate calls (resolved against the aggregate's input) by hidden columns.
        var hidden: [Expr] = []
        let withHidden = try e.transformDown { x -> Expr? in
            guard isAggregateCall(x) else { return nil }
            let r = try resolveExpr(x, input: grand.output, scope)
            if let existing = aggs.first(where: { $0.unaliased == r }), let a = existing.toAttribute {
                return .attribute(a)
            }
            let alias = Expr.alias(r, name: r.prettyName, id: .next())
            hidden.append(alias)
            return .attribute(alias.toAttribute!)
        }
        extra.append(contentsOf: hidden)
        // Then resolve remaining names: aggregate outputs first, then grouping columns.
        return try withHidden.transformUp { x -> Expr? in
            switch x {
            case .scalarSubquery, .exists, .inSubquery:
                // Subqueries in HAVING / ORDER BY see the aggregate's input as their outer scope.
                return try resolveExpr(x, input: grand.output, scope)
            default: break
            }
            guard case let .column(name) = x else { return nil }
            if let a = try? lookup(name, in: aggOutput) { return .attribute(a) }
            let r = try resolveExpr(x, input: grand.output, scope)
            if let key = groupBy.first(where: { $0 == r }), case let .attribute(a) = key {
                if let out = aggs.first(where: { $0.unaliased == .attribute(a) })?.toAttribute { return .attribute(out) }
                let alias = Expr.alias(r, name: a.name, id: .next())
                extra.append(alias)
                return .attribute(alias.toAttribute!)
            }
            throw EngineError.analysis("column `\(name)` in HAVING/ORDER BY is neither grouped nor aggregated",
                                       position: name.position)
        }
        .transformUp { try coerce($0) }
    }

    func resolveSort(_ orders: [SortOrder], child: LogicalPlan, _ scope: Scope) throws -> LogicalPlan {
        // ORDER BY 1: a position in the output.
        func positional(_ o: SortOrder) throws -> SortOrder? {
            guard case let .literal(.int(n), t) = o.expr, t.isInteger else { return nil }
            guard n >= 1, Int(n) <= child.output.count else {
                throw EngineError.analysis("ORDER BY position \(n) is not in the select list", position: nil)
            }
            var s = o
            s.expr = .attribute(child.output[Int(n) - 1])
            return s
        }
        var direct: [SortOrder] = []
        var failed = false
        for o in orders {
            if let p = try positional(o) {
                direct.append(p)
                continue
            }
            if let r = try? resolveExpr(o.expr, input: child.output, scope), !r.contains(where: isAggregateCall) {
                var s = o
                s.expr = r
                direct.append(s)
            } else {
                failed = true
                break
            }
        }
        if !failed { return .sort(direct, child) }
        // The keys use columns the select list dropped, or aggregates it does not show.
        let visible = child.output.map { Expr.attribute($0) }
        switch child {
        case let .project(list, grand):
            var extra: [Expr] = []
            var out: [SortOrder] = []
            for o in orders {
                var s = o
                if let p = try positional(o) {
                    out.append(p)
                    continue
                }
                if let r = try? resolveExpr(o.expr, input: child.output, scope) {
                    s.expr = r
                } else {
                    let r = try resolveExpr(o.expr, input: grand.output, scope)
                    for id in r.references where !list.contains(where: { $0.toAttribute?.id == id }) {
                        if let a = grand.output.first(where: { $0.id == id }) { extra.append(.attribute(a)) }
                    }
                    s.expr = r
                }
                out.append(s)
            }
            return .project(visible, .sort(out, .project(list + extra, grand)))
        case let .aggregate(g, aggs, grand):
            var extra: [Expr] = []
            var out: [SortOrder] = []
            for o in orders {
                var s = o
                if let p = try positional(o) {
                    out.append(p)
                    continue
                }
                s.expr = try resolveAgainstAggregate(o.expr, groupBy: g, aggs: aggs, grand: grand, extra: &extra, scope)
                out.append(s)
            }
            return .project(visible, .sort(out, .aggregate(groupBy: g, aggregates: aggs + extra, grand)))
        default:
            // Report the original resolution error.
            for o in orders { _ = try resolveExpr(o.expr, input: child.output, scope) }
            return .sort(direct, child)
        }
    }

    /// Casts the columns of UNION / INTERSECT / EXCEPT operands to common types.
    func coerceSetOperands(_ children: [LogicalPlan], _ what: String) throws -> [LogicalPlan] {
        guard let first = children.first else { return children }
        let width = first.output.count
        for c in children where c.output.count != width {
            throw EngineError.analysis("\(what) can only be performed on inputs with the same number of columns "
                                       + "(\(width) vs \(c.output.count))", position: nil)
        }
        var types: [DataType] = []
        for i in 0..<width {
            guard let t = TypeCoercion.wider(children.map { $0.output[i].type }) else {
                throw EngineError.analysis("\(what) column \(i + 1) has incompatible types", position: nil)
            }
            types.append(t)
        }
        return children.map { c in
            if zip(c.output, types).allSatisfy({ $0.type == $1 }) { return c }
            let list: [Expr] = zip(c.output, types).map { a, t in
                a.type == t ? .attribute(a) : .alias(.cast(.attribute(a), t), name: a.name, id: .next())
            }
            return .project(list, c)
        }
    }

    func requireBoolean(_ e: Expr, _ clause: String) throws -> Expr {
        let t = e.dataType
        if t == .boolean { return e }
        if t == .null { return .literal(.null, .boolean) }
        throw EngineError.analysis("\(clause) condition `\(e.prettyName)` must be boolean, not \(t)", position: nil)
    }
}
