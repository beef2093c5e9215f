import Columnar

/// Spark's implicit casts, applied node by node once the children are typed.
extension Analyzer {
    func coerce(_ x: Expr) throws -> Expr? {
        switch x {
        case let .binary(op, l, r):
            return try coerceBinary(op, l, r)
        case let .unary(.not, e):
            return .unary(.not, try boolean(e))
        case let .unary(.negate, e):
            if e.dataType == .string { return .unary(.negate, .cast(e, .float64)) }
            guard e.dataType.isNumeric || e.dataType == .null else {
                throw EngineError.analysis("cannot negate `\(e.prettyName)` of type \(e.dataType)", position: nil)
            }
            return nil
        case let .between(e, lo, hi, neg):
            let both = Expr.binary(.and, try coerceBinary(.greaterOrEqual, e, lo), try coerceBinary(.lessOrEqual, e, hi))
            return neg ? .unary(.not, both) : both
        case let .inList(e, list, neg):
            guard let t = list.reduce(Optional(e.dataType), { acc, v in acc.flatMap { TypeCoercion.comparison($0, v.dataType) } })
            else { throw EngineError.analysis("IN list values do not match the type of `\(e.prettyName)`", position: nil) }
            let cast = TypeCoercion.cast(e, to: t)
            let values = list.map { TypeCoercion.cast($0, to: t) }
            if values.contains(where: \.isUnfoldable) {
                // Non-constant IN lists become a chain of equalities.
                let ors = values.map { Expr.binary(.equal, cast, $0) }.reduce(nil as Expr?) { acc, v in acc.map { .binary(.or, $0, v) } ?? v }!
                return neg ? .unary(.not, ors) : ors
            }
            return .inList(cast, values, negated: neg)
        case let .like(e, p, neg, ci):
            return .like(TypeCoercion.cast(e, to: .string), pattern: TypeCoercion.cast(p, to: .string), negated: neg,
                         caseInsensitive: ci)
        case let .caseWhen(operand, branches, otherwise):
            var conds = branches.map(\.condition)
            if let o = operand {
                conds = try conds.map { try coerceBinary(.equal, o, $0) }
            } else {
                conds = try conds.map(boolean)
            }
            let results = branches.map(\.result) + (otherwise.map { [$0] } ?? [])
            guard let t = TypeCoercion.wider(results.map(\.dataType)) else {
                throw EngineError.analysis("CASE branches have incompatible types: "
                                           + results.map { $0.dataType.description }.joined(separator: ", "), position: nil)
            }
            return .caseWhen(operand: nil,
                             branches: zip(conds, branches).map { WhenClause($0, TypeCoercion.cast($1.result, to: t)) },
                             otherwise: otherwise.map { TypeCoercion.cast($0, to: t) })
        case let .call(name, args, distinct):
            return try coerceCall(name, args, distinct)
        case let .cast(e, t):
            if e.dataType == t { return e }
            if (e.dataType.isNested || t.isNested) && !CastKernel.canCastNested(e.dataType, t) {
                throw EngineError.analysis("[DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION] Cannot resolve `\(x.prettyName)`: "
                                           + "cannot cast \"\(e.dataType.description.uppercased())\" to "
                                           + "\"\(t.description.uppercased())\".", position: nil)
            }
            return nil
        default:
            return nil
        }
    }

    func boolean(_ e: Expr) throws -> Expr {
        switch e.dataType {
        case .boolean: return e
        case .null: return .literal(.null, .boolean)
        case .string: return .cast(e, .boolean)
        default:
            throw EngineError.analysis("`\(e.prettyName)` has type \(e.dataType) where a boolean is required", position: nil)
        }
    }

    func coerceBinary(_ op: BinaryOperator, _ l: Expr, _ r: Expr) throws -> Expr {
        switch op {
        case .and, .or:
            return .binary(op, try boolean(l), try boolean(r))
        case .concat:
            return .call(name: "concat", args: [TypeCoercion.cast(l, to: .string), TypeCoercion.cast(r, to: .string)],
                         distinct: false)
        case _ where op.isComparison:
            guard let t = TypeCoercion.comparison(l.dataType, r.dataType) else {
                throw EngineError.analysis("cannot compare `\(l.prettyName)` (\(l.dataType)) with `\(r.prettyName)` "
                                           + "(\(r.dataType))", position: nil)
            }
            return .binary(op, TypeCoercion.cast(l, to: t), TypeCoercion.cast(r, to: t))
        default:
            return try coerceArithmetic(op, l, r)
        }
    }

    func coerceArithmetic(_ op: BinaryOperator, _ l: Expr, _ r: Expr) throws -> Expr {
        // Date arithmetic: date ± interval, date ± days.
        if case let .interval(iv) = r, op == .add || op == .subtract {
            return try addInterval(l, iv, negate: op == .subtract)
        }
        if case let .interval(iv) = l, op == .add { return try addInterval(r, iv, negate: false) }
        let lt = l.dataType, rt = r.dataType
        if lt == .date && rt.isInteger && (op == .add || op == .subtract) {
            return .call(name: op == .add ? "date_add" : "date_sub", args: [l, TypeCoercion.cast(r, to: .int32)], distinct: false)
        }
        if lt == .date && rt == .date && op == .subtract {
            return .call(name: "datediff", args: [l, r], distinct: false)
        }
        var a = l, b = r
        if lt == .string { a = .cast(l, .float64) }
        if rt == .string { b = .cast(r, .float64) }
        if lt == .null { a = .literal(.null, b.dataType == .null ? .int32 : b.dataType) }
        if rt == .null { b = .literal(.null, a.dataType) }
        let at = a.dataType, bt = b.dataType
        guard at.isNumeric, bt.isNumeric else {
            throw EngineError.analysis("cannot apply `\(op.rawValue)` to `\(l.prettyName)` (\(lt)) and `\(r.prettyName)` (\(rt))",
                                       position: nil)
        }
        if at.isDecimal || bt.isDecimal {
            if at.isFloating || bt.isFloating {
                return .binary(op, TypeCoercion.cast(a, to: .float64), TypeCoercion.cast(b, to: .float64))
            }
            let da = TypeCoercion.decimalOperandType(a)!, db = TypeCoercion.decimalOperandType(b)!
            return .binary(op, TypeCoercion.cast(a, to: da), TypeCoercion.cast(b, to: db))
        }
        if op == .divide {
            return .binary(op, TypeCoercion.cast(a, to: .float64), TypeCoercion.cast(b, to: .float64))
        }
        if op == .integerDivide {
            return .binary(op, TypeCoercion.cast(a, to: .int64), TypeCoercion.cast(b, to: .int64))
        }
        let t = TypeCoercion.numericWider(at, bt)!
        return .binary(op, TypeCoercion.cast(a, to: t), TypeCoercion.cast(b, to: t))
    }

    func addInterval(_ base: Expr, _ iv: Interval, negate: Bool) throws -> Expr {
        var d = base
        if d.dataType == .string { d = .cast(d, iv.micros == 0 ? .date : .timestamp) }
        if d.dataType == .date && iv.micros != 0 { d = .cast(d, .timestamp) }
        if d.dataType == .timestamp {
            // Months and days move the wall clock in the session time zone; the rest is exact time.
            let sign: Int64 = negate ? -1 : 1
            return .call(name: "__ts_add", args: [d, .bigint(Int64(iv.months) * sign), .bigint(Int64(iv.days) * sign),
                                                  .bigint(iv.micros * sign), .string(timeZone.id)], distinct: false)
        }
        guard d.dataType == .date else {
            throw EngineError.analysis("cannot add an interval to `\(base.prettyName)` of type \(base.dataType)", position: nil)
        }
        let sign: Int32 = negate ? -1 : 1
        if iv.months != 0 {
            d = .call(name: "add_months", args: [d, .int(iv.months * sign)], distinct: false)
        }
        if iv.days != 0 {
            d = .call(name: "date_add", args: [d, .int(iv.days * sign)], distinct: false)
        }
        return d
    }

    func coerceCall(_ name: String, _ args: [Expr], _ distinct: Bool) throws -> Expr? {
        func same(_ list: [Expr]) throws -> [Expr] {
            guard let t = TypeCoercion.wider(list.map(\.dataType)) else {
                throw EngineError.analysis("arguments of `\(name)` have incompatible types", position: nil)
            }
            return list.map { TypeCoercion.cast($0, to: t) }
        }
        func call(_ n: String, _ a: [Expr]) -> Expr { .call(name: n, args: a, distinct: distinct) }
        func toDate(_ e: Expr) -> Expr { e.dataType == .string || e.dataType == .timestamp ? .cast(e, .date) : e }
        if let nested = try coerceNestedCall(name, args, distinct) { return nested }
        if let json = try coerceJSONCall(name, args, distinct) { return json }
        if let dt = try coerceDateTimeCall(name, args) { return dt }
        if let library = try coerceLibraryCall(name, args) { return library }
        if let aggregate = try coerceLibraryAggregate(name, args, distinct) { return aggregate }
        switch name {
        case "coalesce", "greatest", "least": return call(name, try same(args))
        case "nvl", "ifnull": return call("coalesce", try same(args))
        case "if":
            let r = try same([args[1], args[2]])
            return call("if", [try boolean(args[0])] + r)
        case "nullif":
            let eq = try coerceBinary(.equal, args[0], args[1])
            return .caseWhen(operand: nil, branches: [WhenClause(eq, .literal(.null, args[0].dataType))],
                             otherwise: args[0])
        case "sum", "avg", "mean", "stddev", "stddev_samp", "std", "stddev_pop", "variance", "var_samp", "var_pop":
            guard let a = args.first else { throw EngineError.analysis("`\(name)` needs an argument", position: nil) }
            if a.dataType == .string || a.dataType == .null { return call(name, [.cast(a, .float64)]) }
            guard a.dataType.isNumeric else {
                throw EngineError.analysis("`\(name)` needs a numeric argument, not \(a.dataType)", position: nil)
            }
            return nil
        case "year", "month", "day", "dayofmonth", "quarter", "dayofweek", "dayofyear", "last_day":
            return call(name, [toDate(args[0])])
        case "date_add", "date_sub", "add_months":
            return call(name, [toDate(args[0]), TypeCoercion.cast(args[1], to: .int32)])
        case "datediff":
            return call(name, [toDate(args[0]), toDate(args[1])])
        case "substring", "substr":
            return call("substring", [TypeCoercion.cast(args[0], to: .string)] + args.dropFirst().map { TypeCoercion.cast($0, to: .int32) })
        case "upper", "lower", "ucase", "lcase", "trim", "ltrim", "rtrim", "length", "char_length",
             "character_length", "reverse":
            return call(name, [TypeCoercion.cast(args[0], to: .string)])
        case "concat", "replace", "startswith", "endswith", "contains":
            return call(name, args.map { TypeCoercion.cast($0, to: .string) })
        case "round":
            var rest: [Expr] = []
            if args.count > 1 {
                guard case .literal = args[1] else {
                    throw EngineError.analysis("the scale of `round` must be a constant", position: nil)
                }
                rest = [TypeCoercion.cast(args[1], to: .int32)]
            }
            let a = args[0].dataType == .string ? Expr.cast(args[0], .float64) : args[0]
            return call(name, [a] + rest)
        case "sqrt", "exp", "ln", "log10", "pow", "power":
            return call(name, args.map { TypeCoercion.cast($0, to: .float64) })
        case "date_part", "extract":
            // date_part('YEAR', d) becomes year(d).
            guard case let .literal(.string(field), _) = args[0] else {
                throw EngineError.analysis("the field of `\(name)` must be a constant", position: nil)
            }
            let f = field.lowercased()
            let mapped = ["year": "year", "years": "year", "y": "year", "month": "month", "months": "month",
                          "day": "day", "days": "day", "d": "day", "quarter": "quarter", "dow": "dayofweek",
                          "doy": "dayofyear", "dayofweek": "dayofweek"][f]
            guard let m = mapped else { throw EngineError.unsupported("extract field \(field)") }
            return call(m, [toDate(args[1])])
        default:
            return nil
        }
    }
}

extension Expr {
    /// True when the expression is not a constant (so IN lists must evaluate it per row).
    var isUnfoldable: Bool {
        contains { e in
            switch e {
            case .attribute, .outerReference, .column, .scalarSubquery, .exists, .inSubquery: return true
            default: return false
            }
        }
    }
}
