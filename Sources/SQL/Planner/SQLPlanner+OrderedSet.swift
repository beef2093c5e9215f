extension SQLPlanner {
    /// The ordered-set aggregates, `f(…) WITHIN GROUP (ORDER BY …)`, written as the aggregates
    /// they equal:
    /// - `percentile_cont(p)` is `percentile(x, p)`, and `percentile_disc(p)` the exact-rank
    ///   `percentile_approx(x, p)` as a double; descending, both run over `-x` and negate the answer
    ///   (exact in floating point, so the interpolation's last bits are Spark's);
    /// - `listagg(x[, d])` / `string_agg` joins the non-null values of the group sorted by the keys:
    ///   pairs of keys and value are collected, sorted, and the values joined; null for a group
    ///   without values.
    /// A `FILTER` stays on the one aggregate the rewrite calls.
    static func orderedSetAggregate(_ call: FunctionCall, at location: SourceLocation) throws -> SQLExpr {
        func node(_ kind: SQLExpr.Kind) -> SQLExpr { SQLExpr(kind, at: location) }
        func function(_ name: String, _ args: [SQLExpr], filter: SQLExpr? = nil) -> SQLExpr {
            node(.function(FunctionCall(name: [name], arguments: args, filter: filter)))
        }
        let name = call.name[0].lowercased()
        let order = call.withinGroup
        guard !call.distinct, call.over == nil else {
            throw SQLError("\(name) WITHIN GROUP takes neither DISTINCT nor OVER here", at: location)
        }
        switch name {
        case "percentile_cont", "percentile_disc":
            guard call.arguments.count == 1, order.count == 1 else {
                throw SQLError("\(name) takes one percentage and one ORDER BY key", at: location)
            }
            let key = order[0]
            let percentage = call.arguments[0]
            // Descending keys are negated as doubles: negating a narrow integer could wrap.
            let double = SQLTypeName(name: "DOUBLE")
            let negatedKey = node(.unary(.negate, node(.cast(key.expr, double, isTry: false))))
            if name == "percentile_cont" {
                if key.ascending { return function("percentile", [key.expr, percentage], filter: call.filter) }
                let negated = function("percentile", [negatedKey, percentage], filter: call.filter)
                return node(.unary(.negate, negated))
            }
            if key.ascending {
                return node(.cast(function("percentile_approx", [key.expr, percentage], filter: call.filter), double, isTry: false))
            }
            let negated = function("percentile_approx", [negatedKey, percentage], filter: call.filter)
            return node(.cast(node(.unary(.negate, negated)), double, isTry: false))
        case "listagg", "string_agg":
            guard (1...2).contains(call.arguments.count) else {
                throw SQLError("\(name) takes a value and an optional delimiter", at: location)
            }
            for item in order where item.nullsFirst.map({ $0 != item.ascending }) ?? false {
                throw SQLError("\(name) WITHIN GROUP sorts nulls first when ascending and last when descending", at: item.expr.location)
            }
            guard Set(order.map(\.ascending)).count == 1 else {
                throw SQLError("\(name) WITHIN GROUP needs every key in one direction", at: location)
            }
            let value = call.arguments[0]
            var fields: [SQLExpr] = []
            for (i, item) in order.enumerated() { fields += [node(.literal(.string("k\(i)"))), item.expr] }
            fields += [node(.literal(.string("v"))), value]
            let pair = node(.caseWhen(operand: nil, branches: [CaseBranch(when: node(.isNull(value, negated: true)),
                                                                           then: function("named_struct", fields))],
                                      otherwise: nil))
            let sorted = function("sort_array", [function("collect_list", [pair], filter: call.filter),
                                                 node(.literal(.boolean(order[0].ascending)))])
            let delimiter = call.arguments.count > 1 ? call.arguments[1] : node(.literal(.string("")))
            let joined = function("array_join", [node(.field(sorted, "v")), delimiter])
            let empty = node(.binary(.equal, function("size", [sorted]), node(.literal(.integer("0")))))
            return node(.caseWhen(operand: nil, branches: [CaseBranch(when: empty, then: node(.literal(.null)))], otherwise: joined))
        default:
            throw SQLError("\(name) is not an ordered-set aggregate: WITHIN GROUP applies to percentile_cont, "
                           + "percentile_disc, listagg and string_agg", at: location)
        }
    }

    /// Spark's name for an ordered-set aggregate's result: `percentile_cont(0.3) WITHIN GROUP
    /// (ORDER BY x DESC)`.
    func orderedSetName(_ call: FunctionCall) throws -> String {
        let args = try call.arguments.map { try expr($0).prettyName }.joined(separator: ", ")
        let keys = try call.withinGroup.map { item in
            try expr(item.expr).prettyName + (item.ascending ? "" : " DESC")
        }.joined(separator: ", ")
        return "\(call.name[0].lowercased())(\(args)) WITHIN GROUP (ORDER BY \(keys))"
    }
}
