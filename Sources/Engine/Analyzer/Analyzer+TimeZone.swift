import Columnar

/// Datetime functions and casts that depend on the session time zone: the analyzer rewrites
/// them into internal functions that carry the zone id as their last argument.
extension Analyzer {
    private var zoneArg: Expr { .string(timeZone.id) }

    private func toTimestampArg(_ e: Expr) -> Expr {
        switch e.dataType {
        case .timestamp, .string, .date, .null: return e
        default: return TypeCoercion.cast(e, to: .timestamp)
        }
    }

    /// The internal form of a zone-dependent datetime call; nil for other functions.
    func coerceDateTimeCall(_ name: String, _ args: [Expr]) throws -> Expr? {
        func call(_ n: String, _ a: [Expr]) -> Expr { .call(name: n, args: a + [zoneArg], distinct: false) }
        func format(_ i: Int, default text: String?) throws -> Expr {
            guard i < args.count else { return text.map(Expr.string) ?? .literal(.null, .string) }
            guard case .literal(.string, _) = args[i] else {
                throw EngineError.unsupported("the format of `\(name)` must be a constant string")
            }
            _ = try DateTimePattern({ if case let .literal(.string(p), _) = args[i] { return p }; return "" }())
            return args[i]
        }
        switch name {
        case "to_timestamp":
            return call("__to_timestamp", [toTimestampArg(args[0]), try format(1, default: nil)])
        case "to_date":
            if args.count == 1 && args[0].dataType != .timestamp { return nil }
            return call("__to_date", [toTimestampArg(args[0]), try format(1, default: nil)])
        case "date_format":
            return call("__date_format", [toTimestampArg(args[0]), try format(1, default: nil)])
        case "unix_timestamp", "to_unix_timestamp":
            if args.isEmpty { return call("__unix_timestamp", [.call(name: "current_timestamp", args: [], distinct: false), .literal(.null, .string)]) }
            return call("__unix_timestamp", [toTimestampArg(args[0]), try format(1, default: DateTimeFunctions.defaultFormat)])
        case "from_unixtime":
            return call("__from_unixtime", [TypeCoercion.cast(args[0], to: .int64), try format(1, default: DateTimeFunctions.defaultFormat)])
        case "current_date":
            // Today in the session time zone.
            if timeZone.isUTC { return nil }
            return call("__to_date", [.call(name: "current_timestamp", args: [], distinct: false), .literal(.null, .string)])
        case "hour", "minute", "second":
            return call("__" + name, [TypeCoercion.cast(args[0], to: .timestamp)])
        case "date_trunc":
            guard case .literal(.string, _) = args[0] else {
                throw EngineError.unsupported("the unit of `date_trunc` must be a constant string")
            }
            return call("__date_trunc", [args[0], toTimestampArg(args[1])])
        default:
            return nil
        }
    }

    /// Casts between text, dates and timestamps read or print times in the session zone: in a
    /// zone other than UTC they become the internal datetime functions.
    func localizeCasts(_ plan: LogicalPlan) -> LogicalPlan {
        if timeZone.isUTC { return plan }
        return plan.transformUp { node in
            let mapped = FreshInstance.mapExpressions(node) { localizeCasts($0) }
            return mapped == node ? nil : mapped
        }
    }

    private func localizeCasts(_ e: Expr) -> Expr {
        e.transformUp { x in
            switch x {
            case let .cast(inner, to):
                let from = inner.dataType
                switch (from, to) {
                case (.string, .timestamp), (.date, .timestamp):
                    return .call(name: "__to_timestamp", args: [inner, .literal(.null, .string), zoneArg], distinct: false)
                case (.timestamp, .date):
                    return .call(name: "__to_date", args: [inner, .literal(.null, .string), zoneArg], distinct: false)
                case (.timestamp, .string):
                    return .call(name: "__date_format", args: [inner, .literal(.null, .string), zoneArg], distinct: false)
                default: return nil
                }
            case let .exists(p, neg): return .exists(localizeCasts(p), negated: neg)
            case let .inSubquery(v, p, neg): return .inSubquery(v, localizeCasts(p), negated: neg)
            case let .scalarSubquery(p): return .scalarSubquery(localizeCasts(p))
            default: return nil
            }
        }
    }
}
