/// Gives every attribute defined inside a plan a new id, so that one view or CTE can appear
/// several times in a query (self-joins) without its columns being confused.
enum FreshInstance {
    static func of(_ plan: LogicalPlan) -> LogicalPlan {
        var mapping: [AttributeID: Attribute] = [:]
        return rewrite(plan, &mapping, AttributeID.next)
    }

    /// The plan with ids numbered 1, 2, 3… in definition order and no relation aliases: two
    /// plans that compute the same result from the same sources have equal canonical forms.
    static func canonical(_ plan: LogicalPlan) -> LogicalPlan {
        var mapping: [AttributeID: Attribute] = [:]
        var counter = 0
        let stripped = plan.transformUp { node in
            if case let .subqueryAlias(_, c) = node { return c }
            return nil
        }
        let renumbered = rewrite(stripped, &mapping) {
            counter += 1
            return AttributeID(raw: counter)
        }
        return renumbered.transformUp { node in
            mapExpressions(node) { e in
                e.transformUp { x in
                    if case var .attribute(a) = x, !a.qualifier.isEmpty {
                        a.qualifier = []
                        return .attribute(a)
                    }
                    return nil
                }
            }
        }
    }

    private static func rewrite(_ plan: LogicalPlan, _ mapping: inout [AttributeID: Attribute],
                                _ nextID: () -> AttributeID) -> LogicalPlan {
        let kids = plan.children.map { rewrite($0, &mapping, nextID) }
        var node = kids.isEmpty ? plan : plan.withChildren(kids)
        switch node {
        case var .scan(s):
            s.output = s.output.map { a in
                var b = a
                b.id = nextID()
                b.qualifier = []
                mapping[a.id] = b
                return b
            }
            // Columns only exact filters read are not output, but are attributes of the scan all the same.
            for filter in s.filters {
                _ = filter.contains(where: { e in
                    if case let .attribute(a) = e, mapping[a.id] == nil {
                        var b = a
                        b.id = nextID()
                        b.qualifier = []
                        mapping[a.id] = b
                    }
                    return false
                })
            }
            s.filters = s.filters.map { remap($0, mapping) }
            s.exactFilters = s.exactFilters.map { remap($0, mapping) }
            return .scan(s)
        case let .localRelation(out, data):
            let fresh = out.map { a -> Attribute in
                var b = a
                b.id = nextID()
                mapping[a.id] = b
                return b
            }
            return .localRelation(output: fresh, data: data)
        default:
            break
        }
        node = mapExpressions(node) { remap($0, mapping) }
        // Aliases define new attributes: give them new ids too.
        func renumber(_ list: [Expr]) -> [Expr] {
            list.map { e in
                if case let .alias(inner, name, id?) = e {
                    let newID = nextID()
                    mapping[id] = Attribute(name: name, type: inner.dataType, nullable: inner.nullable, id: newID)
                    return .alias(inner, name: name, id: newID)
                }
                return e
            }
        }
        switch node {
        case let .project(l, c): return .project(renumber(l), c)
        case let .aggregate(g, a, c): return .aggregate(groupBy: g, aggregates: renumber(a), c)
        case let .window(w, c): return .window(renumber(w), c)
        case let .generate(g, outer, out, c):
            let fresh = out.map { a -> Attribute in
                var b = a
                b.id = nextID()
                mapping[a.id] = b
                return b
            }
            return .generate(g, outer: outer, generatorOutput: fresh, c)
        default: return node
        }
    }

    private static func remap(_ e: Expr, _ mapping: [AttributeID: Attribute]) -> Expr {
        e.transformUp { x in
            if case let .attribute(a) = x, let m = mapping[a.id] {
                var b = m
                b.qualifier = a.qualifier
                return .attribute(b)
            }
            return nil
        }
    }

    /// Applies `f` to every expression held directly by a node.
    static func mapExpressions(_ plan: LogicalPlan, _ f: (Expr) -> Expr) -> LogicalPlan {
        switch plan {
        case let .project(l, c): return .project(l.map(f), c)
        case let .filter(e, c): return .filter(f(e), c)
        case let .aggregate(g, a, c): return .aggregate(groupBy: g.map(f), aggregates: a.map(f), c)
        case let .sort(o, c): return .sort(o.map { var s = $0; s.expr = f($0.expr); return s }, c)
        case let .join(l, r, t, cond): return .join(l, r, t, condition: cond.map(f))
        case let .window(w, c): return .window(w.map(f), c)
        case let .generate(g, outer, out, c): return .generate(f(g), outer: outer, generatorOutput: out, c)
        default: return plan
        }
    }
}
