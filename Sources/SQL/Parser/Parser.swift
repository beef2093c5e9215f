/// A recursive-descent parser for the Spark SQL dialect.
///
/// Statements and queries are parsed top-down (`Parser+Statement.swift`, `Parser+Query.swift`);
/// expressions by precedence climbing (`Parser+Expression.swift`). Errors name the expected
/// construct and the token found, at that token's line and column.
public struct Parser {
    /// How deeply expressions and queries may nest before the parser refuses, so that hostile
    /// input cannot exhaust the stack.
    public static let nestingDepthMax = 200

    var tokens: [Token]
    var position = 0
    var depth = 0

    /// Creates a parser over already-lexed tokens (the last must be `.end`).
    public init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses every `;`-separated statement of `text`.
    public static func parseStatements(_ text: String) throws -> [SQLStatement] {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        var statements: [SQLStatement] = []
        while true {
            while parser.consumeSymbol(";") {}
            if parser.current.kind == .end { return statements }
            statements.append(try parser.parseStatement())
            if parser.current.kind != .end { try parser.expectSymbol(";") }
        }
    }

    /// Parses exactly one statement (a trailing `;` is allowed).
    public static func parseStatement(_ text: String) throws -> SQLStatement {
        var parser = Parser(tokens: try Lexer.tokenize(text))
        let statement = try parser.parseStatement()
        _ = parser.consumeSymbol(";")
        try parser.expectEnd()
        return statement
    }

    /// Parses a standalone expression, as used by `DataFrame.selectExpr` or `where("…")`.
    public static func parseExpression(_ text: String) throws -> SQLExpr {
        var parser = Parser(tokens: try Lexer.tokenize(text, statements: false))
        let expr = try parser.parseExpression()
        try parser.expectEnd()
        return expr
    }

    /// Parses one select-list item, `expr [[AS] alias]`, as `DataFrame.selectExpr` takes them.
    public static func parseSelectItem(_ text: String) throws -> SelectItem {
        var parser = Parser(tokens: try Lexer.tokenize(text, statements: false))
        let item = try parser.parseSelectItem()
        try parser.expectEnd()
        return item
    }

    // MARK: Token access

    var current: Token { tokens[position] }

    func peek(_ offset: Int = 1) -> Token {
        let i = position + offset
        return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
    }

    mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    /// Consumes the keyword if it is next.
    mutating func consumeKeyword(_ keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            advance()
            return true
        }
        return false
    }

    /// Consumes the keywords if they are all next, in order; otherwise consumes nothing.
    mutating func consumeKeywords(_ keywords: String...) -> Bool {
        for (i, k) in keywords.enumerated() where !peek(i).isKeyword(k) { return false }
        for _ in keywords { advance() }
        return true
    }

    mutating func consumeSymbol(_ symbol: String) -> Bool {
        if current.isSymbol(symbol) {
            advance()
            return true
        }
        return false
    }

    mutating func expectKeyword(_ keyword: String) throws {
        guard consumeKeyword(keyword) else { throw expected(keyword) }
    }

    mutating func expectSymbol(_ symbol: String) throws {
        guard consumeSymbol(symbol) else { throw expected("'\(symbol)'") }
    }

    func expectEnd() throws {
        guard current.kind == .end else { throw expected("end of statement") }
    }

    /// The standard error: "expected X, found Y" at the current token.
    func expected(_ what: String) -> SQLError {
        SQLError("expected \(what), found \(current.displayText)", at: current.location)
    }

    mutating func enterNesting() throws {
        depth += 1
        if depth > Self.nestingDepthMax {
            throw SQLError("statement nests deeper than \(Self.nestingDepthMax) levels", at: current.location)
        }
    }

    mutating func leaveNesting() { depth -= 1 }

    // MARK: Names

    /// Words that cannot be used as an unquoted name where a clause keyword could follow,
    /// such as an implicit alias (`FROM t WHERE`) or a column reference.
    static let reservedWords: Set<String> = [
        "ALL", "AND", "ANTI", "AS", "ASC", "BETWEEN", "BY", "CASE", "CROSS", "DESC", "DISTINCT", "ELSE", "END",
        "EXCEPT", "FROM", "FULL", "GROUP", "HAVING", "IN", "INNER", "INTERSECT", "IS", "JOIN", "LATERAL", "LEFT",
        "LIKE", "ILIKE", "RLIKE", "LIMIT", "MINUS", "NATURAL", "NOT", "ON", "OR", "ORDER", "OVER", "RIGHT", "SELECT",
        "SEMI", "THEN", "UNION", "USING", "WHEN", "WHERE", "WINDOW", "WITH", "OFFSET", "FILTER", "QUALIFY",
    ]

    /// Reserved only where a clause may follow (an implicit alias); elsewhere they are ordinary names,
    /// as Spark allows `SELECT offset FROM topics.t` over the Kafka source's `offset` column.
    static let clauseOnlyWords: Set<String> = ["OFFSET"]

    /// Words that start a clause when `BY` follows them.
    static let byClauseWords: Set<String> = ["CLUSTER", "DISTRIBUTE", "SORT"]

    /// True when the current token can start a name (not a reserved word).
    var atName: Bool {
        switch current.kind {
        case .word(let w):
            let upper = w.uppercased()
            // Hive's `CLUSTER BY`, `DISTRIBUTE BY`, `SORT BY` start a clause, not an implicit alias.
            if Self.byClauseWords.contains(upper) && peek().isKeyword("BY") { return false }
            return !Self.reservedWords.contains(upper)
        case .quotedIdentifier: return true
        default: return false
        }
    }

    /// Reads an identifier: an unquoted non-reserved word or a backquoted name.
    mutating func parseIdentifier(_ what: String = "identifier") throws -> String {
        switch current.kind {
        case .word(let w) where !Self.reservedWords.contains(w.uppercased())
            || Self.clauseOnlyWords.contains(w.uppercased()):
            advance()
            return w
        case .quotedIdentifier(let w):
            advance()
            return w
        default:
            throw expected(what)
        }
    }

    /// Reads `a.b.c`.
    mutating func parseQualifiedName(_ what: String = "name") throws -> [String] {
        var parts = [try parseIdentifier(what)]
        while current.isSymbol("."), peek().isNameToken {
            advance()
            parts.append(try parseAnyIdentifier())
        }
        return parts
    }

    /// After a dot any word is a name, reserved or not (`t.order`).
    mutating func parseAnyIdentifier() throws -> String {
        switch current.kind {
        case .word(let w), .quotedIdentifier(let w):
            advance()
            return w
        default:
            throw expected("identifier")
        }
    }

    /// Reads `(a, b, c)`.
    mutating func parseIdentifierList() throws -> [String] {
        try expectSymbol("(")
        var names = [try parseIdentifier()]
        while consumeSymbol(",") { names.append(try parseIdentifier()) }
        try expectSymbol(")")
        return names
    }

    /// Reads an optional `[AS] name [(c1, c2)]` alias.
    mutating func parseTableAlias() throws -> TableAlias? {
        let explicit = consumeKeyword("AS")
        // `t PIVOT (…)`, `t TABLESAMPLE (…)`: the clause, not an alias.
        if !explicit && (current.isKeyword("PIVOT") || current.isKeyword("UNPIVOT") || current.isKeyword("TABLESAMPLE"))
            && (peek().isSymbol("(") || peek().isKeyword("INCLUDE") || peek().isKeyword("EXCLUDE")) { return nil }
        guard explicit || atName else { return nil }
        let name = try parseIdentifier("alias")
        var columns: [String] = []
        if current.isSymbol("("), peek().isNameToken { columns = try parseIdentifierList() }
        return TableAlias(name: name, columns: columns)
    }
}

extension Token {
    /// True for a word or backquoted name.
    var isNameToken: Bool {
        switch kind {
        case .word, .quotedIdentifier: return true
        default: return false
        }
    }
}
