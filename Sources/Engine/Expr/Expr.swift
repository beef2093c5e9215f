import Columnar

/// Binary operators, with Spark's SQL spelling as raw value.
public enum BinaryOperator: String, Hashable, Sendable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    /// `%` / `mod`.
    case remainder = "%"
    /// `div`: integral division.
    case integerDivide = "div"
    case equal = "="
    case notEqual = "<>"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// `<=>`: equality where NULL <=> NULL is true.
    case nullSafeEqual = "<=>"
    case and = "AND"
    case or = "OR"
    /// `||`: string concatenation.
    case concat = "||"

    /// True for `=`, `<>`, `<`, `<=`, `>`, `>=`, `<=>`.
    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .nullSafeEqual: return true
        default: return false
        }
    }

    /// True for `+ - * / % div`.
    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .remainder, .integerDivide: return true
        default: return false
        }
    }
}

/// Unary operators.
public enum UnaryOperator: String, Hashable, Sendable {
    /// Arithmetic negation `-x`.
    case negate = "-"
    /// Boolean `NOT x`.
    case not = "NOT"
}

/// A calendar interval literal (`INTERVAL '3' MONTH`, `INTERVAL 90 DAYS`).
public struct Interval: Hashable, Sendable, CustomStringConvertible {
    /// Whole months.
    public var months: Int32
    /// Whole days.
    public var days: Int32
    /// Microseconds.
    public var micros: Int64

    /// Creates an interval.
    public init(months: Int32 = 0, days: Int32 = 0, micros: Int64 = 0) {
        self.months = months
        self.days = days
        self.micros = micros
    }

    /// `INTERVAL '3 months 2 days'`-like text.
    public var description: String {
        var parts: [String] = []
        if months != 0 { parts.append("\(months) months") }
        if days != 0 { parts.append("\(days) days") }
        if micros != 0 || parts.isEmpty { parts.append("\(micros) microseconds") }
        return "INTERVAL '" + parts.joined(separator: " ") + "'"
    }
}

/// One `WHEN condition THEN value` arm of a CASE expression.
public struct WhenClause: Hashable, Sendable {
    /// The condition (or, for `CASE x WHEN v`, the value compared with the operand).
    public var condition: Expr
    /// The result when the condition holds.
    public var result: Expr

    /// Creates an arm.
    public init(_ condition: Expr, _ result: Expr) {
        self.condition = condition
        self.result = result
    }
}

/// An ordering key: `expr ASC NULLS FIRST`.
public struct SortOrder: Hashable, Sendable, CustomStringConvertible {
    /// The key.
    public var expr: Expr
    /// Ascending (the default).
    public var ascending: Bool
    /// Where nulls go; Spark's default is first for ascending, last for descending.
    public var nullsFirst: Bool

    /// Creates an ordering key with Spark's default null placement unless given.
    public init(_ expr: Expr, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expr = expr
        self.ascending = ascending
        self.nullsFirst = nullsFirst ?? ascending
    }

    /// `expr ASC NULLS FIRST`.
    public var description: String {
        "\(expr) \(ascending ? "ASC" : "DESC") NULLS \(nullsFirst ? "FIRST" : "LAST")"
    }
}

/// One end of a window frame.
public enum FrameBound: Hashable, Sendable {
    case unboundedPreceding
    /// `n PRECEDING`.
    case preceding(Int)
    case currentRow
    /// `n FOLLOWING`.
    case following(Int)
    case unboundedFollowing
}

/// `ROWS` / `RANGE BETWEEN start AND end`.
public struct WindowFrame: Hashable, Sendable {
    /// Whether bounds count rows (`ROWS`) or order-key values (`RANGE`).
    public enum Kind: String, Hashable, Sendable { case rows = "ROWS", range = "RANGE" }
    /// ROWS or RANGE.
    public var kind: Kind
    /// The first row of the frame.
    public var start: FrameBound
    /// The last row of the frame.
    public var end: FrameBound

    /// Creates a frame.
    public init(_ kind: Kind, start: FrameBound, end: FrameBound) {
        self.kind = kind
        self.start = start
        self.end = end
    }
}

/// `OVER (PARTITION BY … ORDER BY … frame)`.
public struct WindowSpec: Hashable, Sendable {
    /// Partition keys.
    public var partitionBy: [Expr]
    /// Order within a partition.
    public var orderBy: [SortOrder]
    /// The frame; nil means Spark's default (RANGE UNBOUNDED PRECEDING to CURRENT ROW when
    /// ordered, the whole partition otherwise).
    public var frame: WindowFrame?

    /// Creates a window specification.
    public init(partitionBy: [Expr] = [], orderBy: [SortOrder] = [], frame: WindowFrame? = nil) {
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// An expression of Spark SQL / the DataFrame API.
///
/// Front ends (SQL parser, DataFrame `Column`) build trees with unresolved names
/// (`.column`, `.star`, `.call` by name); the analyzer replaces names with `.attribute`s,
/// checks function names and inserts casts following Spark's coercion rules. Functions and
/// aggregates are called by their Spark name (`substring`, `sum`, `count`, `row_number`…).
public indirect enum Expr: Hashable, Sendable {
    /// An unresolved column name.
    case column(ColumnName)
    /// A resolved column.
    case attribute(Attribute)
    /// A column of an enclosing query, referenced from inside a correlated subquery
    /// (set by the analyzer; the decorrelation rules turn it into a join condition).
    case outerReference(Attribute)
    /// A typed constant.
    case literal(Scalar, DataType)
    /// An interval constant; only valid as an operand of date/timestamp `+` / `-`.
    case interval(Interval)
    /// `*` or `t.*` in a select list.
    case star(qualifier: [String])
    /// `expr AS name`. The analyzer gives every alias the id of the attribute it defines;
    /// front ends leave `id` nil.
    case alias(Expr, name: String, id: AttributeID? = nil)
    /// A unary operator.
    case unary(UnaryOperator, Expr)
    /// A binary operator.
    case binary(BinaryOperator, Expr, Expr)
    /// `expr IS [NOT] NULL`.
    case isNull(Expr, negated: Bool)
    /// A function or aggregate by Spark name; `distinct` for `count(DISTINCT x)`.
    case call(name: String, args: [Expr], distinct: Bool)
    /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
    case caseWhen(operand: Expr?, branches: [WhenClause], otherwise: Expr?)
    /// `CAST(expr AS type)`.
    case cast(Expr, DataType)
    /// `expr [NOT] IN (v1, v2, …)`.
    case inList(Expr, [Expr], negated: Bool)
    /// `expr [NOT] BETWEEN low AND high`.
    case between(Expr, low: Expr, high: Expr, negated: Bool)
    /// `expr [NOT] LIKE pattern` (`ILIKE` when `caseInsensitive`).
    case like(Expr, pattern: Expr, negated: Bool, caseInsensitive: Bool)
    /// `[NOT] EXISTS (subquery)`.
    case exists(LogicalPlan, negated: Bool)
    /// `expr [NOT] IN (subquery)`.
    case inSubquery(Expr, LogicalPlan, negated: Bool)
    /// `(subquery)` returning one value.
    case scalarSubquery(LogicalPlan)
    /// `function OVER (window)`.
    case window(Expr, WindowSpec)

    /// A column by (possibly dotted) name.
    public static func col(_ name: String) -> Expr { .column(ColumnName(name.split(separator: ".").map(String.init))) }
    /// An integer literal (`int`).
    public static func int(_ v: Int32) -> Expr { .literal(.int(Int64(v)), .int32) }
    /// A `bigint` literal.
    public static func bigint(_ v: Int64) -> Expr { .literal(.int(v), .int64) }
    /// A `double` literal.
    public static func double(_ v: Double) -> Expr { .literal(.double(v), .float64) }
    /// A string literal.
    public static func string(_ v: String) -> Expr { .literal(.string(v), .string) }
    /// A boolean literal.
    public static func bool(_ v: Bool) -> Expr { .literal(.boolean(v), .boolean) }
    /// The NULL literal.
    public static var null: Expr { .literal(.null, .null) }
    /// A decimal literal from text such as `0.06`, typed decimal(digits, scale) as Spark types it.
    public static func decimal(_ text: String) -> Expr? {
        guard let d = DecimalValue(parsing: text) else { return nil }
        let p = max(DecimalParsing.digitCount(d.unscaled), d.scale)
        guard p <= DataType.decimalPrecisionMax else { return nil }
        return .literal(.decimal(d), .decimal(precision: max(p, 1), scale: d.scale))
    }
    /// A date literal from `yyyy-MM-dd`.
    public static func date(_ text: String) -> Expr? {
        let bytes = Array(text.utf8)
        guard let d = bytes.withUnsafeBufferPointer({ DateTimeUtil.parseDate($0) }) else { return nil }
        return .literal(.date(d), .date)
    }
}
