import Columnar
import Engine

// PIVOT.

extension SQLPlanner {
    /// `source PIVOT (agg, … FOR col IN (v, …))`: grouped by every column of the source that neither
    /// the aggregates nor the pivot read, with one output column per value (and aggregate) that
    /// aggregates only the rows whose pivot column equals the value — Spark's names: the value, or
    /// `value_aggregate` when there are several aggregates.
    func pivot(_ source: LogicalPlan, _ clause: PivotClause, at location: SourceLocation) throws -> LogicalPlan {
        let resolved = try resolveEagerly(source)
        let pivotColumns = Set(clause.columns.map { $0.lowercased() })
        for c in clause.columns where !resolved.output.contains(where: { $0.name.lowercased() == c.lowercased() }) {
            throw SQLError("the pivot column `\(c)` is not a column of the table", at: location)
        }
        var read = Set<String>()
        for a in clause.aggregates {
            guard case .function(let call) = a.expr.kind, FunctionRegistry.kind(of: call.name.last ?? "") == .aggregate else {
                throw SQLError("PIVOT needs aggregate functions, such as sum(x)", at: a.expr.location)
            }
            _ = try expr(a.expr).contains { x in
                if case let .column(n) = x, let last = n.parts.last { read.insert(last.lowercased()) }
                return false
            }
        }
        let groupColumns = resolved.output.filter { !pivotColumns.contains($0.name.lowercased()) && !read.contains($0.name.lowercased()) }
        var outputs: [Expr] = groupColumns.map { .attribute($0) }
        for value in clause.values {
            guard value.values.count == clause.columns.count else {
                throw SQLError("PIVOT values must have one entry per pivot column (\(clause.columns.count))",
                               at: value.values.first?.location ?? location)
            }
            let literals = try value.values.map(expr)
            let condition = zip(clause.columns, literals).map { column, v -> Expr in
                .binary(.nullSafeEqual, .column(ColumnName([column])), v)
            }.reduce(nil as Expr?) { acc, e in acc.map { .binary(.and, $0, e) } ?? e }!
            let valueName = value.alias ?? (literals.count == 1
                ? literals[0].prettyName : "{" + literals.map(\.prettyName).joined(separator: ", ") + "}")
            for aggregate in clause.aggregates {
                let base = try expr(aggregate.expr)
                let filtered = try onlyRows(where: condition, base, at: aggregate.expr.location)
                let name = clause.aggregates.count == 1 ? valueName : "\(valueName)_\(aggregate.alias ?? base.prettyName)"
                outputs.append(.alias(filtered, name: name))
            }
        }
        return .aggregate(groupBy: groupColumns.map { .attribute($0) }, aggregates: outputs, resolved)
    }

    /// `agg(x)` counting only rows where `condition` holds: its arguments become
    /// `CASE WHEN condition THEN x END` (aggregates skip the NULLs).
    private func onlyRows(where condition: Expr, _ aggregate: Expr, at location: SourceLocation) throws -> Expr {
        guard case let .call(name, args, distinct) = aggregate else {
            throw SQLError("PIVOT needs aggregate functions, such as sum(x)", at: location)
        }
        let guarded = args.map { Expr.caseWhen(operand: nil, branches: [WhenClause(condition, $0)], otherwise: nil) }
        return .call(name: name, args: guarded, distinct: distinct)
    }
}

// UNPIVOT.

extension SQLPlanner {
    /// `source UNPIVOT (v FOR name IN (c1, c2, …))`: for each entry, the columns not unpivoted,
    /// the entry's label (its column name unless given) as `name`, and its column as `v`; rows
    /// whose values are all null are left out unless INCLUDE NULLS. The entries are stacked with
    /// UNION ALL.
    func unpivot(_ source: LogicalPlan, _ clause: UnpivotClause, at location: SourceLocation) throws -> LogicalPlan {
        let resolved = try resolveEagerly(source)
        func attribute(_ name: String) throws -> Attribute {
            guard let a = resolved.output.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw SQLError("the UNPIVOT column `\(name)` is not a column of the table", at: location)
            }
            return a
        }
        var folded = Set<String>()
        for entry in clause.entries {
            guard entry.columns.count == clause.valueColumns.count else {
                throw SQLError("each UNPIVOT entry needs \(clause.valueColumns.count) columns", at: location)
            }
            for c in entry.columns { folded.insert(try attribute(c).name.lowercased()) }
        }
        let kept = resolved.output.filter { !folded.contains($0.name.lowercased()) }
        let branches = try clause.entries.map { entry -> LogicalPlan in
            let columns = try entry.columns.map(attribute)
            let label = entry.label ?? (columns.count == 1 ? columns[0].name : columns.map(\.name).joined(separator: "_"))
            let list: [Expr] = kept.map { .attribute($0) } + [.alias(.string(label), name: clause.nameColumn)]
                + zip(clause.valueColumns, columns).map { .alias(.attribute($1), name: $0) }
            var input = resolved
            if !clause.includeNulls {
                let anyValue = columns.map { Expr.isNull(.attribute($0), negated: true) }
                    .reduce(nil as Expr?) { acc, e in acc.map { .binary(.or, $0, e) } ?? e }!
                input = .filter(anyValue, resolved)
            }
            return .project(list, input)
        }
        return branches.count == 1 ? branches[0] : .union(branches)
    }
}
