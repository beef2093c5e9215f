import Columnar

/// Narrows the schema of a `from_json` column to the fields the query reads, as Spark's
/// `OptimizeCsvJsonExprs` does: `from_json(v, 'user STRING, page STRING, duration INT') AS e`
/// read only as `e.page` and `e.duration` parses just those two fields.
///
/// As in Spark, only calls without options are narrowed: FAILFAST must still reject a record
/// whose unread fields are malformed. A column used whole anywhere (selected, compared, grouped,
/// passed to a function, returned, or part of a DISTINCT / set operation) keeps its schema.
public struct PruneJSONFields: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `PruneJSONFields`.
    public var name: String { "PruneJSONFields" }

    /// Narrows every prunable `from_json` alias of the plan.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        // Subqueries can refer to outer columns in ways this walk does not follow: leave them be.
        if Self.anyNode(plan, { $0.expressions.contains(where: \.hasSubquery) }) { return nil }
        var candidates: [AttributeID: [StructField]] = [:]
        _ = Self.anyNode(plan) { node in
            if case let .project(list, _) = node {
                for e in list {
                    if case let .alias(.call("from_json", args, _), _, id?) = e, args.count == 2,
                       case let .struct(fields) = e.unaliased.dataType, fields.count > 1 {
                        candidates[id] = fields
                    }
                }
            }
            return false
        }
        if candidates.isEmpty { return nil }
        // Columns that leave a node without an expression naming them are used whole.
        for id in plan.outputIDs { candidates[id] = nil }
        _ = Self.anyNode(plan) { node in
            switch node {
            case .distinct, .union, .intersect, .except:
                for c in node.children { for a in c.output { candidates[a.id] = nil } }
            default: break
            }
            return false
        }
        var read: [AttributeID: Set<String>] = [:]
        _ = Self.anyNode(plan) { node in
            for e in node.expressions { Self.collectFieldReads(e, &candidates, &read) }
            return false
        }
        var narrowed: [AttributeID: (ddl: String, type: DataType)] = [:]
        for (id, fields) in candidates {
            guard let names = read[id], !names.isEmpty else { continue }
            let kept = fields.filter { names.contains($0.name.lowercased()) }
            guard !kept.isEmpty, kept.count < fields.count, let ddl = Self.ddl(kept) else { continue }
            narrowed[id] = (ddl, .struct(kept))
        }
        if narrowed.isEmpty { return nil }
        let out = try plan.transformUp { node -> LogicalPlan? in
            try FreshInstanceMap.mapExpressions(node) { e in
                e.transformUp { x in
                    switch x {
                    case let .alias(.call("from_json", args, d), name, id?) where narrowed[id] != nil:
                        guard let n = narrowed[id] else { return nil }
                        return .alias(.call(name: "from_json", args: [args[0], .string(n.ddl)], distinct: d), name: name, id: id)
                    case var .attribute(a) where narrowed[a.id] != nil:
                        guard let n = narrowed[a.id] else { return nil }
                        a.type = n.type
                        return .attribute(a)
                    default:
                        return nil
                    }
                }
            }
        }
        return out == plan ? nil : out
    }

    /// Records the fields read as `__getfield(column, 'name')`; a column met any other way is used
    /// whole and stops being a candidate.
    static func collectFieldReads(_ e: Expr, _ candidates: inout [AttributeID: [StructField]],
                                  _ read: inout [AttributeID: Set<String>]) {
        if case let .call("__getfield", args, _) = e, args.count == 2, case let .attribute(a) = args[0],
           case let .literal(.string(f), _) = args[1], candidates[a.id] != nil {
            read[a.id, default: []].insert(f.lowercased())
            return
        }
        if case let .attribute(a) = e {
            candidates[a.id] = nil
            return
        }
        for c in e.children { collectFieldReads(c, &candidates, &read) }
    }

    /// The schema text of `fields`, checked by parsing it back; nil when it does not read back the same.
    static func ddl(_ fields: [StructField]) -> String? {
        if fields.contains(where: { $0.name.contains("`") }) { return nil }
        let text = fields.map { f in "`\(f.name)` \(f.type.sqlName)" + (f.nullable ? "" : " NOT NULL") }.joined(separator: ", ")
        guard let back = try? DDLParser.parseSchema(text), back.fields == fields else { return nil }
        return text
    }

    /// True when `test` holds for some node of the plan.
    static func anyNode(_ plan: LogicalPlan, _ test: (LogicalPlan) -> Bool) -> Bool {
        if test(plan) { return true }
        return plan.children.contains { anyNode($0, test) }
    }
}
