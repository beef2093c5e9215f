/// Tree walking over expressions.
extension Expr {
    /// The direct sub-expressions (subquery plans are not included).
    public var children: [Expr] {
        switch self {
        case .column, .attribute, .outerReference, .literal, .interval, .star, .exists, .scalarSubquery:
            return []
        case let .alias(e, _, _), let .unary(_, e), let .isNull(e, _), let .cast(e, _), let .inSubquery(e, _, _):
            return [e]
        case let .binary(_, l, r): return [l, r]
        case let .call(_, args, _): return args
        case let .caseWhen(operand, branches, otherwise):
            var out: [Expr] = []
            if let o = operand { out.append(o) }
            for b in branches { out.append(b.condition); out.append(b.result) }
            if let o = otherwise { out.append(o) }
            return out
        case let .inList(e, list, _): return [e] + list
        case let .between(e, lo, hi, _): return [e, lo, hi]
        case let .like(e, p, _, _): return [e, p]
        case let .window(f, spec): return [f] + spec.partitionBy + spec.orderBy.map(\.expr)
        }
    }

    /// The same node with each direct child replaced by `f(child)`.
    public func mapChildren(_ f: (Expr) throws -> Expr) rethrows -> Expr {
        switch self {
        case .column, .attribute, .outerReference, .literal, .interval, .star, .exists, .scalarSubquery:
            return self
        case let .alias(e, n, id): return .alias(try f(e), name: n, id: id)
        case let .unary(op, e): return .unary(op, try f(e))
        case let .isNull(e, neg): return .isNull(try f(e), negated: neg)
        case let .cast(e, t): return .cast(try f(e), t)
        case let .inSubquery(e, p, neg): return .inSubquery(try f(e), p, negated: neg)
        case let .binary(op, l, r): return .binary(op, try f(l), try f(r))
        case let .call(n, args, d): return .call(name: n, args: try args.map(f), distinct: d)
        case let .caseWhen(operand, branches, otherwise):
            return .caseWhen(operand: try operand.map(f),
                             branches: try branches.map { WhenClause(try f($0.condition), try f($0.result)) },
                             otherwise: try otherwise.map(f))
        case let .inList(e, list, neg): return .inList(try f(e), try list.map(f), negated: neg)
        case let .between(e, lo, hi, neg): return .between(try f(e), low: try f(lo), high: try f(hi), negated: neg)
        case let .like(e, p, neg, ci): return .like(try f(e), pattern: try f(p), negated: neg, caseInsensitive: ci)
        case let .window(fn, spec):
            var s = spec
            s.partitionBy = try spec.partitionBy.map(f)
            s.orderBy = try spec.orderBy.map { var o = $0; o.expr = try f($0.expr); return o }
            return .window(try f(fn), s)
        }
    }

    /// Rewrites bottom-up: children first, then `rule` on the node (nil keeps the node).
    public func transformUp(_ rule: (Expr) throws -> Expr?) rethrows -> Expr {
        let withNewChildren = try mapChildren { try $0.transformUp(rule) }
        return try rule(withNewChildren) ?? withNewChildren
    }

    /// Rewrites top-down: `rule` on the node first (nil keeps it), then its children.
    public func transformDown(_ rule: (Expr) throws -> Expr?) rethrows -> Expr {
        let replaced = try rule(self) ?? self
        return try replaced.mapChildren { try $0.transformDown(rule) }
    }

    /// The expression with attribute qualifiers removed, so equal columns compare equal
    /// (`l.x` and `x` are one column once resolved).
    public var unqualified: Expr {
        transformUp { x in
            if case var .attribute(a) = x {
                a.qualifier = []
                return .attribute(a)
            }
            return nil
        }
    }

    /// True if `predicate` holds for this node or any descendant.
    public func contains(where predicate: (Expr) -> Bool) -> Bool {
        if predicate(self) { return true }
        return children.contains { $0.contains(where: predicate) }
    }

    /// Every attribute referenced (not counting outer references).
    public var references: Set<AttributeID> {
        var out = Set<AttributeID>()
        collectReferences(&out)
        return out
    }

    private func collectReferences(_ out: inout Set<AttributeID>) {
        if case let .attribute(a) = self { out.insert(a.id) }
        for c in children { c.collectReferences(&out) }
    }

    /// Splits `a AND b AND c` into `[a, b, c]`.
    public var conjuncts: [Expr] {
        if case let .binary(.and, l, r) = self { return l.conjuncts + r.conjuncts }
        return [self]
    }

    /// Joins predicates with AND (nil for none).
    public static func conjunction(_ parts: [Expr]) -> Expr? {
        guard var out = parts.first else { return nil }
        for p in parts.dropFirst() { out = .binary(.and, out, p) }
        return out
    }

    /// Removes a top-level alias.
    public var unaliased: Expr {
        if case let .alias(e, _, _) = self { return e }
        return self
    }

    /// True when the tree holds a subquery expression.
    public var hasSubquery: Bool {
        contains { e in
            switch e {
            case .exists, .inSubquery, .scalarSubquery: return true
            default: return false
            }
        }
    }
}
