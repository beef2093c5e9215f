/// `explain()` text for logical plans.
extension LogicalPlan {
    /// An indented tree, one node per line, in the style of Spark's plan strings.
    public func treeString() -> String {
        var lines: [String] = []
        render(into: &lines, depth: 0)
        return lines.joined(separator: "\n")
    }

    private func render(into lines: inout [String], depth: Int) {
        let pad = depth == 0 ? "" : String(repeating: "   ", count: depth - 1) + "+- "
        lines.append(pad + nodeString)
        for c in children { c.render(into: &lines, depth: depth + 1) }
    }

    /// A one-line description of this node alone.
    public var nodeString: String {
        func list(_ es: [Expr]) -> String { es.map(\.description).joined(separator: ", ") }
        switch self {
        case let .unresolvedRelation(n): return "'UnresolvedRelation [\(n.joined(separator: "."))]"
        case let .scan(s):
            var text = "Relation \(s.table.provider.description) [\(s.output.map(\.description).joined(separator: ","))]"
            if !s.filters.isEmpty { text += " PushedFilters: [\(list(s.filters))]" }
            return text
        case let .localRelation(out, _): return "LocalRelation [\(out.map(\.description).joined(separator: ", "))]"
        case let .project(l, _): return "Project [\(list(l))]"
        case let .filter(e, _): return "Filter \(e)"
        case let .aggregate(g, a, _): return "Aggregate [\(list(g))], [\(list(a))]"
        case let .join(_, _, t, c): return "Join \(t.rawValue)" + (c.map { ", \($0)" } ?? "")
        case let .sort(o, _): return "Sort [\(o.map(\.description).joined(separator: ", "))]"
        case let .limit(n, off, _): return off > 0 ? "Limit \(n) Offset \(off)" : "Limit \(n)"
        case .union: return "Union"
        case let .intersect(_, _, all): return all ? "Intersect All" : "Intersect"
        case let .except(_, _, all): return all ? "Except All" : "Except"
        case .distinct: return "Distinct"
        case let .window(w, _): return "Window [\(list(w))]"
        case let .generate(g, outer, out, _):
            return "Generate \(g), \(outer), [\(out.map(\.description).joined(separator: ", "))]"
        case let .subqueryAlias(n, _): return "SubqueryAlias \(n)"
        case let .with(ctes, _): return "CTE [\(ctes.map(\.name).joined(separator: ", "))]"
        }
    }
}
