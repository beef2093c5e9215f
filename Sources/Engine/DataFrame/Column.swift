import Columnar

/// An expression in the DataFrame API (Spark's `Column`): `col("a") + 1`, `F.sum(col("x"))`.
public struct Column: Sendable, CustomStringConvertible {
    /// The expression tree.
    public var expr: Expr

    /// Wraps an expression.
    public init(_ expr: Expr) { self.expr = expr }

    /// `name AS alias`.
    public func alias(_ name: String) -> Column { Column(.alias(expr, name: name)) }
    /// Same as `alias`.
    public func `as`(_ name: String) -> Column { alias(name) }
    /// `CAST(self AS type)`.
    public func cast(_ type: DataType) -> Column { Column(.cast(expr, type)) }
    /// Ascending sort key.
    public func asc() -> Column { Column(.call(name: "__asc", args: [expr], distinct: false)) }
    /// Descending sort key.
    public func desc() -> Column { Column(.call(name: "__desc", args: [expr], distinct: false)) }
    /// `self IS NULL`.
    public func isNull() -> Column { Column(.isNull(expr, negated: false)) }
    /// `self IS NOT NULL`.
    public func isNotNull() -> Column { Column(.isNull(expr, negated: true)) }
    /// `self IN (values)`.
    public func isin(_ values: Column...) -> Column { Column(.inList(expr, values.map(\.expr), negated: false)) }
    /// `self BETWEEN lo AND hi`.
    public func between(_ lo: Column, _ hi: Column) -> Column {
        Column(.between(expr, low: lo.expr, high: hi.expr, negated: false))
    }
    /// `self LIKE pattern`.
    public func like(_ pattern: String) -> Column {
        Column(.like(expr, pattern: .string(pattern), negated: false, caseInsensitive: false))
    }
    /// Equality (Spark's `===`).
    public func eq(_ other: Column) -> Column { Column(.binary(.equal, expr, other.expr)) }
    /// `self <=> other`.
    public func eqNullSafe(_ other: Column) -> Column { Column(.binary(.nullSafeEqual, expr, other.expr)) }
    /// `substring(self, pos, len)` (1-based).
    public func substr(_ pos: Int, _ len: Int) -> Column {
        Column(.call(name: "substring", args: [expr, .int(Int32(pos)), .int(Int32(len))], distinct: false))
    }
    /// `self[key]`: an array element (0-based), a map value or a struct field.
    public subscript(key: Column) -> Column { Column(.call(name: "__subscript", args: [expr, key.expr], distinct: false)) }
    /// `self.name` on a struct column.
    public func getField(_ name: String) -> Column { Column(.call(name: "__getfield", args: [expr, .string(name)], distinct: false)) }
    /// `function OVER window`.
    public func over(_ window: WindowSpec) -> Column { Column(.window(expr, window)) }

    /// The expression text.
    public var description: String { expr.prettyName }

    /// The sort order this column denotes in `orderBy` (ascending unless `desc()` was used).
    var sortOrder: SortOrder {
        if case let .call("__desc", args, _) = expr { return SortOrder(args[0], ascending: false) }
        if case let .call("__asc", args, _) = expr { return SortOrder(args[0], ascending: true) }
        return SortOrder(expr)
    }
}

/// A column by name (`col("l_orderkey")`, `col("l.l_orderkey")`).
public func col(_ name: String) -> Column { Column(.col(name)) }

/// A literal column.
public func lit(_ value: Int) -> Column {
    if let v = Int32(exactly: value) { return Column(.int(v)) }
    return Column(.bigint(Int64(value)))
}
/// A literal double column.
public func lit(_ value: Double) -> Column { Column(.double(value)) }
/// A literal string column.
public func lit(_ value: String) -> Column { Column(.string(value)) }
/// A literal boolean column.
public func lit(_ value: Bool) -> Column { Column(.bool(value)) }

extension Column: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    /// A string literal is a column name, as in PySpark's `df.select("a")`.
    public init(stringLiteral value: String) { self = col(value) }
    /// An integer literal is a constant.
    public init(integerLiteral value: Int) { self = lit(value) }
    /// A float literal is a double constant.
    public init(floatLiteral value: Double) { self = lit(value) }
}

/// `a + b`.
public func + (a: Column, b: Column) -> Column { Column(.binary(.add, a.expr, b.expr)) }
/// `a - b`.
public func - (a: Column, b: Column) -> Column { Column(.binary(.subtract, a.expr, b.expr)) }
/// `a * b`.
public func * (a: Column, b: Column) -> Column { Column(.binary(.multiply, a.expr, b.expr)) }
/// `a / b`.
public func / (a: Column, b: Column) -> Column { Column(.binary(.divide, a.expr, b.expr)) }
/// `a % b`.
public func % (a: Column, b: Column) -> Column { Column(.binary(.remainder, a.expr, b.expr)) }
/// `-a`.
public prefix func - (a: Column) -> Column { Column(.unary(.negate, a.expr)) }
/// `NOT a`.
public prefix func ! (a: Column) -> Column { Column(.unary(.not, a.expr)) }
/// `a = b` (a Column, not a Bool).
public func == (a: Column, b: Column) -> Column { Column(.binary(.equal, a.expr, b.expr)) }
/// `a <> b`.
public func != (a: Column, b: Column) -> Column { Column(.binary(.notEqual, a.expr, b.expr)) }
/// `a < b`.
public func < (a: Column, b: Column) -> Column { Column(.binary(.less, a.expr, b.expr)) }
/// `a <= b`.
public func <= (a: Column, b: Column) -> Column { Column(.binary(.lessOrEqual, a.expr, b.expr)) }
/// `a > b`.
public func > (a: Column, b: Column) -> Column { Column(.binary(.greater, a.expr, b.expr)) }
/// `a >= b`.
public func >= (a: Column, b: Column) -> Column { Column(.binary(.greaterOrEqual, a.expr, b.expr)) }
/// `a AND b`.
public func && (a: Column, b: Column) -> Column { Column(.binary(.and, a.expr, b.expr)) }
/// `a OR b`.
public func || (a: Column, b: Column) -> Column { Column(.binary(.or, a.expr, b.expr)) }

/// Spark's `functions` object: `F.sum(col("x"))`, `F.count("*")`.
public enum F {
    private static func call(_ name: String, _ args: [Column], distinct: Bool = false) -> Column {
        Column(.call(name: name, args: args.map(\.expr), distinct: distinct))
    }
    /// `count(c)`; `count("*")` counts rows.
    public static func count(_ c: Column) -> Column {
        if case .column(let n) = c.expr, n.parts == ["*"] { return call("count", [lit(1)]) }
        return call("count", [c])
    }
    /// `count(DISTINCT c…)`.
    public static func countDistinct(_ c: Column...) -> Column { call("count", c, distinct: true) }
    /// `sum(c)`.
    public static func sum(_ c: Column) -> Column { call("sum", [c]) }
    /// `avg(c)`.
    public static func avg(_ c: Column) -> Column { call("avg", [c]) }
    /// `min(c)`.
    public static func min(_ c: Column) -> Column { call("min", [c]) }
    /// `max(c)`.
    public static func max(_ c: Column) -> Column { call("max", [c]) }
    /// `stddev(c)` (sample).
    public static func stddev(_ c: Column) -> Column { call("stddev", [c]) }
    /// `variance(c)` (sample).
    public static func variance(_ c: Column) -> Column { call("variance", [c]) }
    /// `first(c)`.
    public static func first(_ c: Column) -> Column { call("first", [c]) }
    /// `last(c)`.
    public static func last(_ c: Column) -> Column { call("last", [c]) }
    /// `row_number()`.
    public static func rowNumber() -> Column { call("row_number", []) }
    /// `monotonically_increasing_id()`: unique ids, increasing in the order rows arrive.
    public static func monotonicallyIncreasingId() -> Column { call("monotonically_increasing_id", []) }
    /// `rank()`.
    public static func rank() -> Column { call("rank", []) }
    /// `dense_rank()`.
    public static func denseRank() -> Column { call("dense_rank", []) }
    /// `lag(c, offset)`.
    public static func lag(_ c: Column, _ offset: Int = 1) -> Column { call("lag", [c, lit(offset)]) }
    /// `lead(c, offset)`.
    public static func lead(_ c: Column, _ offset: Int = 1) -> Column { call("lead", [c, lit(offset)]) }
    /// `coalesce(c…)`.
    public static func coalesce(_ c: Column...) -> Column { call("coalesce", c) }
    /// `upper(c)`.
    public static func upper(_ c: Column) -> Column { call("upper", [c]) }
    /// `lower(c)`.
    public static func lower(_ c: Column) -> Column { call("lower", [c]) }
    /// `length(c)`.
    public static func length(_ c: Column) -> Column { call("length", [c]) }
    /// `year(c)`.
    public static func year(_ c: Column) -> Column { call("year", [c]) }
    /// `substring(c, pos, len)`.
    public static func substring(_ c: Column, _ pos: Int, _ len: Int) -> Column { c.substr(pos, len) }
    /// `when(cond, value)` — extend with `otherwise` via `Column.caseWhen`.
    public static func when(_ cond: Column, _ value: Column, otherwise: Column? = nil) -> Column {
        Column(.caseWhen(operand: nil, branches: [WhenClause(cond.expr, value.expr)], otherwise: otherwise?.expr))
    }
    /// `array(c…)`.
    public static func array(_ c: Column...) -> Column { call("array", c) }
    /// `struct(c…)` (fields named after the columns).
    public static func structOf(_ c: Column...) -> Column { call("struct", c) }
    /// `map(k1, v1, …)`.
    public static func map(_ c: Column...) -> Column { call("map", c) }
    /// `explode(c)`: one row per element (map entry).
    public static func explode(_ c: Column) -> Column { call("explode", [c]) }
    /// `posexplode(c)`.
    public static func posexplode(_ c: Column) -> Column { call("posexplode", [c]) }
    /// `split(str, regex)`.
    public static func split(_ c: Column, _ pattern: Column) -> Column { call("split", [c, pattern]) }
    /// `size(c)`.
    public static func size(_ c: Column) -> Column { call("size", [c]) }
    /// `array_contains(c, v)`.
    public static func arrayContains(_ c: Column, _ v: Column) -> Column { call("array_contains", [c, v]) }
    /// `element_at(c, i)` (1-based for arrays).
    public static func elementAt(_ c: Column, _ i: Column) -> Column { call("element_at", [c, i]) }
    /// `collect_list(c)`.
    public static func collectList(_ c: Column) -> Column { call("collect_list", [c]) }
    /// `collect_set(c)`.
    public static func collectSet(_ c: Column) -> Column { call("collect_set", [c]) }
    /// `sort_array(c, asc)`.
    public static func sortArray(_ c: Column, asc: Bool = true) -> Column { call("sort_array", [c, lit(asc)]) }
    /// Any function by Spark name.
    public static func expr(_ name: String, _ args: Column...) -> Column { call(name, args) }
}

/// Builds a window specification (`Window.partitionBy("a").orderBy("b")`).
public enum Window {
    /// A spec partitioned by columns.
    public static func partitionBy(_ cols: Column...) -> WindowSpec { WindowSpec(partitionBy: cols.map(\.expr)) }
    /// A spec ordered by columns.
    public static func orderBy(_ cols: Column...) -> WindowSpec { WindowSpec(orderBy: cols.map(\.sortOrder)) }
}

extension WindowSpec {
    /// Adds ordering.
    public func orderBy(_ cols: Column...) -> WindowSpec {
        var s = self
        s.orderBy += cols.map(\.sortOrder)
        return s
    }
    /// Sets a ROWS frame.
    public func rowsBetween(_ start: FrameBound, _ end: FrameBound) -> WindowSpec {
        var s = self
        s.frame = WindowFrame(.rows, start: start, end: end)
        return s
    }
}
