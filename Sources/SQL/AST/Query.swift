/// A query: optional CTEs, a body of SELECTs combined by set operations, then ORDER BY / LIMIT.
public struct SQLQuery: Equatable, Sendable {
    /// `WITH name AS (…), …`, visible to the body and to later CTEs.
    public var with: [SQLCommonTableExpression]
    public var body: SetExpression
    public var orderBy: [OrderItem]
    public var limit: SQLExpr?
    public var offset: SQLExpr?
    /// Where the query starts.
    public var location: SourceLocation

    /// Creates a query.
    public init(with: [SQLCommonTableExpression] = [], body: SetExpression, orderBy: [OrderItem] = [],
                limit: SQLExpr? = nil, offset: SQLExpr? = nil, location: SourceLocation) {
        self.with = with
        self.body = body
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
        self.location = location
    }
}

/// `name [(columns)] AS (query)`.
public struct SQLCommonTableExpression: Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var query: SQLQuery
    public var location: SourceLocation

    /// Creates a CTE.
    public init(name: String, columns: [String], query: SQLQuery, location: SourceLocation) {
        self.name = name
        self.columns = columns
        self.query = query
        self.location = location
    }
}

/// The body of a query: a SELECT, a parenthesized query, VALUES, or a set operation of two bodies.
public indirect enum SetExpression: Equatable, Sendable {
    case select(SelectBlock)
    case query(SQLQuery)
    case values([[SQLExpr]], at: SourceLocation)
    case setOperation(SetOperator, all: Bool, SetExpression, SetExpression)
}

/// UNION, INTERSECT, EXCEPT (MINUS is read as EXCEPT).
public enum SetOperator: String, Equatable, Sendable {
    case union = "UNION", intersect = "INTERSECT", except = "EXCEPT"
}

/// One `SELECT … FROM … WHERE … GROUP BY … HAVING … WINDOW …` block.
public struct SelectBlock: Equatable, Sendable {
    public var distinct: Bool
    public var items: [SelectItem]
    /// The FROM list; several entries are a comma (cross) join.
    public var from: [TableReference]
    public var whereClause: SQLExpr?
    public var groupBy: [SQLExpr]
    /// `GROUP BY ROLLUP / CUBE / GROUPING SETS`: the grouping sets, as indices into `groupBy`
    /// (nil for a plain GROUP BY).
    public var groupingSets: [[Int]]?
    public var having: SQLExpr?
    /// `WINDOW w AS (…)` definitions.
    public var windows: [(name: String, spec: SQLWindowSpec)]
    public var location: SourceLocation

    /// Creates a block.
    public init(distinct: Bool = false, items: [SelectItem], from: [TableReference] = [], whereClause: SQLExpr? = nil,
                groupBy: [SQLExpr] = [], having: SQLExpr? = nil, windows: [(name: String, spec: SQLWindowSpec)] = [],
                location: SourceLocation) {
        self.distinct = distinct
        self.items = items
        self.from = from
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
        self.location = location
    }

    public static func == (a: SelectBlock, b: SelectBlock) -> Bool {
        a.distinct == b.distinct && a.items == b.items && a.from == b.from && a.whereClause == b.whereClause
            && a.groupBy == b.groupBy && a.groupingSets == b.groupingSets && a.having == b.having && a.location == b.location
            && a.windows.map(\.name) == b.windows.map(\.name) && a.windows.map(\.spec) == b.windows.map(\.spec)
    }
}

/// One entry of a select list.
public struct SelectItem: Equatable, Sendable {
    public var expr: SQLExpr
    /// `AS name`, or a bare trailing name.
    public var alias: String?
    /// `AS (a, b)`: the names of a generator's columns.
    public var aliases: [String]

    /// Creates an item.
    public init(expr: SQLExpr, alias: String? = nil, aliases: [String] = []) {
        self.expr = expr
        self.alias = alias
        self.aliases = aliases
    }
}

/// `AS name (c1, c2, …)` after a table reference.
public struct TableAlias: Equatable, Sendable {
    public var name: String
    public var columns: [String]

    /// Creates an alias.
    public init(name: String, columns: [String] = []) {
        self.name = name
        self.columns = columns
    }
}

/// A relation in FROM.
public indirect enum TableReference: Equatable, Sendable {
    /// A table, view or CTE name.
    case named([String], alias: TableAlias?, at: SourceLocation)
    /// Spark's direct file query: ``csv.`path` ``, ``parquet.`path` ``.
    case file(format: String, path: String, alias: TableAlias?, at: SourceLocation)
    /// A table-valued function: `range(10)`.
    case tableFunction(String, arguments: [SQLExpr], alias: TableAlias?, at: SourceLocation)
    /// `(SELECT …) [AS] alias`.
    case subquery(SQLQuery, alias: TableAlias?, at: SourceLocation)
    /// `left [kind] JOIN right [ON … | USING (…)]`.
    case join(TableReference, TableReference, kind: JoinKind, condition: JoinCondition)
    /// `base PIVOT (agg [AS name], … FOR column IN (value [AS name], …)) [alias]`; several columns
    /// take tuples of values.
    case pivot(TableReference, PivotClause, alias: TableAlias?, at: SourceLocation)
    /// `base UNPIVOT [INCLUDE | EXCLUDE NULLS] (value FOR name IN (column [AS label], …)) [alias]`;
    /// several value columns take tuples of columns.
    case unpivot(TableReference, UnpivotClause, alias: TableAlias?, at: SourceLocation)
    /// `base TABLESAMPLE (…) [alias]`.
    case sample(TableReference, TableSample, alias: TableAlias?, at: SourceLocation)
    /// `base LATERAL VIEW [OUTER] generator(args) table [AS] col, …`.
    case lateralView(TableReference, generator: SQLExpr, outer: Bool, table: String, columns: [String], at: SourceLocation)
}

/// What `TABLESAMPLE (…)` keeps.
public enum TableSample: Equatable, Sendable {
    /// `x PERCENT`: each row with probability x / 100.
    case percent(SQLExpr)
    /// `n ROWS`: the first n rows.
    case rows(SQLExpr)
    /// `BUCKET x OUT OF y`: each row with probability x / y.
    case bucket(Int, outOf: Int)
}

/// The inside of a PIVOT clause.
public struct PivotClause: Equatable, Sendable {
    /// The aggregates, each with an optional name.
    public var aggregates: [(expr: SQLExpr, alias: String?)]
    /// The columns whose values become output columns.
    public var columns: [String]
    /// The values (one per column), each with an optional name.
    public var values: [(values: [SQLExpr], alias: String?)]

    public static func == (a: PivotClause, b: PivotClause) -> Bool {
        a.aggregates.map(\.expr) == b.aggregates.map(\.expr) && a.aggregates.map(\.alias) == b.aggregates.map(\.alias)
            && a.columns == b.columns && a.values.map(\.values) == b.values.map(\.values)
            && a.values.map(\.alias) == b.values.map(\.alias)
    }
}

/// The inside of an UNPIVOT clause.
public struct UnpivotClause: Equatable, Sendable {
    /// The value columns made, one per column of each entry.
    public var valueColumns: [String]
    /// The column naming where each row came from.
    public var nameColumn: String
    /// The columns folded, in tuples of `valueColumns.count`, each with an optional label.
    public var entries: [(columns: [String], label: String?)]
    /// INCLUDE NULLS: keep the rows whose values are all null (Spark drops them by default).
    public var includeNulls: Bool

    public static func == (a: UnpivotClause, b: UnpivotClause) -> Bool {
        a.valueColumns == b.valueColumns && a.nameColumn == b.nameColumn && a.includeNulls == b.includeNulls
            && a.entries.map(\.columns) == b.entries.map(\.columns) && a.entries.map(\.label) == b.entries.map(\.label)
    }
}

/// The kinds of join Spark SQL spells.
public enum JoinKind: String, Equatable, Sendable {
    case inner = "INNER", left = "LEFT OUTER", right = "RIGHT OUTER", full = "FULL OUTER", cross = "CROSS"
    case leftSemi = "LEFT SEMI", leftAnti = "LEFT ANTI"
}

/// How a join matches rows.
public enum JoinCondition: Equatable, Sendable {
    case none
    case on(SQLExpr)
    case using([String])
    case natural
}
