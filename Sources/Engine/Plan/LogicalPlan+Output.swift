import Columnar

/// Outputs, children and tree walking of logical plans.
extension LogicalPlan {
    /// The columns the node produces (meaningful once resolved).
    public var output: [Attribute] {
        switch self {
        case .unresolvedRelation: return []
        case let .scan(s): return s.output
        case let .localRelation(out, _): return out
        case let .project(list, _): return list.compactMap(\.toAttribute)
        case let .filter(_, c), let .sort(_, c), let .limit(_, _, c), let .distinct(c): return c.output
        case let .aggregate(_, aggs, _): return aggs.compactMap(\.toAttribute)
        case let .join(l, r, type, _):
            switch type {
            case .leftSemi, .leftAnti: return l.output
            case .left: return l.output + r.output.map { var a = $0; a.nullable = true; return a }
            case .right: return l.output.map { var a = $0; a.nullable = true; return a } + r.output
            case .full: return (l.output + r.output).map { var a = $0; a.nullable = true; return a }
            case .inner, .cross: return l.output + r.output
            }
        case let .union(children):
            guard let first = children.first else { return [] }
            return first.output.enumerated().map { i, a in
                var out = a
                out.nullable = children.contains { $0.output.count > i && $0.output[i].nullable }
                return out
            }
        case let .intersect(l, _, _), let .except(l, _, _): return l.output
        case let .window(exprs, c): return c.output + exprs.compactMap(\.toAttribute)
        case let .generate(_, _, out, c): return c.output + out
        case let .subqueryAlias(name, c): return c.output.map { $0.withQualifier([name]) }
        case let .with(_, body): return body.output
        }
    }

    /// The output as a schema.
    public var schema: Schema { Schema(output.map(\.field)) }

    /// The direct inputs.
    public var children: [LogicalPlan] {
        switch self {
        case .unresolvedRelation, .scan, .localRelation: return []
        case let .project(_, c), let .filter(_, c), let .aggregate(_, _, c), let .sort(_, c), let .limit(_, _, c),
             let .distinct(c), let .window(_, c), let .subqueryAlias(_, c), let .with(_, c), let .generate(_, _, _, c):
            return [c]
        case let .join(l, r, _, _), let .intersect(l, r, _), let .except(l, r, _): return [l, r]
        case let .union(cs): return cs
        }
    }

    /// The same node over new children (same count as `children`).
    public func withChildren(_ cs: [LogicalPlan]) -> LogicalPlan {
        switch self {
        case .unresolvedRelation, .scan, .localRelation: return self
        case let .project(l, _): return .project(l, cs[0])
        case let .filter(e, _): return .filter(e, cs[0])
        case let .aggregate(g, a, _): return .aggregate(groupBy: g, aggregates: a, cs[0])
        case let .sort(o, _): return .sort(o, cs[0])
        case let .limit(n, off, _): return .limit(n, offset: off, cs[0])
        case .distinct: return .distinct(cs[0])
        case let .window(w, _): return .window(w, cs[0])
        case let .generate(g, outer, out, _): return .generate(g, outer: outer, generatorOutput: out, cs[0])
        case let .subqueryAlias(n, _): return .subqueryAlias(n, cs[0])
        case let .with(ctes, _): return .with(ctes, cs[0])
        case let .join(_, _, t, c): return .join(cs[0], cs[1], t, condition: c)
        case let .intersect(_, _, all): return .intersect(cs[0], cs[1], all: all)
        case let .except(_, _, all): return .except(cs[0], cs[1], all: all)
        case .union: return .union(cs)
        }
    }

    /// Rewrites bottom-up: children first, then `rule` on the node (nil keeps it).
    public func transformUp(_ rule: (LogicalPlan) throws -> LogicalPlan?) rethrows -> LogicalPlan {
        let kids = children
        let node = kids.isEmpty ? self : withChildren(try kids.map { try $0.transformUp(rule) })
        return try rule(node) ?? node
    }

    /// The expressions held directly by this node.
    public var expressions: [Expr] {
        switch self {
        case let .project(l, _): return l
        case let .filter(e, _): return [e]
        case let .aggregate(g, a, _): return g + a
        case let .sort(o, _): return o.map(\.expr)
        case let .join(_, _, _, c): return c.map { [$0] } ?? []
        case let .window(w, _): return w
        case let .generate(g, _, _, _): return [g]
        case let .scan(s): return s.filters
        default: return []
        }
    }
}

extension Expr {
    /// The attribute a named expression defines: an attribute itself, or an alias with an id.
    public var toAttribute: Attribute? {
        switch self {
        case let .attribute(a): return a
        case let .alias(e, name, id?):
            return Attribute(name: name, type: e.dataType, nullable: e.nullable, id: id)
        default: return nil
        }
    }
}
