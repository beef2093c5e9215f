import Columnar

/// A read of a table source: which source, which of its columns (as attributes), and which
/// predicates were pushed into it.
public struct ScanRelation: Hashable, Sendable {
    /// The source.
    public var table: TableRef
    /// The attributes read; `columns[i]` is the source column index of `output[i]`.
    public var output: [Attribute]
    /// Source column index of each output attribute.
    public var columns: [Int]
    /// Predicates pushed down by the optimizer, over the source's columns: those of `output`, and
    /// columns read only by `exactFilters`, which the scan reads without outputting them.
    public var filters: [Expr]
    /// The members of `filters` the source applies exactly (`TableProvider.appliesExactly`), for which
    /// no Filter is kept above the scan.
    public var exactFilters: [Expr]

    /// Creates a scan of all columns of `table` with fresh attributes.
    public init(table: any TableProvider, qualifier: [String] = []) {
        self.table = TableRef(table)
        output = table.schema.fields.map {
            Attribute(name: $0.name, type: $0.type, nullable: $0.nullable, qualifier: qualifier)
        }
        columns = Array(table.schema.fields.indices)
        filters = []
        exactFilters = []
    }

    /// Creates a scan from its parts.
    public init(table: TableRef, output: [Attribute], columns: [Int], filters: [Expr], exactFilters: [Expr] = []) {
        self.table = table
        self.output = output
        self.columns = columns
        self.filters = filters
        self.exactFilters = exactFilters
    }
}

/// Batches held in memory (`createDataFrame`, cached data, `VALUES`).
public final class LocalData: @unchecked Sendable, Hashable {
    /// The batches; never mutated after creation.
    public let batches: [RecordBatch]

    /// Wraps batches.
    public init(_ batches: [RecordBatch]) { self.batches = batches }

    /// Identity equality.
    public static func == (a: LocalData, b: LocalData) -> Bool { a === b }
    /// Identity hashing.
    public func hash(into h: inout Hasher) { h.combine(ObjectIdentifier(self)) }
}

/// A named subquery in `WITH name AS (…)`.
public struct CommonTableExpression: Hashable, Sendable {
    /// The name the body may refer to.
    public var name: String
    /// The definition.
    public var plan: LogicalPlan

    /// Creates a CTE definition.
    public init(name: String, plan: LogicalPlan) {
        self.name = name
        self.plan = plan
    }
}

/// A logical query plan, as Spark's Catalyst models it.
///
/// Front ends build plans with unresolved parts (`.unresolvedRelation`, `.column` names,
/// `.star`); `Analyzer` resolves them against the session catalog. Every resolved node has an
/// `output` list of attributes.
public indirect enum LogicalPlan: Hashable, Sendable {
    /// A table or view by (possibly dotted) name, resolved through the catalog.
    case unresolvedRelation([String])
    /// A read of a table source.
    case scan(ScanRelation)
    /// Rows held in memory.
    case localRelation(output: [Attribute], data: LocalData)
    /// `SELECT exprs` (named expressions: attributes or aliases).
    case project([Expr], LogicalPlan)
    /// `WHERE` / `HAVING` condition.
    case filter(Expr, LogicalPlan)
    /// `GROUP BY groupBy` producing `aggregates` (named expressions over grouping keys and
    /// aggregate calls). An empty `groupBy` makes one global group.
    case aggregate(groupBy: [Expr], aggregates: [Expr], LogicalPlan)
    /// A join with an optional condition.
    case join(LogicalPlan, LogicalPlan, JoinType, condition: Expr?)
    /// `ORDER BY`.
    case sort([SortOrder], LogicalPlan)
    /// `LIMIT n` (and `OFFSET`, when `offset > 0`).
    case limit(Int, offset: Int, LogicalPlan)
    /// `UNION ALL` of children with compatible schemas (`UNION` is `.distinct` over this).
    case union([LogicalPlan])
    /// `INTERSECT [ALL]`.
    case intersect(LogicalPlan, LogicalPlan, all: Bool)
    /// `EXCEPT [ALL]`.
    case except(LogicalPlan, LogicalPlan, all: Bool)
    /// `SELECT DISTINCT`.
    case distinct(LogicalPlan)
    /// A generator (`explode(x)`, `posexplode(x)` …, a resolved call) turning each child row into
    /// zero or more rows: the child's columns followed by `generatorOutput`. `outer` keeps rows
    /// whose array or map is null or empty, with nulls in the generated columns.
    case generate(Expr, outer: Bool, generatorOutput: [Attribute], LogicalPlan)
    /// Window functions (aliased `.window` expressions) appended to the child's columns.
    case window([Expr], LogicalPlan)
    /// `(…) AS alias` / `table AS alias`: re-qualifies the child's output.
    case subqueryAlias(String, LogicalPlan)
    /// `WITH ctes body`.
    case with([CommonTableExpression], LogicalPlan)
}
