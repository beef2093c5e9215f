import Columnar

extension Analyzer {
    /// Casts the arguments of a library function (`ScalarFunctionLibrary`) to its parameter types,
    /// or applies the rewrite some names are defined by (`nvl2`, `mod`, `try_divide`, aliases).
    func coerceLibraryCall(_ name: String, _ args: [Expr]) throws -> Expr? {
        if let rewritten = try rewriteLibraryAlias(name, args) { return rewritten }
        guard let f = ScalarFunctionLibrary.functions[name] else { return nil }
        let cast = args.enumerated().map { i, a -> Expr in
            guard let t = f.parameterType(i), a.dataType != t else { return a }
            return TypeCoercion.cast(a, to: t)
        }
        return .call(name: name, args: f.takesTimeZone ? cast + [.string(timeZone.id)] : cast, distinct: false)
    }

    /// Functions Spark defines as another expression.
    private func rewriteLibraryAlias(_ name: String, _ args: [Expr]) throws -> Expr? {
        func call(_ n: String, _ a: [Expr]) -> Expr { .call(name: n, args: a, distinct: false) }
        switch name {
        case "nvl2":
            // nvl2(a, b, c) is `if(a IS NOT NULL, b, c)`.
            return try coerced(call("if", [.isNull(args[0], negated: true), args[1], args[2]]))
        case "mod":
            return try coerceBinary(.remainder, args[0], args[1])
        case "try_divide":
            return try coerceBinary(.divide, args[0], args[1])
        case "try_add", "try_subtract", "try_multiply", "try_mod":
            // Integer results are checked for overflow by the library function of the same name;
            // others are the plain operator, which already answers null where Spark's try_ does
            // (a zero divisor, a decimal overflow).
            let op: BinaryOperator = name == "try_add" ? .add : name == "try_subtract" ? .subtract : name == "try_multiply" ? .multiply : .remainder
            let plain = try coerceBinary(op, args[0], args[1])
            guard name != "try_mod", args[0].dataType.isInteger || args[0].dataType == .null,
                  args[1].dataType.isInteger || args[1].dataType == .null, plain.dataType.isInteger else { return plain }
            return .call(name: name, args: [TypeCoercion.cast(args[0], to: plain.dataType), TypeCoercion.cast(args[1], to: plain.dataType)],
                         distinct: false)
        case "date_diff":
            return try coerced(call("datediff", args))
        case "dateadd":
            return try coerced(call("date_add", args))
        case "decode" where args.count >= 3:
            // decode(x, s1, r1, …, [default]) is `CASE WHEN x <=> s1 THEN r1 … ELSE default END`.
            let pairs = (args.count - 1) / 2
            let branches = (0..<pairs).map { i in WhenClause(.binary(.nullSafeEqual, args[0], args[1 + 2 * i]), args[2 + 2 * i]) }
            return try coerced(.caseWhen(operand: nil, branches: branches, otherwise: args.count % 2 == 0 ? args.last : nil))
        case _ where Self.castFunctionTypes[name] != nil:
            // Spark's cast functions: int(x) is CAST(x AS INT).
            return try coerced(.cast(args[0], Self.castFunctionTypes[name] ?? .null))
        case "space":
            return try coerced(call("repeat", [.string(" "), args[0]]))
        case "len":
            return try coerced(call("length", args))
        case "now":
            return try coerced(call("current_timestamp", []))
        case "curdate":
            return try coerced(call("current_date", []))
        case "monotonically_increasing_id":
            // Unique and increasing in the order rows arrive: their position, counted by a window
            // over all rows (Spark's ids also jump between partitions; one process has one).
            let position = Expr.window(.call(name: "row_number", args: [], distinct: false), WindowSpec())
            return .cast(try coerceBinary(.subtract, position, .int(1)), .int64)
        case "current_timezone":
            return .string(timeZone.id)
        case "equal_null":
            return try coerceBinary(.nullSafeEqual, args[0], args[1])
        case "zeroifnull":
            return try coerced(call("coalesce", [args[0], .int(0)]))
        case "nullifzero":
            return try coerced(call("nullif", [args[0], .int(0)]))
        case "dayname", "monthname":
            return try coerced(call("date_format", [args[0], .string(name == "dayname" ? "EEE" : "MMM")]))
        case "weekday":
            // Monday is 0, as dayofweek's Sunday-first 1…7 shifted by five days.
            let day = try coerced(call("dayofweek", args))
            return try coerceBinary(.remainder, try coerceBinary(.add, day, .int(5)), .int(7))
        case "typeof":
            // The type is known now: the answer is a constant.
            return .string(args[0].dataType.description)
        default:
            return nil
        }
    }

    private func coerced(_ e: Expr) throws -> Expr { try coerce(e) ?? e }

    /// The types of Spark's cast functions.
    static let castFunctionTypes: [String: DataType] = [
        "int": .int32, "bigint": .int64, "smallint": .int16, "tinyint": .int8, "double": .float64, "float": .float32,
        "string": .string, "boolean": .boolean, "date": .date, "timestamp": .timestamp,
        "decimal": .decimal(precision: 10, scale: 0), "binary": .binary,
    ]
}

extension Analyzer {
    /// The statistical aggregates' argument casts, and the aggregates Spark defines as others
    /// (`count_if`, `median`, `approx_count_distinct`, `array_agg`, `approx_percentile`).
    func coerceLibraryAggregate(_ name: String, _ args: [Expr], _ distinct: Bool) throws -> Expr? {
        func call(_ n: String, _ a: [Expr], distinct d: Bool = distinct) throws -> Expr {
            let e = Expr.call(name: n, args: a, distinct: d)
            return try coerce(e) ?? e
        }
        func numeric(_ e: Expr) throws -> Expr {
            if e.dataType == .string || e.dataType == .null { return .cast(e, .float64) }
            guard e.dataType.isNumeric else {
                throw EngineError.analysis("`\(name)` needs a numeric argument, not \(e.dataType)", position: nil)
            }
            return e
        }
        func arity(_ range: ClosedRange<Int>) throws {
            guard range.contains(args.count) else {
                throw EngineError.analysis("function `\(name)` takes \(range.lowerBound)…\(range.upperBound) arguments, not \(args.count)",
                                           position: nil)
            }
        }
        switch name {
        case "count_if":
            try arity(1...1)
            return try call("count", [.call(name: "if", args: [try boolean(args[0]), .int(1), .literal(.null, .int32)], distinct: false)])
        case "approx_count_distinct":
            try arity(1...2)
            return try call("count", [args[0]], distinct: true)
        case "array_agg":
            try arity(1...1)
            return try call("collect_list", args)
        case "string_agg", "listagg":
            // The group's non-null values joined by the delimiter (none by default); null when the
            // group has none, which an empty list tells apart from a list of empty strings.
            try arity(1...2)
            guard args.count == 1 || !args[1].isUnfoldable else {
                throw EngineError.analysis("the delimiter of `\(name)` must be a constant", position: nil)
            }
            let values = try call("collect_list", [args[0].dataType == .binary ? args[0] : TypeCoercion.cast(args[0], to: .string)])
            let joined = try coerced(.call(name: "array_join", args: [values, args.count > 1 ? args[1] : .string("")], distinct: false))
            let empty = try coerceBinary(.equal, try coerced(.call(name: "size", args: [values], distinct: false)), .int(0))
            return try coerced(.call(name: "if", args: [empty, .literal(.null, .string), joined], distinct: false))
        case "any":
            try arity(1...1)
            return try call("bool_or", args)
        case "bit_and", "bit_or", "bit_xor":
            try arity(1...1)
            guard args[0].dataType.isInteger || args[0].dataType == .null else {
                throw EngineError.analysis("`\(name)` needs an integer argument, not \(args[0].dataType)", position: nil)
            }
            return args[0].dataType == .null ? .call(name: name, args: [.cast(args[0], .int32)], distinct: distinct) : nil
        case "median":
            try arity(1...1)
            return try call("percentile", [args[0], .literal(.double(0.5), .float64)])
        case "approx_percentile":
            return try call("percentile_approx", args)
        case "percentile", "percentile_approx":
            try arity(name == "percentile" ? 2...2 : 2...3)
            // percentile_approx's accuracy is accepted and not needed: the answer is exact.
            guard !args[1].isUnfoldable else {
                throw EngineError.analysis("the percentage of `\(name)` must be a constant", position: nil)
            }
            let value = name == "percentile" ? TypeCoercion.cast(try numeric(args[0]), to: .float64) : try numeric(args[0])
            return .call(name: name, args: [value, args[1]], distinct: false)
        case "corr", "covar_pop", "covar_samp":
            try arity(2...2)
            return .call(name: name, args: [TypeCoercion.cast(try numeric(args[0]), to: .float64),
                                            TypeCoercion.cast(try numeric(args[1]), to: .float64)], distinct: false)
        case "skewness", "kurtosis":
            try arity(1...1)
            return .call(name: name, args: [TypeCoercion.cast(try numeric(args[0]), to: .float64)], distinct: false)
        case "max_by", "min_by":
            try arity(2...2)
            return nil
        case "mode":
            // mode(x, deterministic): the answer here is always the deterministic one (the smallest
            // of equally frequent values).
            try arity(1...2)
            return .call(name: name, args: [args[0]], distinct: false)
        default:
            return nil
        }
    }
}
