import Columnar
import Engine

/// Turns a parsed query into the engine's unresolved `LogicalPlan`.
///
/// Names stay unresolved (`Expr.column` carrying its source position); the engine's analyzer
/// resolves them, so the errors it reports name the column and the place it was written. The
/// planner resolves eagerly only where SQL syntax needs the columns of a relation: `JOIN … USING`,
/// `NATURAL JOIN`, and column aliases over `*`.
public struct SQLPlanner {
    /// The session whose catalog and readers the plan uses.
    public let session: Session
    /// CTEs visible at this point, so that eager resolution sees them too.
    var ctes: [Engine.CommonTableExpression] = []
    /// `WINDOW name AS (…)` definitions of the SELECT block being planned.
    var namedWindows: [String: SQLWindowSpec] = [:]

    /// A planner for `session`.
    public init(session: Session) {
        self.session = session
    }

    /// Plans a whole query: CTEs, body, ORDER BY, LIMIT / OFFSET.
    public func plan(_ query: SQLQuery) throws -> LogicalPlan {
        var inner = self
        var definitions: [Engine.CommonTableExpression] = []
        for cte in query.with {
            var body = cte.query
            var renamed: LogicalPlan?
            if !cte.columns.isEmpty {
                if let q = Self.renamingOutputs(of: body, to: cte.columns) {
                    body = q
                } else {
                    renamed = try inner.renameEagerly(try inner.plan(body), to: cte.columns, at: cte.location)
                }
            }
            let definition = Engine.CommonTableExpression(name: cte.name, plan: try renamed ?? inner.plan(body))
            definitions.append(definition)
            inner.ctes.append(definition)
        }
        var result = try inner.plan(query.body)
        if !query.orderBy.isEmpty {
            var orders = try query.orderBy.map(inner.sortOrder)
            if case .select(let block) = query.body, orders.contains(where: { Self.containsBareAggregate($0.expr) }) {
                // ORDER BY count(*) when the select list computes count(*): sort by that output
                // column, so the aggregate is not computed again above HAVING or DISTINCT.
                var blockPlanner = inner
                for w in block.windows { blockPlanner.namedWindows[w.name.lowercased()] = w.spec }
                let items = block.items.map { try? blockPlanner.expr($0.expr) }
                for i in orders.indices where Self.containsBareAggregate(orders[i].expr) {
                    if let k = items.firstIndex(of: orders[i].expr), let ordinal = Int32(exactly: k + 1) {
                        orders[i].expr = .int(ordinal)
                    }
                }
            }
            result = .sort(orders, result)
        }
        if query.limit != nil || query.offset != nil {
            let limit = try query.limit.map { try Self.nonNegativeInteger($0, "LIMIT") } ?? Int.max
            let offset = try query.offset.map { try Self.nonNegativeInteger($0, "OFFSET") } ?? 0
            result = .limit(limit, offset: offset, result)
        }
        return definitions.isEmpty ? result : .with(definitions, result)
    }

    static func nonNegativeInteger(_ e: SQLExpr, _ clause: String) throws -> Int {
        var literal = e.kind
        // LIMIT (10) is fine; LIMIT 1 + 1 is not folded.
        if case .literal(.typedInteger(let n, _)) = literal { literal = .literal(.integer(n)) }
        guard case .literal(.integer(let text)) = literal, let n = Int(text), n >= 0 else {
            throw SQLError("\(clause) needs a non-negative integer constant", at: e.location)
        }
        return n
    }

    /// Plans the body of a query.
    func plan(_ body: SetExpression) throws -> LogicalPlan {
        switch body {
        case .select(let block):
            return try plan(block)
        case .query(let q):
            return try plan(q)
        case .values(let rows, let location):
            return try planValues(rows, at: location)
        case .setOperation(let op, let all, let lhs, let rhs):
            let l = try plan(lhs)
            let r = try plan(rhs)
            switch op {
            case .union:
                // Flatten chains of UNION ALL into one node.
                var children: [LogicalPlan] = []
                for side in [l, r] {
                    if case .union(let cs) = side { children.append(contentsOf: cs) } else { children.append(side) }
                }
                let union = LogicalPlan.union(all ? children : [l, r])
                return all ? union : .distinct(union)
            case .intersect: return .intersect(l, r, all: all)
            case .except: return .except(l, r, all: all)
            }
        }
    }

    /// `VALUES (…), (…)`: a UNION ALL of one-row projections, columns named col1, col2, … as in Spark.
    func planValues(_ rows: [[SQLExpr]], at location: SourceLocation) throws -> LogicalPlan {
        guard let width = rows.first?.count else { throw SQLError("VALUES needs at least one row", at: location) }
        var children: [LogicalPlan] = []
        for row in rows {
            guard row.count == width else {
                throw SQLError("VALUES rows must all have \(width) values", at: row.first?.location ?? location)
            }
            let list = try row.enumerated().map { i, e in Expr.alias(try expr(e), name: "col\(i + 1)") }
            children.append(.project(list, Self.oneRow()))
        }
        return children.count == 1 ? children[0] : .union(children)
    }

    /// The relation of one row and no columns that a FROM-less SELECT reads.
    static func oneRow() -> LogicalPlan {
        let batch = RecordBatch(schema: Schema([]), columns: [], rowCount: 1)
        return .localRelation(output: [], data: LocalData([batch]))
    }

    /// Plans one SELECT block: FROM, WHERE, GROUP BY / aggregates, HAVING, windows, DISTINCT.
    func plan(_ block: SelectBlock) throws -> LogicalPlan {
        var source: LogicalPlan
        if block.from.isEmpty {
            source = Self.oneRow()
        } else {
            source = try relation(block.from[0])
            for ref in block.from.dropFirst() {
                source = .join(source, try relation(ref), .cross, condition: nil)
            }
        }
        return try plan(block, over: source)
    }

    /// Plans a SELECT block over `source` in place of its FROM list (`DataFrame.selectExpr`).
    func plan(_ block: SelectBlock, over source: LogicalPlan) throws -> LogicalPlan {
        var inner = self
        for w in block.windows { inner.namedWindows[w.name.lowercased()] = w.spec }
        var source = source
        if let w = block.whereClause { source = .filter(try inner.expr(w), source) }
        let items = try inner.resolvingLateralAliases(try block.items.map(inner.selectItem), over: source)
        var result: LogicalPlan
        let groupBy = try block.groupBy.map(inner.expr)
        if let sets = block.groupingSets {
            var result = try inner.planGroupingSets(items: items, groupBy: groupBy, sets: sets,
                                                    having: try block.having.map(inner.expr), over: source,
                                                    at: block.location)
            if block.distinct { result = .distinct(result) }
            return result
        }
        if items.contains(where: Self.containsWindow),
           !groupBy.isEmpty || items.contains(where: Self.containsBareAggregate) {
            result = inner.planGroupedWindows(items: items, groupBy: groupBy, over: source)
        } else if items.contains(where: Self.containsWindow) {
            result = inner.planWindows(items, over: source)
        } else if block.groupBy.isEmpty {
            result = .project(items, source)
        } else {
            result = .aggregate(groupBy: groupBy, aggregates: items, source)
        }
        if let h = block.having { result = .filter(try inner.expr(h), result) }
        if block.distinct { result = .distinct(result) }
        return result
    }

    func selectItem(_ item: SelectItem) throws -> Expr {
        let e = try expr(item.expr)
        if !item.aliases.isEmpty {
            // Several names for one generator's columns travel with the call to the analyzer.
            return .call(name: "__generator_aliases", args: [e] + item.aliases.map { Expr.string($0) }, distinct: false)
        }
        if let alias = item.alias { return .alias(e, name: alias) }
        // An ordered-set aggregate is rewritten into other calls; its result keeps Spark's name.
        if case .function(let call) = item.expr.kind, !call.withinGroup.isEmpty {
            return .alias(e, name: try orderedSetName(call))
        }
        return e
    }

    func sortOrder(_ item: OrderItem) throws -> SortOrder {
        SortOrder(try expr(item.expr), ascending: item.ascending, nullsFirst: item.nullsFirst)
    }

    // MARK: Column aliases

    /// The query with its output columns renamed, done in the syntax tree when the leftmost SELECT
    /// lists its columns one by one; nil when that is not possible (e.g. `SELECT *`).
    static func renamingOutputs(of query: SQLQuery, to names: [String]) -> SQLQuery? {
        guard let body = renamingOutputs(of: query.body, to: names) else { return nil }
        var q = query
        q.body = body
        return q
    }

    private static func renamingOutputs(of body: SetExpression, to names: [String]) -> SetExpression? {
        switch body {
        case .select(var block):
            guard block.items.count == names.count,
                  !block.items.contains(where: { if case .star = $0.expr.kind { return true }; return false })
            else { return nil }
            for i in block.items.indices { block.items[i].alias = names[i] }
            return .select(block)
        case .query(let q):
            return renamingOutputs(of: q, to: names).map { .query($0) }
        case .values(let rows, let at):
            guard let first = rows.first, first.count == names.count else { return nil }
            let block = SelectBlock(items: names.enumerated().map { i, n in
                SelectItem(expr: SQLExpr(.column(["col\(i + 1)"]), at: at), alias: n)
            }, from: [.subquery(SQLQuery(body: .values(rows, at: at), location: at), alias: nil, at: at)], location: at)
            return .select(block)
        case .setOperation(let op, let all, let lhs, let rhs):
            // A set operation takes its column names from its first operand.
            return renamingOutputs(of: lhs, to: names).map { .setOperation(op, all: all, $0, rhs) }
        }
    }

    /// Resolves `plan` now (with the CTEs in scope) so that its columns are known.
    func resolveEagerly(_ plan: LogicalPlan) throws -> LogicalPlan {
        try session.analyze(ctes.isEmpty ? plan : .with(ctes, plan))
    }

    /// Renames the columns of `plan` after resolving it.
    func renameEagerly(_ plan: LogicalPlan, to names: [String], at location: SourceLocation) throws -> LogicalPlan {
        let resolved = try resolveEagerly(plan)
        guard resolved.output.count == names.count else {
            throw SQLError("\(names.count) column aliases given for a relation of \(resolved.output.count) columns",
                           at: location)
        }
        return .project(zip(resolved.output, names).map { Expr.alias(.attribute($0), name: $1) }, resolved)
    }
}
