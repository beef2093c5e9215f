/// A SQL expression as written, with where it starts in the source.
public struct SQLExpr: Equatable, Sendable {
    /// What the expression is.
    public var kind: Kind
    /// Where its first token is, for error messages.
    public var location: SourceLocation

    /// Creates an expression node.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The forms an expression can take.
    public indirect enum Kind: Equatable, Sendable {
        /// A column, possibly qualified: `l_orderkey`, `l.l_orderkey`.
        case column([String])
        /// A literal value.
        case literal(SQLLiteral)
        /// `*` or `t.*` in a select list or inside `count(*)`.
        case star(qualifier: [String])
        /// A prefix operator: `-x`, `+x`, `NOT x`, `~x`.
        case unary(SQLUnaryOperator, SQLExpr)
        /// An infix operator.
        case binary(SQLBinaryOperator, SQLExpr, SQLExpr)
        /// `x IS [NOT] NULL`.
        case isNull(SQLExpr, negated: Bool)
        /// `x IS [NOT] DISTINCT FROM y`.
        case isDistinctFrom(SQLExpr, SQLExpr, negated: Bool)
        /// `x [NOT] BETWEEN low AND high`.
        case between(SQLExpr, low: SQLExpr, high: SQLExpr, negated: Bool)
        /// `x [NOT] LIKE|ILIKE|RLIKE pattern [ESCAPE 'c']`.
        case like(SQLExpr, pattern: SQLExpr, kind: LikeKind, negated: Bool, escape: String?)
        /// `x [NOT] IN (a, b, …)`.
        case inList(SQLExpr, [SQLExpr], negated: Bool)
        /// `x [NOT] IN (SELECT …)`.
        case inSubquery(SQLExpr, SQLQuery, negated: Bool)
        /// `[NOT] EXISTS (SELECT …)`.
        case exists(SQLQuery, negated: Bool)
        /// `(SELECT …)` used as a value.
        case scalarSubquery(SQLQuery)
        /// `CASE [operand] WHEN … THEN … [ELSE …] END`.
        case caseWhen(operand: SQLExpr?, branches: [CaseBranch], otherwise: SQLExpr?)
        /// `CAST(x AS type)`, `TRY_CAST(x AS type)` or `x::type`.
        case cast(SQLExpr, SQLTypeName, isTry: Bool)
        /// A function call, aggregate or window function.
        case function(FunctionCall)
        /// `EXTRACT(field FROM x)`.
        case extract(field: String, SQLExpr)
        /// `SUBSTRING(x FROM a [FOR b])`, also reached by `substring(x, a[, b])`.
        case substring(SQLExpr, from: SQLExpr, length: SQLExpr?)
        /// `TRIM([BOTH|LEADING|TRAILING] [chars] FROM x)`.
        case trim(SQLExpr, side: TrimSide, characters: SQLExpr?)
        /// `POSITION(needle IN haystack)`.
        case position(needle: SQLExpr, haystack: SQLExpr)
        /// `base[index]`: an array element (0-based), a map value, or a struct field by name.
        case element(SQLExpr, SQLExpr)
        /// `base.field` on a value that is not a plain column name.
        case field(SQLExpr, String)
        /// `x -> body` or `(x, i) -> body`, an argument of a higher-order function.
        case lambda(params: [String], body: SQLExpr)
    }
}

/// One `WHEN … THEN …` of a CASE expression.
public struct CaseBranch: Equatable, Sendable {
    /// The condition (or the value compared with the CASE operand).
    public var when: SQLExpr
    /// The result when it holds.
    public var then: SQLExpr

    /// Creates a branch.
    public init(when: SQLExpr, then: SQLExpr) {
        self.when = when
        self.then = then
    }
}

/// Prefix operators.
public enum SQLUnaryOperator: String, Equatable, Sendable {
    case negate = "-"
    case plus = "+"
    case not = "NOT"
    case bitwiseNot = "~"
}

/// Infix operators, spelled as SQL writes them.
public enum SQLBinaryOperator: String, Equatable, Sendable {
    case or = "OR", and = "AND"
    case equal = "=", notEqual = "<>", nullSafeEqual = "<=>"
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", integerDivide = "DIV"
    case concat = "||"
    case bitwiseAnd = "&", bitwiseOr = "|", bitwiseXor = "^"
}

/// Which pattern matcher a LIKE-family predicate uses.
public enum LikeKind: String, Equatable, Sendable {
    case like = "LIKE", ilike = "ILIKE", rlike = "RLIKE"
}

/// The side(s) TRIM removes characters from.
public enum TrimSide: String, Equatable, Sendable {
    case both = "BOTH", leading = "LEADING", trailing = "TRAILING"
}

/// A literal as written; typing follows Spark when the planner lowers it.
public enum SQLLiteral: Equatable, Sendable {
    case null
    case boolean(Bool)
    /// An integer literal's digits; Spark types it int, or bigint / decimal when it does not fit.
    case integer(String)
    /// `L`, `S`, `Y`-suffixed integers: bigint, smallint, tinyint.
    case typedInteger(String, suffix: Character)
    /// A number with a fraction and no exponent: a decimal of the written precision and scale.
    case decimal(String)
    /// A number with an exponent or a `D` suffix.
    case double(String)
    case string(String)
    /// `DATE 'yyyy-mm-dd'`, text as written.
    case date(String)
    /// `TIMESTAMP '…'`, text as written.
    case timestamp(String)
    /// `X'…'`, the hexadecimal digits as written.
    case binary(String)
    /// `INTERVAL …`, already reduced to Spark's calendar interval parts.
    case interval(SQLInterval)
}

/// A calendar interval as Spark keeps it: months, days and microseconds, each signed.
public struct SQLInterval: Equatable, Sendable {
    /// Whole months (years count as 12).
    public var months: Int32
    /// Whole days (weeks count as 7).
    public var days: Int32
    /// Microseconds (hours, minutes, seconds and below).
    public var microseconds: Int64

    /// Creates an interval.
    public init(months: Int32 = 0, days: Int32 = 0, microseconds: Int64 = 0) {
        self.months = months
        self.days = days
        self.microseconds = microseconds
    }
}

/// A type name as written in CAST or a schema: `DECIMAL(15, 2)`, `STRING`, `ARRAY<INT>`.
public struct SQLTypeName: Equatable, Sendable {
    /// The base name, upper-cased: `DECIMAL`, `VARCHAR`, …
    public var name: String
    /// Numeric parameters such as precision and scale.
    public var parameters: [Int]
    /// Element types of ARRAY<…> / MAP<…, …>, field types of STRUCT<…>.
    public var arguments: [SQLTypeName]
    /// The field names of STRUCT<…>, one per argument.
    public var fieldNames: [String]

    /// Creates a type name.
    public init(name: String, parameters: [Int] = [], arguments: [SQLTypeName] = [], fieldNames: [String] = []) {
        self.name = name
        self.parameters = parameters
        self.arguments = arguments
        self.fieldNames = fieldNames
    }
}

/// A call of a named function, possibly an aggregate or window function.
public struct FunctionCall: Equatable, Sendable {
    /// The name, possibly qualified; compared without regard to case.
    public var name: [String]
    /// The arguments; `count(*)` has one `.star` argument.
    public var arguments: [SQLExpr]
    /// `count(DISTINCT x)`.
    public var distinct: Bool
    /// `FILTER (WHERE …)` on an aggregate.
    public var filter: SQLExpr?
    /// `OVER (…)` or `OVER w`; present for window functions.
    public var over: WindowReference?
    /// `IGNORE NULLS` after the call, as for `first_value(x) IGNORE NULLS`.
    public var ignoreNulls: Bool
    /// `WITHIN GROUP (ORDER BY …)` of an ordered-set aggregate (`percentile_cont`, `listagg`).
    public var withinGroup: [OrderItem] = []

    /// Creates a call.
    public init(name: [String], arguments: [SQLExpr], distinct: Bool = false, filter: SQLExpr? = nil,
                over: WindowReference? = nil, ignoreNulls: Bool = false) {
        self.name = name
        self.arguments = arguments
        self.distinct = distinct
        self.filter = filter
        self.over = over
        self.ignoreNulls = ignoreNulls
    }
}

/// The window after OVER: an inline specification or the name of one from the WINDOW clause.
public indirect enum WindowReference: Equatable, Sendable {
    case inline(SQLWindowSpec)
    case named(String, at: SourceLocation)
}

/// `(PARTITION BY … ORDER BY … frame)`, possibly refining a named window.
public struct SQLWindowSpec: Equatable, Sendable {
    /// `(w ORDER BY …)`: the named window this one extends.
    public var base: String?
    public var partitionBy: [SQLExpr]
    public var orderBy: [OrderItem]
    public var frame: SQLWindowFrame?

    /// Creates a specification.
    public init(base: String? = nil, partitionBy: [SQLExpr] = [], orderBy: [OrderItem] = [], frame: SQLWindowFrame? = nil) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `ROWS|RANGE BETWEEN start AND end`.
public struct SQLWindowFrame: Equatable, Sendable {
    /// Whether offsets count rows or ORDER BY values.
    public enum Units: String, Equatable, Sendable { case rows = "ROWS", range = "RANGE" }

    /// One end of a frame.
    public enum Bound: Equatable, Sendable {
        case unboundedPreceding
        case preceding(SQLExpr)
        case currentRow
        case following(SQLExpr)
        case unboundedFollowing
    }

    public var units: Units
    public var start: Bound
    public var end: Bound

    /// Creates a frame.
    public init(units: Units, start: Bound, end: Bound) {
        self.units = units
        self.start = start
        self.end = end
    }
}

/// One ORDER BY key.
public struct OrderItem: Equatable, Sendable {
    public var expr: SQLExpr
    public var ascending: Bool
    /// Explicit NULLS FIRST (true) / LAST (false); nil takes Spark's default (first when ascending).
    public var nullsFirst: Bool?

    /// Creates an order key.
    public init(expr: SQLExpr, ascending: Bool = true, nullsFirst: Bool? = nil) {
        self.expr = expr
        self.ascending = ascending
        self.nullsFirst = nullsFirst
    }
}
