import Columnar

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

    /// Notes how a projection reads each (text, path): the type of the cast every occurrence is
    /// directly under when that is one integer type for all of them, string otherwise.
    private static func noteReads(_ e: Expr, _ reads: inout [Expr: [String: DataType]], _ texts: inout [Expr],
                                  _ order: inout [Expr: [String]]) {
        func note(_ text: Expr, _ path: String, _ type: DataType) {
            if order[text] == nil { texts.append(text) }
            if !(order[text]?.contains(path) ?? false) { order[text, default: []].append(path) }
            if let seen = reads[text]?[path] {
                // Read two ways: the string is made and cast outside.
                if seen != type { reads[text]?[path] = .string }
            } else {
                reads[text, default: [:]][path] = type
            }
        }
        if case let .cast(inner, t) = e, JSONFunctions.isTypedPathType(t), let (text, path) = pathCall(inner) {
            note(text, path, t)
            for c in inner.children { noteReads(c, &reads, &texts, &order) }
            return
        }
        if let (text, path) = pathCall(e) { note(text, path, .string) }
        for c in e.children { noteReads(c, &reads, &texts, &order) }
    }

    static func combine(_ list: [Expr], _ child: LogicalPlan) -> LogicalPlan? {
        // The distinct paths per text, in order of appearance, and the type each is read as.
        var texts: [Expr] = []
        var paths: [Expr: [String]] = [:]
        var reads: [Expr: [String: DataType]] = [:]
        for e in list { noteReads(e, &reads, &texts, &paths) }
        let combined = texts.filter { (paths[$0]?.count ?? 0) > 1 }
        if combined.isEmpty { return nil }
        var columns: [Expr: Attribute] = [:]
        var defined: [Expr] = []
        func typeOf(_ text: Expr, _ path: String) -> DataType { reads[text]?[path] ?? .string }
        for text in combined {
            let ps = paths[text] ?? []
            let types = ps.map { typeOf(text, $0) }
            let a = Attribute(name: "__json_paths", type: JSONFunctions.pathsType(types), nullable: false)
            columns[text] = a
            var args = [text]
            for (p, t) in zip(ps, types) {
                args.append(.string(p))
                // A typed field: its value is read as `t` straight from the text.
                if t != .string { args.append(.literal(.null, t)) }
            }
            defined.append(.alias(.call(name: "__json_paths", args: args, distinct: false), name: a.name, id: a.id))
        }
        func field(_ text: Expr, _ path: String) -> Expr? {
            guard let a = columns[text], let i = paths[text]?.firstIndex(of: path) else { return nil }
            return .call(name: "__getfield", args: [.attribute(a), .string(JSONFunctions.pathFieldName(i))], distinct: false)
        }
        let outer = list.map { e in
            e.transformDown { x -> Expr? in
                if case let .cast(inner, t) = x, let (text, path) = pathCall(inner), typeOf(text, path) == t {
                    return field(text, path)
                }
                guard let (text, path) = pathCall(x), typeOf(text, path) == .string else { return nil }
                return field(text, path)
            }
        }
        var used = Set<AttributeID>()
        for e in outer { used.formUnion(e.references) }
        let passed = child.output.filter { used.contains($0.id) }.map { Expr.attribute($0) }
        return .project(outer, .project(passed + defined, child))
    }
}
