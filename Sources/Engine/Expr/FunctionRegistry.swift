import Columnar

/// What kind of function a name denotes.
public enum FunctionKind: Hashable, Sendable {
    /// Row by row.
    case scalar
    /// Folds a group into one value.
    case aggregate
    /// Ranking/offset functions that only make sense with OVER.
    case window
    /// Table-generating functions (`explode`): one input row becomes zero or more rows.
    case generator
}

/// The functions the engine knows, by lower-case Spark name.
public enum FunctionRegistry {
    /// Aggregate function names.
    public static let aggregates: Set<String> = [
        "count", "sum", "avg", "mean", "min", "max", "stddev", "stddev_samp", "std", "stddev_pop",
        "variance", "var_samp", "var_pop", "first", "last", "first_value", "last_value",
        "collect_list", "collect_set", "count_distinct", "any_value", "bool_and", "bool_or", "every", "some",
        "corr", "covar_pop", "covar_samp", "skewness", "kurtosis", "percentile", "percentile_approx",
        "approx_percentile", "median", "max_by", "min_by", "mode", "count_if", "approx_count_distinct", "array_agg",
        "any", "bit_and", "bit_or", "bit_xor", "string_agg", "listagg",
    ]
    /// Generator function names (allowed only as a SELECT entry).
    public static let generators: Set<String> = ["explode", "explode_outer", "posexplode", "posexplode_outer"]
    /// Window-only function names.
    public static let windowFunctions: Set<String> = [
        "row_number", "rank", "dense_rank", "lag", "lead", "percent_rank", "cume_dist", "ntile", "nth_value",
    ]
    /// Scalar function names and their accepted argument counts.
    public static let scalars: [String: ClosedRange<Int>] = [
        "substring": 2...3, "substr": 2...3, "upper": 1...1, "lower": 1...1, "ucase": 1...1, "lcase": 1...1,
        "trim": 1...1, "ltrim": 1...1, "rtrim": 1...1, "concat": 0...64, "length": 1...1,
        "char_length": 1...1, "character_length": 1...1, "replace": 2...3, "coalesce": 1...64,
        "nvl": 2...2, "ifnull": 2...2, "if": 3...3, "nullif": 2...2, "abs": 1...1, "round": 1...2,
        "floor": 1...1, "ceil": 1...1, "ceiling": 1...1, "sqrt": 1...1, "exp": 1...1, "ln": 1...1,
        "log10": 1...1, "pow": 2...2, "power": 2...2, "year": 1...1, "month": 1...1, "day": 1...1,
        "dayofmonth": 1...1, "quarter": 1...1, "dayofweek": 1...1, "dayofyear": 1...1,
        "date_add": 2...2, "date_sub": 2...2, "datediff": 2...2, "add_months": 2...2,
        "date_trunc": 2...2, "trunc": 2...2, "to_date": 1...2, "to_timestamp": 1...2,
        "current_date": 0...0, "current_timestamp": 0...0, "last_day": 1...1, "date_part": 2...2,
        "extract": 2...2, "startswith": 2...2, "endswith": 2...2, "contains": 2...2,
        "reverse": 1...1, "nvl2": 3...3, "mod": 2...2, "try_divide": 2...2, "try_mod": 2...2, "date_diff": 2...2, "dateadd": 2...2,
        "typeof": 1...1, "greatest": 1...64, "least": 1...64, "isnull": 1...1, "isnotnull": 1...1, "left": 2...2,
        "get_json_object": 2...2, "__json_paths": 2...255, "schema_of_json": 1...2, "from_json": 2...3, "to_json": 1...2, "from_csv": 2...3, "to_csv": 1...2,
        // Nested types. `__getfield` is `s.f` and `__subscript` is `a[i]` / `m[k]` / `s['f']`.
        "array": 0...255, "struct": 1...255, "named_struct": 2...255, "map": 0...255, "__getfield": 2...2,
        "__subscript": 2...2, "element_at": 2...2, "size": 1...1, "cardinality": 1...1, "array_contains": 2...2,
        "split": 2...3, "sort_array": 1...2, "array_distinct": 1...1, "concat_ws": 1...255, "map_keys": 1...1,
        "map_values": 1...1, "array_join": 2...3, "array_max": 1...1, "array_min": 1...1, "flatten": 1...1, "slice": 3...3,
        "array_position": 2...2, "array_remove": 2...2, "array_repeat": 2...2, "sequence": 2...3, "__concat_arrays": 1...255,
        "array_sort": 1...2, "array_append": 2...2, "array_prepend": 2...2, "array_insert": 3...3, "array_compact": 1...1,
        "array_union": 2...2, "array_intersect": 2...2, "array_except": 2...2, "arrays_overlap": 2...2, "array_size": 1...1,
        "map_from_arrays": 2...2,
        "aggregate": 3...4, "reduce": 3...4, "transform": 2...2, "filter": 2...2, "exists": 2...2, "forall": 2...2, "__lambda": 2...3, "__generator_aliases": 2...255,
        // Datetime functions; the `__` forms carry the session time zone as their last argument.
        "date_format": 2...2, "unix_timestamp": 0...2, "to_unix_timestamp": 1...2, "from_unixtime": 1...2,
        "hour": 1...1, "minute": 1...1, "second": 1...1, "__to_timestamp": 3...3, "__to_date": 3...3,
        "__date_format": 3...3, "__unix_timestamp": 3...3, "__from_unixtime": 3...3, "__hour": 2...2,
        "__minute": 2...2, "__second": 2...2, "__date_trunc": 3...3, "__ts_add": 5...5,
        // Defined by other expressions (the analyzer's `rewriteLibraryAlias`).
        "space": 1...1, "len": 1...1, "now": 0...0, "curdate": 0...0, "current_timezone": 0...0, "equal_null": 2...2,
        "zeroifnull": 1...1, "nullifzero": 1...1, "dayname": 1...1, "monthname": 1...1, "weekday": 1...1,
        "monotonically_increasing_id": 0...0,
    ].merging(Analyzer.castFunctionTypes.mapValues { _ in 1...1 }) { own, _ in own }

    /// Every function name, sorted.
    public static var allNames: [String] {
        Set(aggregates).union(generators).union(windowFunctions).union(scalars.keys)
            .union(ScalarFunctionLibrary.functions.keys).sorted()
    }

    /// The kind of `name`, or nil for an unknown function.
    public static func kind(of name: String) -> FunctionKind? {
        let n = name.lowercased()
        if aggregates.contains(n) { return .aggregate }
        if windowFunctions.contains(n) { return .window }
        if generators.contains(n) { return .generator }
        if scalars[n] != nil || ScalarFunctionLibrary.functions[n] != nil { return .scalar }
        return nil
    }

    /// The accepted argument counts of scalar function `name` (lower case), nil for other kinds.
    public static func arity(of name: String) -> ClosedRange<Int>? {
        scalars[name] ?? ScalarFunctionLibrary.functions[name]?.arity
    }

    /// True for functions that give a new answer at every call or depend on the moment of the
    /// query: they are never folded into constants nor moved across operators.
    public static func isNondeterministic(_ name: String) -> Bool {
        name == "current_date" || name == "current_timestamp"
            || ScalarFunctionLibrary.functions[name]?.nondeterministic == true
    }

    /// Spark's result type of `sum` over `t`.
    public static func sumType(_ t: DataType) -> DataType {
        switch t {
        case .int8, .int16, .int32, .int64: return .int64
        case let .decimal(p, s): return .decimal(precision: min(DataType.decimalPrecisionMax, p + 10), scale: s)
        default: return .float64
        }
    }

    /// Spark's result type of `avg` over `t`.
    public static func avgType(_ t: DataType) -> DataType {
        switch t {
        case let .decimal(p, s): return DecimalRules.bounded(p + 4, s + 4)
        default: return .float64
        }
    }
}
