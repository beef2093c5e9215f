/// Extracts the JSON paths a projection reads from the same text in one walk over the text:
/// `get_json_object(v, '$.page')` and `get_json_object(v, '$.duration')` in one projection become
/// fields of one `__json_paths(v, '$.page', '$.duration')` computed by a projection below.
public struct CombineJSONPaths: OptimizerRule {
    /// Creates the rule.
    public init() {}
    /// `CombineJSONPaths`.
    public var name: String { "CombineJSONPaths" }

    /// Rewrites every projection that reads two or more paths of one text.
    public func apply(_ plan: LogicalPlan) throws -> LogicalPlan? {
        let out = plan.transformUp { node -> LogicalPlan? in
            guard case let .project(list, child) = node else { return nil }
            return Self.combine(list, child)
        }
        return out == plan ? nil : out
    }

    /// The text and constant path of a `get_json_object` call worth combining.
    static func pathCall(_ e: Expr) -> (text: Expr, path: String)? {
        guard case let .call("get_json_object", args, _) = e, args.count == 2,
              case let .literal(.string(path), _) = args[1], !args[0].references.isEmpty, args[0].isMovable else { return nil }
        return (args[0].unqualified, path)
    }

    static func combine(_ list: [Expr], _ child: LogicalPlan) -> LogicalPlan? {
        // The distinct paths per text, in order of appearance.
        var texts: [Expr] = []
        var paths: [Expr: [String]] = [:]
        for e in list {
            _ = e.contains { x in
                if let (text, path) = pathCall(x) {
                    if paths[text] == nil { texts.append(text) }
                    if !(paths[text]?.contains(path) ?? false) { paths[text, default: []].append(path) }
                }
                return false
            }
        }
        let combined = texts.filter { (paths[$0]?.count ?? 0) > 1 }
        if combined.isEmpty { return nil }
        var columns: [Expr: Attribute] = [:]
        var defined: [Expr] = []
        for text in combined {
            let ps = paths[text] ?? []
            let a = Attribute(name: "__json_paths", type: JSONFunctions.pathsType(count: ps.count), nullable: false)
            columns[text] = a
            defined.append(.alias(.call(name: "__json_paths", args: [text] + ps.map { Expr.string($0) }, distinct: false),
                                  name: a.name, id: a.id))
        }
        let outer = list.map { e in
            e.transformUp { x -> Expr? in
                guard let (text, path) = pathCall(x), let a = columns[text], let i = paths[text]?.firstIndex(of: path) else {
                    return nil
                }
                return .call(name: "__getfield", args: [.attribute(a), .string(JSONFunctions.pathFieldName(i))], distinct: false)
            }
        }
        var used = Set<AttributeID>()
        for e in outer { used.formUnion(e.references) }
        let passed = child.output.filter { used.contains($0.id) }.map { Expr.attribute($0) }
        return .project(outer, .project(passed + defined, child))
    }
}
