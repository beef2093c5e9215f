// Queries: WITH, set operations, SELECT blocks, FROM lists with joins, ORDER BY / LIMIT.

extension Parser {
    /// `[WITH …] body [ORDER BY …] [LIMIT n] [OFFSET n]`.
    public mutating func parseQuery() throws -> SQLQuery {
        try enterNesting()
        defer { leaveNesting() }
        let start = current.location
        var ctes: [SQLCommonTableExpression] = []
        if consumeKeyword("WITH") {
            _ = consumeKeyword("RECURSIVE")
            repeat {
                let at = current.location
                let name = try parseIdentifier("CTE name")
                var columns: [String] = []
                if current.isSymbol("(") { columns = try parseIdentifierList() }
                try expectKeyword("AS")
                try expectSymbol("(")
                let query = try parseQuery()
                try expectSymbol(")")
                ctes.append(SQLCommonTableExpression(name: name, columns: columns, query: query, location: at))
            } while consumeSymbol(",")
        }
        let body = try parseSetExpression()
        var query = SQLQuery(with: ctes, body: body, location: start)
        if consumeKeywords("ORDER", "BY") { query.orderBy = try parseOrderItems() }
        try parsePartitionOrganization(into: &query)
        if consumeKeyword("LIMIT") {
            if !consumeKeyword("ALL") { query.limit = try parseExpression() }
        }
        if consumeKeyword("OFFSET") { query.offset = try parseExpression() }
        return query
    }

    /// Hive's `CLUSTER BY e, …`, `DISTRIBUTE BY e, …` and `SORT BY item, …`. They say how rows are
    /// spread over and sorted within the partitions of a shuffle; one process has no such partitions,
    /// so `SORT BY` (and `CLUSTER BY`, which sorts by its keys) becomes one sort of the whole result,
    /// which keeps every partition sorted, and `DISTRIBUTE BY` places nothing.
    private mutating func parsePartitionOrganization(into query: inout SQLQuery) throws {
        let start = current.location
        var sorted: [OrderItem]?
        var distributed = false
        if consumeKeywords("CLUSTER", "BY") {
            sorted = try parseExpressionList().map { OrderItem(expr: $0) }
        } else {
            if consumeKeywords("DISTRIBUTE", "BY") {
                _ = try parseExpressionList()
                distributed = true
            }
            if consumeKeywords("SORT", "BY") { sorted = try parseOrderItems() }
        }
        if (sorted != nil || distributed) && !query.orderBy.isEmpty {
            throw SQLError("ORDER BY cannot be combined with SORT BY, DISTRIBUTE BY or CLUSTER BY", at: start)
        }
        if Self.byClauseWords.contains(where: current.isKeyword) && peek().isKeyword("BY") {
            throw SQLError("CLUSTER BY stands alone, and DISTRIBUTE BY comes before SORT BY, each once", at: current.location)
        }
        if let sorted { query.orderBy = sorted }
    }

    private mutating func parseExpressionList() throws -> [SQLExpr] {
        var items: [SQLExpr] = []
        repeat { items.append(try parseExpression()) } while consumeSymbol(",")
        return items
    }

    /// The inside of `TABLESAMPLE (…)`: `x PERCENT`, `n ROWS` or `BUCKET x OUT OF y`.
    private mutating func parseTableSample() throws -> TableSample {
        if consumeKeyword("BUCKET") {
            func integer() throws -> Int {
                guard case .integer(let text) = current.kind, let n = Int(text) else { throw expected("an integer") }
                advance()
                return n
            }
            let numerator = try integer()
            try expectKeyword("OUT")
            try expectKeyword("OF")
            return .bucket(numerator, outOf: try integer())
        }
        let amount = try parseExpression()
        if consumeKeyword("PERCENT") { return .percent(amount) }
        if consumeKeyword("ROWS") { return .rows(amount) }
        throw expected("PERCENT or ROWS")
    }

    /// UNION / EXCEPT (left-associative) over INTERSECT, which binds tighter.
    private mutating func parseSetExpression() throws -> SetExpression {
        var lhs = try parseIntersection()
        while true {
            let op: SetOperator
            if consumeKeyword("UNION") { op = .union }
            else if consumeKeyword("EXCEPT") || consumeKeyword("MINUS") { op = .except }
            else { return lhs }
            let all = consumeKeyword("ALL")
            if !all { _ = consumeKeyword("DISTINCT") }
            let rhs = try parseIntersection()
            lhs = .setOperation(op, all: all, lhs, rhs)
        }
    }

    private mutating func parseIntersection() throws -> SetExpression {
        var lhs = try parseSetPrimary()
        while consumeKeyword("INTERSECT") {
            let all = consumeKeyword("ALL")
            if !all { _ = consumeKeyword("DISTINCT") }
            let rhs = try parseSetPrimary()
            lhs = .setOperation(.intersect, all: all, lhs, rhs)
        }
        return lhs
    }

    private mutating func parseSetPrimary() throws -> SetExpression {
        if current.isKeyword("SELECT") { return .select(try parseSelectBlock()) }
        if current.isKeyword("VALUES") {
            let at = current.location
            advance()
            return .values(try parseValuesRows(), at: at)
        }
        if current.isSymbol("(") {
            advance()
            let inner = try parseQuery()
            try expectSymbol(")")
            return .query(inner)
        }
        throw expected("SELECT, VALUES or '('")
    }

    /// `(1, 'a'), (2, 'b')` or `1, 2` (one column per row).
    private mutating func parseValuesRows() throws -> [[SQLExpr]] {
        var rows: [[SQLExpr]] = []
        repeat {
            if consumeSymbol("(") {
                var row = [try parseExpression()]
                while consumeSymbol(",") { row.append(try parseExpression()) }
                try expectSymbol(")")
                rows.append(row)
            } else {
                rows.append([try parseExpression()])
            }
        } while consumeSymbol(",")
        return rows
    }

    private mutating func parseSelectBlock() throws -> SelectBlock {
        let start = current.location
        try expectKeyword("SELECT")
        var block = SelectBlock(items: [], location: start)
        if consumeKeyword("DISTINCT") { block.distinct = true } else { _ = consumeKeyword("ALL") }
        repeat { block.items.append(try parseSelectItem()) } while consumeSymbol(",")
        if consumeKeyword("FROM") {
            repeat { block.from.append(try parseJoinedTable()) } while consumeSymbol(",")
        }
        if consumeKeyword("WHERE") { block.whereClause = try parseExpression() }
        if consumeKeywords("GROUP", "BY") { try parseGroupBy(into: &block) }
        if consumeKeyword("HAVING") { block.having = try parseExpression() }
        if consumeKeyword("WINDOW") {
            repeat {
                let name = try parseIdentifier("window name")
                try expectKeyword("AS")
                block.windows.append((name: name, spec: try parseWindowSpec()))
            } while consumeSymbol(",")
        }
        return block
    }

    mutating func parseSelectItem() throws -> SelectItem {
        let expr = try parseExpression()
        if consumeKeyword("AS") {
            // `AS (a, b)` names the columns of a generator such as posexplode.
            if current.isSymbol("(") { return SelectItem(expr: expr, aliases: try parseIdentifierList()) }
            return SelectItem(expr: expr, alias: try parseIdentifier("alias"))
        }
        if atName { return SelectItem(expr: expr, alias: try parseIdentifier("alias")) }
        return SelectItem(expr: expr)
    }

    // MARK: FROM

    /// A table primary followed by any number of joins.
    private mutating func parseJoinedTable() throws -> TableReference {
        var lhs = try parseTablePrimary()
        while true {
            if current.isKeyword("UNPIVOT") && (peek().isSymbol("(") || peek().isKeyword("INCLUDE") || peek().isKeyword("EXCLUDE")) {
                let at = current.location
                advance()
                var includeNulls = false
                if consumeKeyword("INCLUDE") {
                    try expectKeyword("NULLS")
                    includeNulls = true
                } else if consumeKeyword("EXCLUDE") {
                    try expectKeyword("NULLS")
                }
                try expectSymbol("(")
                let clause = try parseUnpivotClause(includeNulls: includeNulls)
                try expectSymbol(")")
                lhs = .unpivot(lhs, clause, alias: try parseTableAlias(), at: at)
                continue
            }
            if current.isKeyword("TABLESAMPLE") && peek().isSymbol("(") {
                let at = current.location
                advance(); advance()
                let sample = try parseTableSample()
                try expectSymbol(")")
                if current.isKeyword("REPEATABLE") {
                    throw SQLError("TABLESAMPLE … REPEATABLE (seed) is not supported: samples here are not repeatable", at: current.location)
                }
                lhs = .sample(lhs, sample, alias: try parseTableAlias(), at: at)
                continue
            }
            if current.isKeyword("PIVOT") && peek().isSymbol("(") {
                let at = current.location
                advance(); advance()
                let clause = try parsePivotClause()
                try expectSymbol(")")
                lhs = .pivot(lhs, clause, alias: try parseTableAlias(), at: at)
                continue
            }
            if current.isKeyword("LATERAL") && peek().isKeyword("VIEW") {
                let at = current.location
                advance(); advance()
                let outer = consumeKeyword("OUTER")
                let generator = try parseExpression()
                let table = try parseIdentifier("table alias of the LATERAL VIEW")
                var columns: [String] = []
                if consumeKeyword("AS") || atName {
                    repeat { columns.append(try parseIdentifier("column alias")) } while consumeSymbol(",")
                }
                lhs = .lateralView(lhs, generator: generator, outer: outer, table: table, columns: columns, at: at)
                continue
            }
            var natural = false
            if consumeKeyword("NATURAL") { natural = true }
            guard let kind = try parseJoinKind(required: natural) else { return lhs }
            let rhs = try parseTablePrimary()
            var condition = JoinCondition.none
            if natural {
                condition = .natural
            } else if consumeKeyword("ON") {
                condition = .on(try parseExpression())
            } else if consumeKeyword("USING") {
                condition = .using(try parseIdentifierList())
            } else if kind != .cross && kind != .inner {
                throw expected("ON or USING")
            }
            lhs = .join(lhs, rhs, kind: kind, condition: condition)
        }
    }

    /// Reads `[INNER] JOIN`, `LEFT [OUTER] JOIN`, `LEFT SEMI JOIN`, … ; nil when no join follows.
    private mutating func parseJoinKind(required: Bool) throws -> JoinKind? {
        let kind: JoinKind
        if consumeKeyword("JOIN") { return .inner }
        if consumeKeyword("INNER") { kind = .inner }
        else if consumeKeyword("CROSS") { kind = .cross }
        else if consumeKeyword("LEFT") {
            if consumeKeyword("SEMI") { kind = .leftSemi }
            else if consumeKeyword("ANTI") { kind = .leftAnti }
            else { _ = consumeKeyword("OUTER"); kind = .left }
        }
        else if consumeKeyword("RIGHT") { _ = consumeKeyword("OUTER"); kind = .right }
        else if consumeKeyword("FULL") { _ = consumeKeyword("OUTER"); kind = .full }
        else if consumeKeyword("SEMI") { kind = .leftSemi }
        else if consumeKeyword("ANTI") { kind = .leftAnti }
        else {
            if required { throw expected("JOIN") }
            return nil
        }
        try expectKeyword("JOIN")
        return kind
    }

    /// Formats that Spark accepts in a direct file query: ``csv.`path` ``.
    static let fileFormats: Set<String> = ["CSV", "JSON", "PARQUET", "ORC", "TEXT", "AVRO"]

    private mutating func parseTablePrimary() throws -> TableReference {
        let start = current.location
        if current.isSymbol("(") {
            if peek().isKeyword("SELECT") || peek().isKeyword("WITH") || peek().isKeyword("VALUES") || peek().isSymbol("(") {
                advance()
                let query = try parseQuery()
                try expectSymbol(")")
                return .subquery(query, alias: try parseTableAlias(), at: start)
            }
            advance()
            let inner = try parseJoinedTable()
            try expectSymbol(")")
            return inner
        }
        if current.isKeyword("VALUES") {
            advance()
            let query = SQLQuery(body: .values(try parseValuesRows(), at: start), location: start)
            return .subquery(query, alias: try parseTableAlias(), at: start)
        }
        if case .word(let format) = current.kind, Self.fileFormats.contains(format.uppercased()),
           peek().isSymbol("."), case .quotedIdentifier(let path) = peek(2).kind {
            advance(); advance(); advance()
            return .file(format: format.lowercased(), path: path, alias: try parseTableAlias(), at: start)
        }
        if case .word(let function) = current.kind, atName, peek().isSymbol("(") {
            advance(); advance()
            var arguments: [SQLExpr] = []
            if !current.isSymbol(")") {
                repeat { arguments.append(try parseExpression()) } while consumeSymbol(",")
            }
            try expectSymbol(")")
            return .tableFunction(function, arguments: arguments, alias: try parseTableAlias(), at: start)
        }
        let name = try parseQualifiedName("table name")
        return .named(name, alias: try parseTableAlias(), at: start)
    }

    /// `GROUP BY` items: expressions, `ROLLUP(…)`, `CUBE(…)`, `GROUPING SETS((…), …)`, and a trailing
    /// `WITH ROLLUP` / `WITH CUBE`. Several items combine as Spark combines them: every set of one
    /// with every set of the others.
    private mutating func parseGroupBy(into block: inout SelectBlock) throws {
        var sets: [[Int]] = [[]]
        var hasSets = false
        func index(of e: SQLExpr, in block: inout SelectBlock) -> Int {
            if let i = block.groupBy.firstIndex(of: e) { return i }
            block.groupBy.append(e)
            return block.groupBy.count - 1
        }
        func combine(_ options: [[Int]]) {
            sets = sets.flatMap { s in options.map { o in s + o.filter { !s.contains($0) } } }
        }
        repeat {
            if (current.isKeyword("ROLLUP") || current.isKeyword("CUBE")) && peek().isSymbol("(") {
                let cube = current.isKeyword("CUBE")
                advance(); advance()
                var columns: [Int] = []
                repeat { columns.append(index(of: try parseExpression(), in: &block)) } while consumeSymbol(",")
                try expectSymbol(")")
                combine(cube ? Self.cube(columns) : Self.rollup(columns))
                hasSets = true
            } else if current.isKeyword("GROUPING") && peek().isKeyword("SETS") {
                advance(); advance()
                try expectSymbol("(")
                var options: [[Int]] = []
                repeat {
                    var set: [Int] = []
                    if consumeSymbol("(") {
                        if !current.isSymbol(")") {
                            repeat { set.append(index(of: try parseExpression(), in: &block)) } while consumeSymbol(",")
                        }
                        try expectSymbol(")")
                    } else {
                        set.append(index(of: try parseExpression(), in: &block))
                    }
                    options.append(set)
                } while consumeSymbol(",")
                try expectSymbol(")")
                combine(options)
                hasSets = true
            } else {
                combine([[index(of: try parseExpression(), in: &block)]])
            }
        } while consumeSymbol(",")
        if current.isKeyword("WITH") && (peek().isKeyword("ROLLUP") || peek().isKeyword("CUBE")) {
            advance()
            let cube = current.isKeyword("CUBE")
            advance()
            let columns = Array(block.groupBy.indices)
            sets = cube ? Self.cube(columns) : Self.rollup(columns)
            hasSets = true
        }
        if hasSets { block.groupingSets = sets }
    }

    /// ROLLUP(a, b, c): (a, b, c), (a, b), (a), ().
    static func rollup(_ columns: [Int]) -> [[Int]] {
        (0...columns.count).reversed().map { Array(columns.prefix($0)) }
    }

    /// CUBE(a, b): every subset, in Spark's order: (a, b), (a), (b), ().
    static func cube(_ columns: [Int]) -> [[Int]] {
        let n = columns.count
        return (0..<(1 << n)).map { mask in
            columns.enumerated().filter { i, _ in mask & (1 << (n - 1 - i)) == 0 }.map(\.element)
        }
    }

    /// `agg [AS name], … FOR column IN (value [AS name], …)` or `FOR (c1, c2) IN ((v1, v2) [AS name], …)`.
    private mutating func parsePivotClause() throws -> PivotClause {
        var clause = PivotClause(aggregates: [], columns: [], values: [])
        repeat {
            let e = try parseExpression()
            let named = consumeKeyword("AS") || (atName && !current.isKeyword("FOR"))
            clause.aggregates.append((e, named ? try parseIdentifier("aggregate name") : nil))
        } while consumeSymbol(",")
        try expectKeyword("FOR")
        if current.isSymbol("(") {
            clause.columns = try parseIdentifierList()
        } else {
            clause.columns = [try parseIdentifier("pivot column")]
        }
        try expectKeyword("IN")
        try expectSymbol("(")
        repeat {
            var values: [SQLExpr]
            if clause.columns.count > 1 {
                try expectSymbol("(")
                values = []
                repeat { values.append(try parseExpression()) } while consumeSymbol(",")
                try expectSymbol(")")
            } else {
                values = [try parseExpression()]
            }
            clause.values.append((values, consumeKeyword("AS") || atName ? try parseIdentifier("value name") : nil))
        } while consumeSymbol(",")
        try expectSymbol(")")
        return clause
    }

    /// `value FOR name IN (c [AS label], …)` or `(v1, v2) FOR name IN ((c1, c2) [AS label], …)`.
    private mutating func parseUnpivotClause(includeNulls: Bool) throws -> UnpivotClause {
        let values = current.isSymbol("(") ? try parseIdentifierList() : [try parseIdentifier("value column")]
        try expectKeyword("FOR")
        let name = try parseIdentifier("name column")
        try expectKeyword("IN")
        try expectSymbol("(")
        var entries: [(columns: [String], label: String?)] = []
        repeat {
            let columns = current.isSymbol("(") ? try parseIdentifierList() : [try parseIdentifier("column")]
            let label: String?
            if consumeKeyword("AS") || atName {
                if case .string(let text) = current.kind { advance(); label = text } else { label = try parseIdentifier("label") }
            } else {
                label = nil
            }
            entries.append((columns, label))
        } while consumeSymbol(",")
        try expectSymbol(")")
        return UnpivotClause(valueColumns: values, nameColumn: name, entries: entries, includeNulls: includeNulls)
    }
}
