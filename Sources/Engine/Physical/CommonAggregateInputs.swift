/// Computes an expression that several aggregate arguments share once per row instead of once
/// per use: `sum(price * (1 - discount))` next to `sum(price * (1 - discount) * (1 + tax))`
/// evaluates `price * (1 - discount)` one time, in a projection below the aggregate.
enum CommonAggregateInputs {
    /// The calls with shared sub-expressions replaced by attributes, and the input that
    /// computes those attributes; the calls and child unchanged when nothing is shared.
    static func extract(_ calls: [AggregateCall], child: any PhysicalOperator) -> ([AggregateCall], any PhysicalOperator) {
        var calls = calls
        var shared: [Expr] = []
        // Largest shared expression first: its parts are then computed inside it, once.
        while let common = largestRepeated(in: calls.flatMap(\.args)) {
            let attribute = Attribute(name: common.prettyName, type: common.dataType, nullable: common.nullable)
            shared.append(.alias(common, name: attribute.name, id: attribute.id))
            calls = calls.map { call in
                AggregateCall(name: call.name, args: call.args.map { $0.transformDown { $0 == common ? .attribute(attribute) : nil } },
                              distinct: call.distinct, resultType: call.resultType, attribute: call.attribute)
            }
        }
        if shared.isEmpty { return (calls, child) }
        // Fold into a filter directly below when it has no projection of its own: one pass.
        if let filter = child as? FilterProjectExec, filter.projection == nil {
            let projection = filter.child.output.map { Expr.attribute($0) } + shared
            return (calls, FilterProjectExec(condition: filter.condition, projection: projection, child: filter.child))
        }
        return (calls, FilterProjectExec(condition: nil, projection: child.output.map { .attribute($0) } + shared, child: child))
    }

    /// The largest computed (not attribute or constant), deterministic sub-expression that
    /// occurs at least twice among `exprs`.
    static func largestRepeated(in exprs: [Expr]) -> Expr? {
        var counts: [Expr: Int] = [:]
        func visit(_ e: Expr) {
            switch e {
            case .attribute, .literal: return
            default: break
            }
            counts[e, default: 0] += 1
            e.children.forEach(visit)
        }
        exprs.forEach(visit)
        return counts.filter { $0.value >= 2 && $0.key.isMovable }.keys.max { size($0) < size($1) }
    }

    static func size(_ e: Expr) -> Int { 1 + e.children.reduce(0) { $0 + size($1) } }
}
