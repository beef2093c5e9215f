// Top-level statements: queries, temporary views, INSERT, CACHE / UNCACHE, SHOW / DESCRIBE / EXPLAIN.

extension Parser {
    /// Parses one statement, stopping before a `;` or the end.
    public mutating func parseStatement() throws -> SQLStatement {
        if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") || current.isSymbol("(") {
            return .query(try parseQuery())
        }
        if consumeKeyword("EXPLAIN") {
            var mode: String?
            for m in ["EXTENDED", "FORMATTED", "CODEGEN", "COST", "LOGICAL", "ANALYZE"] where consumeKeyword(m) {
                mode = m
                break
            }
            return .explain(try parseStatement(), mode: mode)
        }
        if current.isKeyword("CREATE") { return try parseCreateView() }
        if current.isKeyword("INSERT") {
            let start = current.location
            advance()
            let overwrite = consumeKeyword("OVERWRITE")
            if overwrite && (current.isKeyword("LOCAL") || current.isKeyword("DIRECTORY")) {
                return try parseInsertOverwriteDirectory(at: start)
            }
            if !overwrite { try expectKeyword("INTO") }
            _ = consumeKeyword("TABLE")
            let at = current.location
            let target = try parseQualifiedName("table name")
            return .insert(target: target, query: try parseQuery(), overwrite: overwrite, at: at)
        }
        if consumeKeyword("DROP") {
            _ = consumeKeyword("TEMPORARY") || consumeKeyword("TEMP")
            let table = consumeKeyword("TABLE")
            guard table || consumeKeyword("VIEW") else { throw expected("TABLE or VIEW") }
            let ifExists = consumeKeywords("IF", "EXISTS")
            let at = current.location
            let name = try parseQualifiedName(table ? "table name" : "view name").joined(separator: ".")
            return table ? .dropTable(name: name, ifExists: ifExists, at: at) : .dropView(name: name, ifExists: ifExists, at: at)
        }
        if current.isKeyword("SET") { return try parseSet() }
        if current.isKeyword("CACHE") {
            let at = current.location
            advance()
            let lazy = consumeKeyword("LAZY")
            try expectKeyword("TABLE")
            let name = try parseQualifiedName("table name").joined(separator: ".")
            if current.isKeyword("OPTIONS") {
                // Spark's only option is the storage level; memory is the only level here.
                advance()
                _ = try parseOptions()
            }
            var query: SQLQuery?
            if consumeKeyword("AS") || current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isSymbol("(") {
                query = try parseQuery()
            }
            return .cacheTable(name: name, lazy: lazy, query: query, at: at)
        }
        if consumeKeyword("UNCACHE") {
            try expectKeyword("TABLE")
            let ifExists = consumeKeywords("IF", "EXISTS")
            let at = current.location
            return .uncacheTable(name: try parseQualifiedName("table name").joined(separator: "."), ifExists: ifExists,
                                 at: at)
        }
        if consumeKeywords("CLEAR", "CACHE") { return .clearCache }
        if consumeKeyword("SHOW") {
            if consumeKeyword("FUNCTIONS") {
                var pattern: String?
                let like = consumeKeyword("LIKE")
                if case .string(let p) = current.kind {
                    advance()
                    pattern = p
                } else if like {
                    throw expected("a quoted pattern")
                }
                return .showFunctions(pattern: pattern)
            }
            if consumeKeyword("DATABASES") || consumeKeyword("SCHEMAS") || consumeKeyword("NAMESPACES") { return .showDatabases }
            guard consumeKeyword("TABLES") || consumeKeyword("VIEWS") else { throw expected("TABLES, VIEWS, FUNCTIONS or DATABASES") }
            let at = current.location
            if consumeKeyword("IN") || consumeKeyword("FROM") {
                return .showTables(namespace: try parseQualifiedName("namespace").joined(separator: "."), at: at)
            }
            return .showTables(namespace: nil, at: at)
        }
        if consumeKeyword("DESCRIBE") || consumeKeyword("DESC") {
            if consumeKeyword("QUERY") || current.isKeyword("SELECT") || current.isKeyword("WITH") {
                return .describe(.query(try parseQuery()))
            }
            _ = consumeKeyword("TABLE")
            _ = consumeKeyword("EXTENDED") || consumeKeyword("FORMATTED")
            let at = current.location
            return .describe(.table(try parseQualifiedName("table name").joined(separator: "."), at: at))
        }
        throw expected("a statement (SELECT, WITH, CREATE, INSERT, DROP, SET, CACHE, UNCACHE, SHOW, DESCRIBE, EXPLAIN)")
    }

    /// `SET`, `SET key`, `SET key = value`, `SET TIME ZONE 'zone' | LOCAL`: the lexer hands over the
    /// key and value as raw text (`spark.sql.session.timeZone`, `America/New_York`, `/data/run-1e5`).
    private mutating func parseSet() throws -> SQLStatement {
        let start = current.location
        try expectKeyword("SET")
        func raw(_ t: Token) -> String {
            switch t.kind {
            case .word(let w), .quotedIdentifier(let w), .string(let w): return w
            case .integer(let n), .decimal(let n), .double(let n), .bigDecimal(let n): return n
            case .typedInteger(let n, let s): return n + String(s)
            case .symbol(let s): return s
            case .end: return ""
            }
        }
        if consumeKeywords("TIME", "ZONE") {
            if consumeKeyword("LOCAL") { return .set(key: "spark.sql.session.timeZone", value: "UTC", at: start) }
            guard case .string(let zone) = current.kind else { throw expected("a time zone string or LOCAL") }
            advance()
            return .set(key: "spark.sql.session.timeZone", value: zone, at: start)
        }
        var key = ""
        while current.kind != .end && !current.isSymbol(";") && !current.isSymbol("=") {
            key += raw(current)
            advance()
        }
        guard consumeSymbol("=") else { return .set(key: key.isEmpty ? nil : key, value: nil, at: start) }
        if key.isEmpty { throw SQLError("SET needs a key before '='", at: start) }
        var value = ""
        while current.kind != .end && !current.isSymbol(";") {
            value += raw(current)
            advance()
        }
        return .set(key: key, value: value.trimmingCharacters(in: .whitespaces), at: start)
    }

    /// `CREATE [OR REPLACE] [GLOBAL] TEMP[ORARY] VIEW [IF NOT EXISTS] name [(cols)]
    ///  (USING format [OPTIONS (k 'v', …)] | AS query)`.
    private mutating func parseCreateView() throws -> SQLStatement {
        let start = current.location
        try expectKeyword("CREATE")
        let orReplace = consumeKeywords("OR", "REPLACE")
        if !orReplace && consumeKeyword("TABLE") { return try parseCreateTable(at: start) }
        _ = consumeKeyword("GLOBAL")
        guard consumeKeyword("TEMPORARY") || consumeKeyword("TEMP") else {
            throw expected("TABLE or TEMPORARY VIEW")
        }
        guard consumeKeyword("VIEW") || consumeKeyword("TABLE") else { throw expected("VIEW") }
        let ifNotExists = consumeKeywords("IF", "NOT", "EXISTS")
        let name = try parseQualifiedName("view name").joined(separator: ".")
        var columns: [(name: String, type: SQLTypeName?)] = []
        if consumeSymbol("(") {
            repeat {
                let column = try parseIdentifier("column name")
                var type: SQLTypeName?
                if case .word = current.kind, !current.isKeyword("COMMENT") { type = try parseTypeName() }
                columns.append((name: column, type: type))
            } while consumeSymbol(",")
            try expectSymbol(")")
        }
        let source: CreateView.Source
        if consumeKeyword("USING") {
            let format = try parseAnyIdentifier().lowercased()
            var options: [(key: String, value: String)] = []
            if consumeKeyword("OPTIONS") { options = try parseOptions() }
            source = .dataSource(format: format, options: options)
        } else {
            try expectKeyword("AS")
            source = .query(try parseQuery())
        }
        return .createView(CreateView(name: name, orReplace: orReplace, ifNotExists: ifNotExists,
                                      columns: columns, source: source, location: start))
    }

    /// `INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] USING format [OPTIONS (…)] query`: Spark's write of
    /// a query's rows as files.
    /// Called after `INSERT OVERWRITE`, with `start` at `INSERT`.
    private mutating func parseInsertOverwriteDirectory(at start: SourceLocation) throws -> SQLStatement {
        let local = consumeKeyword("LOCAL")
        try expectKeyword("DIRECTORY")
        var path: String?
        if case .string(let text) = current.kind {
            path = text
            advance()
        }
        guard consumeKeyword("USING") else {
            throw expected("USING parquet, csv or json (Hive's ROW FORMAT / STORED AS are not supported)")
        }
        let formatLocation = current.location
        let format = try parseAnyIdentifier().lowercased()
        guard ["parquet", "csv", "json"].contains(format) else {
            throw SQLError("unknown output format '\(format)' (expected parquet, csv or json)", at: formatLocation)
        }
        var options: [(key: String, value: String)] = []
        if consumeKeyword("OPTIONS") { options = try parseOptions() }
        if let option = options.first(where: { $0.key.lowercased() == "path" }) {
            guard path == nil else { throw SQLError("the directory is given twice: as the path and in OPTIONS", at: start) }
            path = option.value
        }
        options.removeAll { $0.key.lowercased() == "path" }
        guard let directory = path, !directory.isEmpty else {
            throw SQLError("INSERT OVERWRITE DIRECTORY needs a path: DIRECTORY '…' or OPTIONS (path '…')", at: start)
        }
        let query = try parseQuery()
        return .insertOverwriteDirectory(InsertDirectory(path: directory, local: local, format: format, options: options,
                                                         query: query, location: start))
    }

    /// `(key 'value', other.key = 'value', flag true, n 3)`.
    private mutating func parseOptions() throws -> [(key: String, value: String)] {
        try expectSymbol("(")
        var options: [(key: String, value: String)] = []
        if consumeSymbol(")") { return options }
        repeat {
            let key: String
            if case .string(let s) = current.kind {
                key = s
                advance()
            } else {
                var parts = [try parseAnyIdentifier()]
                while consumeSymbol(".") { parts.append(try parseAnyIdentifier()) }
                key = parts.joined(separator: ".")
            }
            _ = consumeSymbol("=")
            let value: String
            switch current.kind {
            case .string(let s), .integer(let s), .decimal(let s), .double(let s): value = s
            case .word(let w) where ["TRUE", "FALSE"].contains(w.uppercased()): value = w.lowercased()
            default: throw expected("option value")
            }
            advance()
            options.append((key: key, value: value))
        } while consumeSymbol(",")
        try expectSymbol(")")
        return options
    }

    /// After `CREATE TABLE`: the rest of the definition, its clauses in any order.
    private mutating func parseCreateTable(at start: SourceLocation) throws -> SQLStatement {
        let ifNotExists = consumeKeywords("IF", "NOT", "EXISTS")
        var table = CreateTable(name: try parseQualifiedName("table name").joined(separator: "."), ifNotExists: ifNotExists,
                                columns: [], format: "parquet", options: [], partitionColumns: [], path: nil, query: nil,
                                location: start)
        if consumeSymbol("(") {
            repeat {
                let column = try parseIdentifier("column name")
                table.columns.append((name: column, type: try parseTypeName()))
                if consumeKeyword("COMMENT") { advance() }
            } while consumeSymbol(",")
            try expectSymbol(")")
        }
        while true {
            if consumeKeyword("USING") {
                table.format = try parseAnyIdentifier().lowercased()
            } else if consumeKeyword("OPTIONS") {
                table.options += try parseOptions()
            } else if consumeKeywords("PARTITIONED", "BY") {
                table.partitionColumns = try parseIdentifierList()
            } else if consumeKeyword("LOCATION") {
                guard case .string(let path) = current.kind else { throw expected("a quoted path") }
                advance()
                table.path = path
            } else if consumeKeyword("COMMENT") {
                advance()
            } else if consumeKeyword("TBLPROPERTIES") {
                _ = try parseOptions()
            } else {
                break
            }
        }
        if consumeKeyword("AS") || current.isKeyword("SELECT") || current.isKeyword("WITH") {
            table.query = try parseQuery()
        }
        return .createTable(table)
    }
}
