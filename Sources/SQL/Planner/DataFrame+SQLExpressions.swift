import Engine

extension DataFrame {
    /// Projects SQL select items, as PySpark's `selectExpr`: `"a + 1 AS b"`, `"*"`, `"upper(name) n"`,
    /// aggregates (`"count(*)"`) and window functions, with the meaning they have in a SELECT list.
    public func selectExpr(_ items: String...) throws -> DataFrame { try selectExpr(items) }

    /// Projects SQL select items given as an array (see `selectExpr(_:)`).
    public func selectExpr(_ items: [String]) throws -> DataFrame {
        let parsed = try items.map(Parser.parseSelectItem)
        let block = SelectBlock(items: parsed, location: SourceLocation(line: 1, column: 1))
        return try session.dataFrame(try SQLPlanner(session: session).plan(block, over: plan))
    }

    /// Keeps the rows where a SQL condition holds, as PySpark's `filter("x > 1")`.
    public func filter(_ condition: String) throws -> DataFrame {
        try filter(Column(try SQLPlanner(session: session).expr(try Parser.parseExpression(condition))))
    }

    /// Keeps the rows where a SQL condition holds (the same as `filter(_:)`).
    public func `where`(_ condition: String) throws -> DataFrame { try filter(condition) }
}
