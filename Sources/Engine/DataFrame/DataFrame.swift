import Columnar

/// A lazily evaluated query over a session (Spark's Dataset[Row]).
///
/// Each transformation returns a new DataFrame whose plan is analyzed at once, so unknown
/// columns and type errors are reported where they are written; actions (`collect`, `count`,
/// `show`) optimize, plan and run the query on the session's workers.
public struct DataFrame: @unchecked Sendable {
    /// The session that runs the query.
    public let session: Session
    /// The analyzed logical plan.
    public let plan: LogicalPlan

    /// Analyzes `plan` for `session`.
    public init(session: Session, plan: LogicalPlan) throws {
        self.session = session
        self.plan = try session.analyze(plan)
    }

    /// The result schema.
    public var schema: Schema { plan.schema }
    /// The result column names.
    public var columns: [String] { plan.output.map(\.name) }

    private func derive(_ p: LogicalPlan) throws -> DataFrame { try DataFrame(session: session, plan: p) }

    // MARK: Transformations

    /// `SELECT cols`.
    public func select(_ cols: Column...) throws -> DataFrame { try select(cols) }
    /// `SELECT cols`.
    public func select(_ cols: [Column]) throws -> DataFrame { try derive(.project(cols.map(\.expr), plan)) }
    /// `WHERE condition`.
    public func filter(_ condition: Column) throws -> DataFrame { try derive(.filter(condition.expr, plan)) }
    /// Same as `filter`.
    public func `where`(_ condition: Column) throws -> DataFrame { try filter(condition) }

    /// Adds or replaces a column.
    public func withColumn(_ name: String, _ value: Column) throws -> DataFrame {
        var list: [Expr] = []
        var replaced = false
        for a in plan.output {
            if a.name.lowercased() == name.lowercased() {
                list.append(.alias(value.expr, name: name))
                replaced = true
            } else {
                list.append(.attribute(a))
            }
        }
        if !replaced { list.append(.alias(value.expr, name: name)) }
        return try derive(.project(list, plan))
    }

    /// Renames a column (no-op if it does not exist, as in Spark).
    public func withColumnRenamed(_ existing: String, _ new: String) throws -> DataFrame {
        let list: [Expr] = plan.output.map { a in
            a.name.lowercased() == existing.lowercased() ? .alias(.attribute(a), name: new) : .attribute(a)
        }
        return try derive(.project(list, plan))
    }

    /// Drops columns by name (unknown names are ignored, as in Spark).
    public func drop(_ names: String...) throws -> DataFrame {
        let lower = Set(names.map { $0.lowercased() })
        return try derive(.project(plan.output.filter { !lower.contains($0.name.lowercased()) }.map { .attribute($0) }, plan))
    }

    /// Starts a grouped aggregation.
    public func groupBy(_ cols: Column...) -> GroupedData { GroupedData(frame: self, keys: cols.map(\.expr)) }

    /// Aggregates over the whole frame (`df.agg(F.sum(col("x")))`).
    public func agg(_ aggs: Column...) throws -> DataFrame {
        try derive(.aggregate(groupBy: [], aggregates: aggs.map(\.expr), plan))
    }

    /// Joins with `other` on a condition; `how` takes Spark's names (`inner`, `left`, `semi`…).
    public func join(_ other: DataFrame, on condition: Column? = nil, how: String = "inner") throws -> DataFrame {
        guard let type = JoinType(sparkName: how) else {
            throw EngineError.analysis("unsupported join type '\(how)'", position: nil)
        }
        return try derive(.join(plan, other.plan, condition == nil && type == .inner ? .cross : type,
                                condition: condition?.expr))
    }

    /// Joins on equally named columns, keeping one copy of each (`df.join(other, ["id"])`).
    public func join(_ other: DataFrame, usingColumns names: [String], how: String = "inner") throws -> DataFrame {
        guard let type = JoinType(sparkName: how) else {
            throw EngineError.analysis("unsupported join type '\(how)'", position: nil)
        }
        var conds: [Expr] = []
        var leftKeys: [Attribute] = []
        var rightKeys = Set<AttributeID>()
        for n in names {
            guard let l = plan.output.first(where: { $0.name.lowercased() == n.lowercased() }),
                  let r = other.plan.output.first(where: { $0.name.lowercased() == n.lowercased() })
            else { throw EngineError.analysis("USING column `\(n)` is not on both sides of the join", position: nil) }
            conds.append(.binary(.equal, .attribute(l), .attribute(r)))
            leftKeys.append(l)
            rightKeys.insert(r.id)
        }
        let joined: LogicalPlan = .join(plan, other.plan, type, condition: Expr.conjunction(conds))
        if type.outputsLeftOnly { return try derive(joined) }
        let rest = joined.output.filter { !rightKeys.contains($0.id) && !leftKeys.contains($0) }
        return try derive(.project(leftKeys.map { .attribute($0) } + rest.map { .attribute($0) }, joined))
    }

    /// Cartesian product.
    public func crossJoin(_ other: DataFrame) throws -> DataFrame { try derive(.join(plan, other.plan, .cross, condition: nil)) }

    /// `ORDER BY cols` (use `col("x").desc()` for descending).
    public func orderBy(_ cols: Column...) throws -> DataFrame { try derive(.sort(cols.map(\.sortOrder), plan)) }
    /// Same as `orderBy`.
    public func sort(_ cols: Column...) throws -> DataFrame { try derive(.sort(cols.map(\.sortOrder), plan)) }
    /// `LIMIT n`.
    public func limit(_ n: Int) throws -> DataFrame { try derive(.limit(n, offset: 0, plan)) }
    /// `SELECT DISTINCT *`.
    public func distinct() throws -> DataFrame { try derive(.distinct(plan)) }
    /// `UNION ALL` by position (Spark's `union`).
    public func union(_ other: DataFrame) throws -> DataFrame { try derive(.union([plan, other.plan])) }
    /// Same as `union`.
    public func unionAll(_ other: DataFrame) throws -> DataFrame { try union(other) }
    /// Rows in both frames, without duplicates (`INTERSECT`).
    public func intersect(_ other: DataFrame) throws -> DataFrame { try derive(.intersect(plan, other.plan, all: false)) }
    /// Rows in both frames with multiplicities (`INTERSECT ALL`).
    public func intersectAll(_ other: DataFrame) throws -> DataFrame { try derive(.intersect(plan, other.plan, all: true)) }
    /// Rows of this frame not in the other, without duplicates (`EXCEPT`).
    public func subtract(_ other: DataFrame) throws -> DataFrame { try derive(.except(plan, other.plan, all: false)) }
    /// Rows of this frame not in the other, with multiplicities (`EXCEPT ALL`).
    public func exceptAll(_ other: DataFrame) throws -> DataFrame { try derive(.except(plan, other.plan, all: true)) }
    /// Re-qualifies columns (`df.alias("l")` then `col("l.x")`).
    public func alias(_ name: String) throws -> DataFrame { try derive(.subqueryAlias(name, plan)) }

    /// Keeps the result in memory, columnar, once an action computes it (lazy, as in Spark).
    @discardableResult public func cache() -> DataFrame {
        session.cacheManager.cache(plan)
        return self
    }

    /// Same as `cache()`; the storage level is always memory.
    @discardableResult public func persist() -> DataFrame { cache() }

    /// Drops the cached result.
    @discardableResult public func unpersist() -> DataFrame {
        session.cacheManager.uncache(plan)
        return self
    }

    /// Whether this frame is marked for caching.
    public var isCached: Bool { session.cacheManager.isCached(plan) }

    /// Registers this frame as a temporary view visible to SQL.
    public func createOrReplaceTempView(_ name: String) { session.catalog.register(name, plan: plan) }

    // MARK: Actions

    /// Runs the query and returns all result batches.
    public func collectBatches() throws -> [RecordBatch] {
        try QueryExecution(session: session, analyzed: plan).execute()
    }

    /// Runs the query and returns its rows.
    public func collect() throws -> [Row] {
        let names = plan.output.map(\.name)
        var rows: [Row] = []
        for b in try collectBatches() {
            for i in 0..<b.rowCount { rows.append(Row(values: b.row(i), names: names)) }
        }
        return rows
    }

    /// The number of rows.
    public func count() throws -> Int {
        let counted = try derive(.aggregate(groupBy: [], aggregates: [.alias(.call(name: "count", args: [.int(1)], distinct: false), name: "count")], plan))
        guard case let .int(n) = try counted.collect().first?[0] ?? .null else { return 0 }
        return Int(n)
    }

    /// The first `n` rows as Spark's `show()` table text.
    public func showString(_ n: Int = 20, truncate: Bool = true) throws -> String {
        let rows = try limit(n + 1).collect()
        return TableFormatter.format(names: columns, types: schema.fields.map(\.type), rows: rows.prefix(n).map { $0.values }, truncate: truncate,
                                     more: rows.count > n ? n : nil, timeZone: session.timeZone)
    }

    /// Prints the first `n` rows as a table.
    public func show(_ n: Int = 20, truncate: Bool = true) throws { print(try showString(n, truncate: truncate)) }

    /// The analyzed, optimized and physical plans as text.
    public func explainString(extended: Bool = false) throws -> String {
        try QueryExecution(session: session, analyzed: plan).explain(extended: extended)
    }

    /// Prints the plans.
    public func explain(extended: Bool = false) throws { print(try explainString(extended: extended)) }
}

/// The result of `groupBy`, waiting for `agg`.
public struct GroupedData {
    /// The frame being grouped.
    public let frame: DataFrame
    /// The grouping keys.
    public let keys: [Expr]

    /// `GROUP BY keys` computing `aggs`; the result holds the keys then the aggregates.
    public func agg(_ aggs: Column...) throws -> DataFrame {
        try DataFrame(session: frame.session, plan: .aggregate(groupBy: keys, aggregates: keys + aggs.map(\.expr), frame.plan))
    }

    /// `count(*)` per group, named `count`.
    public func count() throws -> DataFrame {
        try DataFrame(session: frame.session, plan: .aggregate(
            groupBy: keys, aggregates: keys + [.alias(.call(name: "count", args: [.int(1)], distinct: false), name: "count")],
            frame.plan))
    }
}
