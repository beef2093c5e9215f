import Engine

// Window functions in a SELECT list. They are planned explicitly as Project over Window, so that a
// window function that is also an aggregate (`sum(x) OVER w`) is never taken for a grouping one.
// Over an aggregated SELECT (`rank() OVER (ORDER BY sum(x))` with GROUP BY) Spark evaluates the
// windows after the aggregation: an Aggregate computes the grouping columns, the plain select items
// and every aggregate the windows use; the Window node above it reads them by name.

extension SQLPlanner {
    /// True when `e` contains a window function call.
    static func containsWindow(_ e: Expr) -> Bool {
        e.contains { if case .window = $0 { return true }; return false }
    }

    /// True when `e` calls an aggregate outside any window function.
    static func containsBareAggregate(_ e: Expr) -> Bool {
        switch e {
        case .window: return false
        case .call(let name, _, _) where FunctionRegistry.kind(of: name) == .aggregate: return true
        default: return e.children.contains(where: containsBareAggregate)
        }
    }

    /// Plans a grouped select list holding window functions as Project(windows) over Aggregate.
    func planGroupedWindows(items: [Expr], groupBy: [Expr], over source: LogicalPlan) -> LogicalPlan {
        var aggregates: [Expr] = []
        var names = Set<String>()
        func hidden(_ e: Expr) -> Expr {
            let name = "__agg\(aggregates.count)"
            aggregates.append(.alias(e, name: name))
            return .column(ColumnName([name]))
        }
        var outer: [Expr] = []
        for item in items {
            if !Self.containsWindow(item) {
                // A plain item is computed by the Aggregate under its own name and passed through.
                let name: String
                if case .alias(_, let n, _) = item { name = n } else { name = item.prettyName }
                if case .column = item { aggregates.append(item) } else { aggregates.append(.alias(item.unaliasedSQL, name: name)) }
                names.insert(name.lowercased())
                outer.append(.column(ColumnName([name])))
                continue
            }
            // Aggregates inside the window item (arguments, PARTITION BY, ORDER BY) become hidden
            // outputs of the Aggregate; the window reads them by name.
            let rewritten = item.transformDown { x -> Expr? in
                if case .call(let name, _, _) = x, FunctionRegistry.kind(of: name) == .aggregate,
                   !Self.isWindowFunctionItself(x, in: item) {
                    return hidden(x)
                }
                return nil
            }
            outer.append(rewritten)
        }
        // Grouping columns stay visible to the windows (PARTITION BY key) even when not selected.
        for key in groupBy {
            if case .column(let c) = key, let last = c.parts.last, !names.contains(last.lowercased()) {
                aggregates.append(key)
                names.insert(last.lowercased())
            }
        }
        return planWindows(outer, over: .aggregate(groupBy: groupBy, aggregates: aggregates, source))
    }

    /// Plans a select list with window functions as a Project over an explicit Window node that
    /// computes each window expression under a hidden name; the Project restores the visible names.
    func planWindows(_ items: [Expr], over child: LogicalPlan) -> LogicalPlan {
        var windows: [Expr] = []
        let outer = items.map { item -> Expr in
            let rewritten = item.transformDown { x -> Expr? in
                guard case .window = x else { return nil }
                let name = "__window\(windows.count)"
                windows.append(.alias(x, name: name))
                return .column(ColumnName([name]))
            }
            if case .alias = item { return rewritten }
            // An unaliased window item keeps the name Spark gives it, e.g. `rank() OVER (…)`.
            return rewritten == item ? item : .alias(rewritten, name: item.prettyName)
        }
        return .project(outer, .window(windows, child))
    }

    /// True when `call` is the function a `.window` node computes (e.g. `sum` in `sum(x) OVER w`),
    /// which the Window operator evaluates itself.
    private static func isWindowFunctionItself(_ call: Expr, in tree: Expr) -> Bool {
        tree.contains { node in
            if case .window(let f, _) = node { return f == call }
            return false
        }
    }
}

extension Expr {
    /// The expression without a top-level alias.
    var unaliasedSQL: Expr {
        if case .alias(let inner, _, _) = self { return inner }
        return self
    }
}
