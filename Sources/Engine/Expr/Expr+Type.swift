import Columnar

/// Types and names of resolved expressions.
extension Expr {
    /// The result type. Meaningful after analysis; unresolved nodes report `.null`.
    public var dataType: DataType {
        switch self {
        case .column, .star, .interval, .exists: return self.isExists ? .boolean : .null
        case let .attribute(a), let .outerReference(a): return a.type
        case let .literal(_, t): return t
        case let .alias(e, _, _): return e.dataType
        case let .unary(.negate, e): return e.dataType
        case .unary(.not, _): return .boolean
        case let .binary(op, l, r):
            if op.isComparison || op == .and || op == .or { return .boolean }
            if op == .concat { return .string }
            return Expr.arithmeticType(op, l.dataType, r.dataType)
        case .isNull, .inList, .between, .like, .inSubquery: return .boolean
        case let .call(name, args, _):
            if let t = Expr.nestedCallType(name.lowercased(), args) { return t }
            if let t = Expr.jsonCallType(name.lowercased(), args) { return t }
            if ["round", "bround"].contains(name.lowercased()), case let .decimal(p, s) = args.first?.dataType ?? .null {
                // round(decimal(p,s), d) keeps min(s, d) fractional digits and may carry one
                // more integral digit (Spark 3.4+).
                var d = 0
                if args.count > 1, case let .literal(.int(v), _) = args[1] { d = Int(v) }
                let newScale = min(s, max(d, 0))
                return .decimal(precision: min(p - s + 1 + newScale, DataType.decimalPrecisionMax), scale: newScale)
            }
            return Expr.callType(name.lowercased(), args.map(\.dataType))
        case let .caseWhen(_, branches, otherwise):
            for b in branches where b.result.dataType != .null { return b.result.dataType }
            return otherwise?.dataType ?? .null
        case let .cast(_, t): return t
        case let .scalarSubquery(plan): return plan.output.first?.type ?? .null
        case let .window(f, _): return f.dataType
        }
    }

    private var isExists: Bool {
        if case .exists = self { return true }
        return false
    }

    /// The result type of arithmetic on already-coerced operand types.
    public static func arithmeticType(_ op: BinaryOperator, _ l: DataType, _ r: DataType) -> DataType {
        if case let .decimal(p1, s1) = l, case let .decimal(p2, s2) = r {
            return DecimalRules.resultType(op, p1, s1, p2, s2)
        }
        if op == .integerDivide { return .int64 }
        if l == .date || r == .date { return l == .date && r == .date ? .int32 : .date }
        if l == .timestamp { return .timestamp }
        if l == r { return l }
        if l.isFloating || r.isFloating { return .float64 }
        return l == .null ? r : l
    }

    /// The result type of a function call on already-coerced argument types.
    public static func callType(_ name: String, _ args: [DataType]) -> DataType {
        if let f = ScalarFunctionLibrary.functions[name] { return f.resultType(args) }
        let first = args.first ?? .null
        switch name {
        case "count", "count_distinct": return .int64
        case "sum": return FunctionRegistry.sumType(first)
        case "avg", "mean": return FunctionRegistry.avgType(first)
        case "min", "max", "first", "last", "first_value", "last_value", "any_value", "lag", "lead", "abs", "nth_value":
            return first
        case "percentile", "percentile_approx":
            let element = name == "percentile" ? DataType.float64 : first
            if case .array = args.count > 1 ? args[1] : .null { return .array(element: element, containsNull: false) }
            return element
        case "max_by", "min_by", "mode", "bit_and", "bit_or", "bit_xor": return first
        case "corr", "covar_pop", "covar_samp", "skewness", "kurtosis",
             "stddev", "stddev_samp", "std", "stddev_pop", "variance", "var_samp", "var_pop",
             "sqrt", "exp", "ln", "log10", "pow", "power", "percent_rank", "cume_dist":
            return .float64
        case "bool_and", "bool_or", "every", "some", "isnull", "isnotnull", "startswith", "endswith", "contains",
             "__key_filter":
            return .boolean
        case "row_number", "rank", "dense_rank", "ntile", "length", "char_length", "character_length",
             "year", "month", "day", "dayofmonth", "quarter", "dayofweek", "dayofyear", "datediff",
             "date_part", "extract":
            return .int32
        case "round": return first
        case "floor", "ceil", "ceiling":
            if case let .decimal(p, s) = first { return .decimal(precision: min(p - s + 1, 38), scale: 0) }
            return first.isInteger ? first : .int64
        case "date_add", "date_sub", "add_months", "to_date", "current_date", "last_day", "trunc": return .date
        case "date_trunc", "to_timestamp", "current_timestamp", "__to_timestamp", "__date_trunc", "__ts_add":
            return .timestamp
        case "__to_date": return .date
        case "unix_timestamp", "to_unix_timestamp", "__unix_timestamp": return .int64
        case "hour", "minute", "second", "__hour", "__minute", "__second": return .int32
        case "coalesce", "nvl", "ifnull", "greatest", "least":
            return args.first { $0 != .null } ?? .null
        case "if": return args.count > 1 && args[1] != .null ? args[1] : (args.count > 2 ? args[2] : .null)
        case "nullif": return first
        default: return .string
        }
    }

    /// Whether the result may be null (conservative).
    public var nullable: Bool {
        switch self {
        case let .attribute(a), let .outerReference(a): return a.nullable
        case let .literal(v, _): return v.isNull
        case let .alias(e, _, _): return e.nullable
        case .isNull, .exists: return false
        case let .call(name, args, _):
            switch name.lowercased() {
            case "count", "count_distinct", "row_number", "rank", "dense_rank": return false
            case "coalesce", "nvl", "ifnull": return args.allSatisfy(\.nullable)
            default: return true
            }
        case let .binary(op, l, r):
            if op == .nullSafeEqual { return false }
            if op == .divide || op == .remainder || op == .integerDivide { return true }
            if l.dataType.isDecimal || r.dataType.isDecimal { return true }
            return l.nullable || r.nullable
        case let .unary(_, e), let .cast(e, _): return e.nullable || self.isCastToNarrower
        default: return true
        }
    }

    private var isCastToNarrower: Bool {
        if case .cast = self { return true }
        return false
    }

    /// The name Spark gives an unaliased expression in a result (`sum(l_quantity)`, `(a + b)`).
    public var prettyName: String {
        switch self {
        case let .column(n): return n.parts.last ?? ""
        case let .attribute(a), let .outerReference(a): return a.name
        case let .literal(v, t):
            switch v {
            case .string(let s): return s
            case .date: return "DATE '\(v)'"
            default: return t == .null ? "NULL" : v.description
            }
        case let .interval(i): return i.description
        case let .star(q): return q.isEmpty ? "*" : q.joined(separator: ".") + ".*"
        case let .alias(_, n, _): return n
        case let .unary(.negate, e): return "(- \(e.prettyName))"
        case let .unary(.not, e): return "(NOT \(e.prettyName))"
        case let .binary(op, l, r): return "(\(l.prettyName) \(op.rawValue) \(r.prettyName))"
        case let .isNull(e, neg): return "(\(e.prettyName) IS \(neg ? "NOT " : "")NULL)"
        case let .call(name, args, distinct):
            if name == "__getfield", args.count == 2, case let .literal(.string(f), _) = args[1] { return f }
            if name == "__subscript", args.count == 2 { return "\(args[0].prettyName)[\(args[1].prettyName)]" }
            if let symbol = BitwiseFunctions.symbols[name] {
                return args.count == 1 ? "~\(args[0].prettyName)" : "(\(args[0].prettyName) \(symbol) \(args[1].prettyName))"
            }
            if name.hasPrefix("__"), let shown = Expr.internalDateTimeName(name, args, \.prettyName) { return shown }
            if name == "__lambda", let body = args.first {
                return "lambdafunction(\(([body] + args.dropFirst()).map(\.prettyName).joined(separator: ", ")))"
            }
            return "\(name)(\(distinct ? "DISTINCT " : "")\(args.map(\.prettyName).joined(separator: ", ")))"
        case .caseWhen(let operand, let branches, let otherwise):
            var s = "CASE"
            if let o = operand { s += " \(o.prettyName)" }
            for b in branches { s += " WHEN \(b.condition.prettyName) THEN \(b.result.prettyName)" }
            if let o = otherwise { s += " ELSE \(o.prettyName)" }
            return s + " END"
        case let .cast(e, t): return "CAST(\(e.prettyName) AS \(t.sqlName))"
        case let .inList(e, list, neg):
            return "(\(e.prettyName)\(neg ? " NOT" : "") IN (\(list.map(\.prettyName).joined(separator: ", "))))"
        case let .between(e, lo, hi, neg):
            return "(\(e.prettyName)\(neg ? " NOT" : "") BETWEEN \(lo.prettyName) AND \(hi.prettyName))"
        case let .like(e, p, neg, ci):
            return "\(e.prettyName)\(neg ? " NOT" : "") \(ci ? "ILIKE" : "LIKE") \(p.prettyName)"
        case .exists(_, let neg): return neg ? "NOT exists(subquery)" : "exists(subquery)"
        case let .inSubquery(e, _, neg): return "(\(e.prettyName)\(neg ? " NOT" : "") IN (listquery()))"
        case .scalarSubquery: return "scalarsubquery()"
        case let .window(f, _): return "\(f.prettyName) OVER (…)"
        }
    }
}

extension Expr: CustomStringConvertible {
    /// A readable rendering used by `explain()`; attributes show their ids.
    public var description: String {
        switch self {
        case let .attribute(a): return a.description
        case let .outerReference(a): return "outer(\(a.description))"
        case let .alias(e, n, id): return "\(e) AS \(n)\(id.map(\.description) ?? "")"
        case let .binary(op, l, r): return "(\(l) \(op.rawValue) \(r))"
        case let .call(name, args, distinct):
            if name.hasPrefix("__"), let shown = Expr.internalDateTimeName(name, args, \.description) { return shown }
            return "\(name)(\(distinct ? "DISTINCT " : "")\(args.map(\.description).joined(separator: ", ")))"
        case let .cast(e, t): return "CAST(\(e) AS \(t))"
        case let .literal(v, t):
            if case .string = v { return "'\(v)'" }
            if t == .date { return "DATE '\(v)'" }
            return v.description
        case let .isNull(e, neg): return "(\(e) IS \(neg ? "NOT " : "")NULL)"
        case let .unary(op, e): return "(\(op.rawValue) \(e))"
        case let .inList(e, list, neg):
            return "(\(e)\(neg ? " NOT" : "") IN (\(list.map(\.description).joined(separator: ", "))))"
        default: return prettyName
        }
    }
}

extension Expr {
    /// How the analyzer's zone-carrying datetime calls are shown: as the call or cast the user
    /// wrote, without the zone argument.
    static func internalDateTimeName(_ name: String, _ args: [Expr], _ render: (Expr) -> String) -> String? {
        let shown = Array(args.dropLast())
        let noFormat: Bool
        if shown.count > 1, case .literal(.null, _) = shown[1] { noFormat = true } else { noFormat = false }
        func call(_ n: String, _ a: [Expr]) -> String { "\(n)(\(a.map(render).joined(separator: ", ")))" }
        switch name {
        case "__to_timestamp": return noFormat ? "CAST(\(render(shown[0])) AS TIMESTAMP)" : call("to_timestamp", shown)
        case "__to_date": return noFormat ? "CAST(\(render(shown[0])) AS DATE)" : call("to_date", shown)
        case "__date_format": return noFormat ? "CAST(\(render(shown[0])) AS STRING)" : call("date_format", shown)
        case "__unix_timestamp": return call("unix_timestamp", noFormat ? [] : shown)
        case "__from_unixtime": return call("from_unixtime", shown)
        case "__hour", "__minute", "__second": return call(String(name.dropFirst(2)), shown)
        case "__date_trunc": return call("date_trunc", shown)
        case "__ts_add":
            guard args.count == 5, case let .literal(.int(m), _) = args[1], case let .literal(.int(d), _) = args[2],
                  case let .literal(.int(us), _) = args[3] else { return nil }
            let interval = Interval(months: Int32(truncatingIfNeeded: m), days: Int32(truncatingIfNeeded: d), micros: us)
            return "(\(render(args[0])) + \(interval))"
        default: return nil
        }
    }
}
