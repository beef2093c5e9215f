import Columnar
import Engine

// GROUP BY ROLLUP / CUBE / GROUPING SETS.

extension SQLPlanner {
    /// One aggregate per grouping set, stacked with UNION ALL: in each, the grouping expressions
    /// outside the set read as NULL (except inside aggregate arguments, which see the rows as
    /// they are), `grouping(x)` is 1 for them, and `grouping_id(…)` packs those bits, the first
    /// argument highest — Spark's answers, one grouping set after another.
    func planGroupingSets(items: [Expr], groupBy: [Expr], sets: [[Int]], having: Expr?, over source: LogicalPlan,
                          at location: SourceLocation) throws -> LogicalPlan {
        if items.contains(where: Self.containsWindow) {
            throw SQLError("window functions next to ROLLUP, CUBE or GROUPING SETS are not supported yet", at: location)
        }
        // The same expression written twice is one grouping column.
        let canonical = groupBy.map { e in groupBy.firstIndex(of: e)! }
        let columns = canonical.enumerated().filter { $0.offset == $0.element }.map(\.offset)
        let branches = try sets.map { set -> LogicalPlan in
            let present = Set(set.map { canonical[$0] })
            let absent = columns.filter { !present.contains($0) }.map { groupBy[$0] }
            func bit(_ e: Expr) throws -> Int64 {
                guard let k = groupBy.firstIndex(of: e), columns.contains(canonical[k]) else {
                    throw SQLError("grouping() and grouping_id() take grouping columns, not \(e.prettyName)", at: location)
                }
                return present.contains(canonical[k]) ? 0 : 1
            }
            func substitute(_ x: Expr) throws -> Expr {
                if absent.contains(x) { return .literal(.null, .null) }
                if case let .call(name, args, _) = x {
                    switch name.lowercased() {
                    case "grouping":
                        guard args.count == 1 else { throw SQLError("grouping() takes one column", at: location) }
                        return .literal(.int(try bit(args[0])), .int8)
                    case "grouping_id":
                        let keys = args.isEmpty ? columns.map { groupBy[$0] } : args
                        return .literal(.int(try keys.reduce(Int64(0)) { acc, k in acc << 1 | (try bit(k)) }), .int64)
                    default:
                        // Aggregate arguments see every row's own values.
                        if FunctionRegistry.kind(of: name) == .aggregate { return x }
                    }
                }
                return try x.mapChildren(substitute)
            }
            let branchItems = try items.map { item -> Expr in
                let replaced = try substitute(item)
                if replaced == item { return item }
                if case .alias = item { return replaced }
                return .alias(replaced, name: item.prettyName)
            }
            let keys = columns.filter(present.contains).map { groupBy[$0] }
            // An empty set among others still groups (by a constant): no input rows give no total
            // row, as in Spark; alone, it is a plain global aggregate.
            let total: [Expr] = sets.count == 1 ? [] : [.literal(.boolean(true), .boolean)]
            var plan = LogicalPlan.aggregate(groupBy: keys.isEmpty ? total : keys, aggregates: branchItems, source)
            if let h = having { plan = .filter(try substitute(h), plan) }
            return plan
        }
        return branches.count == 1 ? branches[0] : .union(branches)
    }
}
