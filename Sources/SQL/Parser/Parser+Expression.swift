// Expressions by precedence climbing, lowest first:
// OR < AND < NOT < predicates (comparisons, IS, BETWEEN, IN, LIKE) < | < ^ < & < + - || < * / % DIV
// < unary sign and ~ < postfix (::type, [index], .field).

extension Parser {
    /// Parses one expression.
    public mutating func parseExpression() throws -> SQLExpr {
        try enterNesting()
        defer { leaveNesting() }
        return try parseOr()
    }

    private mutating func parseOr() throws -> SQLExpr {
        var lhs = try parseAnd()
        while current.isKeyword("OR") {
            advance()
            let rhs = try parseAnd()
            lhs = SQLExpr(.binary(.or, lhs, rhs), at: lhs.location)
        }
        return lhs
    }

    private mutating func parseAnd() throws -> SQLExpr {
        var lhs = try parseNot()
        while current.isKeyword("AND") {
            advance()
            let rhs = try parseNot()
            lhs = SQLExpr(.binary(.and, lhs, rhs), at: lhs.location)
        }
        return lhs
    }

    private mutating func parseNot() throws -> SQLExpr {
        let start = current.location
        if current.isKeyword("NOT") || current.isSymbol("!") {
            advance()
            try enterNesting()
            defer { leaveNesting() }
            let operand = try parseNot()
            if case .exists(let q, let negated) = operand.kind {
                return SQLExpr(.exists(q, negated: !negated), at: start)
            }
            return SQLExpr(.unary(.not, operand), at: start)
        }
        return try parsePredicate()
    }

    private static let comparisons: [String: SQLBinaryOperator] = [
        "=": .equal, "==": .equal, "<>": .notEqual, "!=": .notEqual, "<=>": .nullSafeEqual,
        "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func parsePredicate() throws -> SQLExpr {
        var lhs = try parseBinary(level: 0)
        while true {
            if case .symbol(let s) = current.kind, let op = Self.comparisons[s] {
                advance()
                let rhs = try parseBinary(level: 0)
                lhs = SQLExpr(.binary(op, lhs, rhs), at: lhs.location)
                continue
            }
            if current.isKeyword("IS") {
                advance()
                let negated = consumeKeyword("NOT")
                if consumeKeyword("NULL") {
                    lhs = SQLExpr(.isNull(lhs, negated: negated), at: lhs.location)
                } else if consumeKeywords("DISTINCT", "FROM") {
                    let rhs = try parseBinary(level: 0)
                    lhs = SQLExpr(.isDistinctFrom(lhs, rhs, negated: negated), at: lhs.location)
                } else if current.isKeyword("TRUE") || current.isKeyword("FALSE") {
                    // x IS TRUE is null-safe equality with the boolean.
                    let value = current.isKeyword("TRUE")
                    let literal = SQLExpr(.literal(.boolean(value)), at: current.location)
                    advance()
                    lhs = SQLExpr(.isDistinctFrom(lhs, literal, negated: !negated), at: lhs.location)
                } else {
                    throw expected("NULL, TRUE, FALSE or DISTINCT FROM after IS")
                }
                continue
            }
            let negated = current.isKeyword("NOT")
                && (peek().isKeyword("BETWEEN") || peek().isKeyword("IN") || peek().isKeyword("LIKE")
                    || peek().isKeyword("ILIKE") || peek().isKeyword("RLIKE") || peek().isKeyword("REGEXP"))
            if negated { advance() }
            if consumeKeyword("BETWEEN") {
                let low = try parseBinary(level: 0)
                try expectKeyword("AND")
                let high = try parseBinary(level: 0)
                lhs = SQLExpr(.between(lhs, low: low, high: high, negated: negated), at: lhs.location)
            } else if consumeKeyword("IN") {
                lhs = try parseInTail(lhs, negated: negated)
            } else if let kind = consumeLikeKeyword() {
                let pattern = try parseBinary(level: 0)
                var escape: String?
                if consumeKeyword("ESCAPE") {
                    guard case .string(let e) = current.kind, e.count == 1 else {
                        throw expected("a one-character ESCAPE string")
                    }
                    escape = e
                    advance()
                }
                lhs = SQLExpr(.like(lhs, pattern: pattern, kind: kind, negated: negated, escape: escape), at: lhs.location)
            } else if negated {
                throw expected("BETWEEN, IN or LIKE after NOT")
            } else {
                return lhs
            }
        }
    }

    private mutating func consumeLikeKeyword() -> LikeKind? {
        if consumeKeyword("LIKE") { return .like }
        if consumeKeyword("ILIKE") { return .ilike }
        if consumeKeyword("RLIKE") || consumeKeyword("REGEXP") { return .rlike }
        return nil
    }

    private mutating func parseInTail(_ lhs: SQLExpr, negated: Bool) throws -> SQLExpr {
        try expectSymbol("(")
        if current.isKeyword("SELECT") || current.isKeyword("WITH") || current.isKeyword("VALUES") {
            let query = try parseQuery()
            try expectSymbol(")")
            return SQLExpr(.inSubquery(lhs, query, negated: negated), at: lhs.location)
        }
        var items = [try parseExpression()]
        while consumeSymbol(",") { items.append(try parseExpression()) }
        try expectSymbol(")")
        return SQLExpr(.inList(lhs, items, negated: negated), at: lhs.location)
    }

    /// Binary operator levels above the predicates, lowest first.
    private static let binaryLevels: [[String: SQLBinaryOperator]] = [
        ["|": .bitwiseOr],
        ["^": .bitwiseXor],
        ["&": .bitwiseAnd],
        ["+": .add, "-": .subtract, "||": .concat],
        ["*": .multiply, "/": .divide, "%": .modulo],
    ]

    private mutating func parseBinary(level: Int) throws -> SQLExpr {
        if level == Self.binaryLevels.count { return try parseUnary() }
        var lhs = try parseBinary(level: level + 1)
        while true {
            var op: SQLBinaryOperator?
            if case .symbol(let s) = current.kind { op = Self.binaryLevels[level][s] }
            if op == nil, level == Self.binaryLevels.count - 1, current.isKeyword("DIV") { op = .integerDivide }
            guard let found = op else { return lhs }
            advance()
            let rhs = try parseBinary(level: level + 1)
            lhs = SQLExpr(.binary(found, lhs, rhs), at: lhs.location)
        }
    }

    private mutating func parseUnary() throws -> SQLExpr {
        let start = current.location
        let op: SQLUnaryOperator?
        if current.isSymbol("-") { op = .negate } else if current.isSymbol("+") { op = .plus }
        else if current.isSymbol("~") { op = .bitwiseNot } else { op = nil }
        guard let op else { return try parsePostfix() }
        advance()
        try enterNesting()
        defer { leaveNesting() }
        let operand = try parseUnary()
        // Fold the sign into numeric literals so that -9223372036854775808 stays in range.
        if op == .negate, case .literal(let lit) = operand.kind {
            switch lit {
            case .integer(let n): return SQLExpr(.literal(.integer("-" + n)), at: start)
            case .decimal(let n): return SQLExpr(.literal(.decimal("-" + n)), at: start)
            case .double(let n): return SQLExpr(.literal(.double("-" + n)), at: start)
            case .typedInteger(let n, let s): return SQLExpr(.literal(.typedInteger("-" + n, suffix: s)), at: start)
            default: break
            }
        }
        return SQLExpr(.unary(op, operand), at: start)
    }

    private mutating func parsePostfix() throws -> SQLExpr {
        var expr = try parsePrimary()
        while true {
            if consumeSymbol("::") {
                let type = try parseTypeName()
                expr = SQLExpr(.cast(expr, type, isTry: false), at: expr.location)
            } else if consumeSymbol("[") {
                let index = try parseExpression()
                try expectSymbol("]")
                expr = SQLExpr(.element(expr, index), at: expr.location)
            } else if current.isSymbol("."), peek().isNameToken {
                // `expr.field` on a value that is not a plain name: `a[0].f`, `(s).f`, `f(x).g`.
                advance()
                let name = try parseAnyIdentifier()
                expr = SQLExpr(.field(expr, name), at: expr.location)
            } else {
                return expr
            }
        }
    }

    // MARK: Primaries

    private mutating func parsePrimary() throws -> SQLExpr {
        let start = current.location
        switch current.kind {
        case .integer(let n):
            advance()
            return SQLExpr(.literal(.integer(n)), at: start)
        case .decimal(let n):
            advance()
            return SQLExpr(.literal(.decimal(n)), at: start)
        case .double(let n):
            advance()
            return SQLExpr(.literal(.double(n)), at: start)
        case .bigDecimal(let n):
            advance()
            return SQLExpr(.literal(.decimal(n)), at: start)
        case .typedInteger(let n, let s):
            advance()
            return SQLExpr(.literal(.typedInteger(n, suffix: s)), at: start)
        case .string(let s):
            advance()
            return SQLExpr(.literal(.string(s)), at: start)
        case .symbol("*"):
            advance()
            return SQLExpr(.star(qualifier: []), at: start)
        case .symbol("("):
            return try parseParenthesized()
        case .quotedIdentifier:
            return try parseNameOrCall()
        case .word(let w):
            if let special = try parseKeywordExpression(w.uppercased(), start: start) { return special }
            return try parseNameOrCall()
        default:
            throw expected("expression")
        }
    }

    private mutating func parseParenthesized() throws -> SQLExpr {
        let start = current.location
        advance()
        if current.isKeyword("SELECT") || current.isKeyword("WITH") {
            let query = try parseQuery()
            try expectSymbol(")")
            return SQLExpr(.scalarSubquery(query), at: start)
        }
        let inner = try parseExpression()
        if current.isSymbol(",") {
            throw SQLError("row values (a, b, …) are not supported here", at: current.location)
        }
        try expectSymbol(")")
        return inner
    }

    /// Expressions introduced by a keyword; nil when the word is an ordinary name.
    private mutating func parseKeywordExpression(_ word: String, start: SourceLocation) throws -> SQLExpr? {
        let next = peek()
        switch word {
        case "NULL":
            advance()
            return SQLExpr(.literal(.null), at: start)
        case "TRUE", "FALSE":
            advance()
            return SQLExpr(.literal(.boolean(word == "TRUE")), at: start)
        case "DATE", "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ":
            guard case .string(let text) = next.kind else { return nil }
            advance(); advance()
            return SQLExpr(.literal(word == "DATE" ? .date(text) : .timestamp(text)), at: start)
        case "X":
            // X'4A6B': a binary literal, the quote right after the X.
            guard case .string(let digits) = next.kind, next.location.line == start.line,
                  next.location.column == start.column + 1 else { return nil }
            advance(); advance()
            return SQLExpr(.literal(.binary(digits)), at: start)
        case "INTERVAL":
            advance()
            return SQLExpr(.literal(.interval(try parseIntervalBody(start: start))), at: start)
        case "CASE":
            advance()
            return try parseCase(start: start)
        case "CAST", "TRY_CAST":
            guard next.isSymbol("(") else { return nil }
            advance(); advance()
            let value = try parseExpression()
            try expectKeyword("AS")
            let type = try parseTypeName()
            try expectSymbol(")")
            return SQLExpr(.cast(value, type, isTry: word == "TRY_CAST"), at: start)
        case "EXISTS":
            guard next.isSymbol("(") else { return nil }
            // exists(array, x -> …) is the higher-order function, not a subquery.
            if !(peek(2).isKeyword("SELECT") || peek(2).isKeyword("WITH") || peek(2).isKeyword("VALUES") || peek(2).isSymbol("(")) {
                return nil
            }
            advance(); advance()
            let query = try parseQuery()
            try expectSymbol(")")
            return SQLExpr(.exists(query, negated: false), at: start)
        case "EXTRACT":
            guard next.isSymbol("(") else { return nil }
            advance(); advance()
            let field = try parseAnyIdentifier().uppercased()
            try expectKeyword("FROM")
            let source = try parseExpression()
            try expectSymbol(")")
            return SQLExpr(.extract(field: field, source), at: start)
        case "SUBSTRING", "SUBSTR":
            guard next.isSymbol("(") else { return nil }
            return try parseSubstring(start: start)
        case "TRIM":
            guard next.isSymbol("(") else { return nil }
            return try parseTrim(start: start)
        case "POSITION":
            guard next.isSymbol("(") else { return nil }
            let save = position
            advance(); advance()
            let needle = try parseBinary(level: 0)
            guard consumeKeyword("IN") else {
                // position(substr, str[, pos]) is the ordinary function form.
                position = save
                return nil
            }
            let haystack = try parseExpression()
            try expectSymbol(")")
            return SQLExpr(.position(needle: needle, haystack: haystack), at: start)
        case "FILTER" where next.isSymbol("("):
            // filter(array, x -> …), the higher-order function.
            return nil
        case "LEFT" where next.isSymbol("("), "RIGHT" where next.isSymbol("("):
            // left(str, n) and right(str, n), the string functions.
            return nil
        default:
            if Self.reservedWords.contains(word) && !Self.clauseOnlyWords.contains(word) { throw expected("expression") }
            return nil
        }
    }

    private mutating func parseCase(start: SourceLocation) throws -> SQLExpr {
        var operand: SQLExpr?
        if !current.isKeyword("WHEN") && !current.isKeyword("END") { operand = try parseExpression() }
        var branches: [CaseBranch] = []
        while consumeKeyword("WHEN") {
            let when = try parseExpression()
            try expectKeyword("THEN")
            branches.append(CaseBranch(when: when, then: try parseExpression()))
        }
        guard !branches.isEmpty else { throw expected("WHEN") }
        var otherwise: SQLExpr?
        if consumeKeyword("ELSE") { otherwise = try parseExpression() }
        try expectKeyword("END")
        return SQLExpr(.caseWhen(operand: operand, branches: branches, otherwise: otherwise), at: start)
    }

    private mutating func parseSubstring(start: SourceLocation) throws -> SQLExpr {
        advance(); advance()
        let value = try parseExpression()
        let from: SQLExpr
        var length: SQLExpr?
        if consumeKeyword("FROM") {
            from = try parseExpression()
            if consumeKeyword("FOR") { length = try parseExpression() }
        } else {
            try expectSymbol(",")
            from = try parseExpression()
            if consumeSymbol(",") { length = try parseExpression() }
        }
        try expectSymbol(")")
        return SQLExpr(.substring(value, from: from, length: length), at: start)
    }

    private mutating func parseTrim(start: SourceLocation) throws -> SQLExpr {
        advance(); advance()
        var side = TrimSide.both
        var sideGiven = false
        if current.isKeyword("BOTH") || current.isKeyword("LEADING") || current.isKeyword("TRAILING"),
           let s = TrimSide(rawValue: current.displayText.dropFirst().dropLast().uppercased()) {
            side = s
            sideGiven = true
            advance()
        }
        var characters: SQLExpr?
        var value: SQLExpr
        if sideGiven && consumeKeyword("FROM") {
            value = try parseExpression()
        } else {
            value = try parseExpression()
            if consumeKeyword("FROM") {
                characters = value
                value = try parseExpression()
            } else if !sideGiven, consumeSymbol(",") {
                // trim(str, chars) is Spark's function form.
                characters = try parseExpression()
            }
        }
        try expectSymbol(")")
        return SQLExpr(.trim(value, side: side, characters: characters), at: start)
    }

    private mutating func parseNameOrCall() throws -> SQLExpr {
        let start = current.location
        var parts = [try parseAnyIdentifier()]
        while current.isSymbol(".") {
            if peek().isSymbol("*") {
                advance(); advance()
                return SQLExpr(.star(qualifier: parts), at: start)
            }
            guard peek().isNameToken else { break }
            advance()
            parts.append(try parseAnyIdentifier())
        }
        guard current.isSymbol("(") else { return SQLExpr(.column(parts), at: start) }
        return SQLExpr(.function(try parseCallTail(name: parts)), at: start)
    }

    private mutating func parseCallTail(name: [String]) throws -> FunctionCall {
        try expectSymbol("(")
        var call = FunctionCall(name: name, arguments: [])
        if consumeKeyword("DISTINCT") { call.distinct = true } else { _ = consumeKeyword("ALL") }
        // struct(a AS x, b AS y) names its fields; it is named_struct('x', a, 'y', b).
        let isStruct = name.count == 1 && name[0].lowercased() == "struct"
        var fieldNames: [String?] = []
        if !current.isSymbol(")") {
            repeat {
                let argument = try parseLambdaOrExpression()
                call.arguments.append(argument)
                fieldNames.append(isStruct && consumeKeyword("AS") ? try parseIdentifier("field name") : nil)
            } while consumeSymbol(",")
        }
        try expectSymbol(")")
        if fieldNames.contains(where: { $0 != nil }) {
            var pairs: [SQLExpr] = []
            for (i, a) in call.arguments.enumerated() {
                var field = fieldNames[i] ?? "col\(i + 1)"
                if fieldNames[i] == nil, case .column(let parts) = a.kind, let last = parts.last { field = last }
                pairs += [SQLExpr(.literal(.string(field)), at: a.location), a]
            }
            call = FunctionCall(name: ["named_struct"], arguments: pairs)
        }
        if consumeKeywords("WITHIN", "GROUP") {
            try expectSymbol("(")
            try expectKeyword("ORDER")
            try expectKeyword("BY")
            call.withinGroup = try parseOrderItems()
            try expectSymbol(")")
        }
        if consumeKeywords("IGNORE", "NULLS") { call.ignoreNulls = true } else { _ = consumeKeywords("RESPECT", "NULLS") }
        if consumeKeyword("FILTER") {
            try expectSymbol("(")
            try expectKeyword("WHERE")
            call.filter = try parseExpression()
            try expectSymbol(")")
        }
        if consumeKeyword("OVER") {
            if current.isSymbol("(") {
                call.over = .inline(try parseWindowSpec())
            } else {
                let at = current.location
                call.over = .named(try parseIdentifier("window name or '('"), at: at)
            }
        }
        return call
    }

    /// A function argument: a lambda `x -> body` / `(x, i) -> body`, or an expression.
    private mutating func parseLambdaOrExpression() throws -> SQLExpr {
        let start = current.location
        var params: [String] = []
        if current.isNameToken && peek().isSymbol("->") {
            params = [try parseAnyIdentifier()]
        } else if current.isSymbol("(") {
            // `(a, b) ->`: look ahead for names, commas and `) ->` only.
            var k = 1
            var names: [String] = []
            while true {
                let t = peek(k)
                guard t.isNameToken, case .word(let w) = t.kind else { break }
                names.append(w)
                if peek(k + 1).isSymbol(",") { k += 2; continue }
                if peek(k + 1).isSymbol(")") && peek(k + 2).isSymbol("->") {
                    for _ in 0..<(k + 2) { advance() }
                    params = names
                }
                break
            }
        }
        guard !params.isEmpty else { return try parseExpression() }
        try expectSymbol("->")
        return SQLExpr(.lambda(params: params, body: try parseExpression()), at: start)
    }

    /// `( [base] [PARTITION BY …] [ORDER BY …] [frame] )`.
    mutating func parseWindowSpec() throws -> SQLWindowSpec {
        try expectSymbol("(")
        var spec = SQLWindowSpec()
        if atName && !current.isKeyword("PARTITION") && !current.isKeyword("ROWS") && !current.isKeyword("RANGE")
            && !current.isKeyword("DISTRIBUTE") && !current.isKeyword("SORT") {
            spec.base = try parseIdentifier()
        }
        if consumeKeywords("PARTITION", "BY") || consumeKeywords("DISTRIBUTE", "BY") {
            repeat { spec.partitionBy.append(try parseExpression()) } while consumeSymbol(",")
        }
        if consumeKeywords("ORDER", "BY") || consumeKeywords("SORT", "BY") {
            spec.orderBy = try parseOrderItems()
        }
        if current.isKeyword("ROWS") || current.isKeyword("RANGE") {
            let units: SQLWindowFrame.Units = current.isKeyword("ROWS") ? .rows : .range
            advance()
            if consumeKeyword("BETWEEN") {
                let lower = try parseFrameBound()
                try expectKeyword("AND")
                spec.frame = SQLWindowFrame(units: units, start: lower, end: try parseFrameBound())
            } else {
                spec.frame = SQLWindowFrame(units: units, start: try parseFrameBound(), end: .currentRow)
            }
        }
        try expectSymbol(")")
        return spec
    }

    private mutating func parseFrameBound() throws -> SQLWindowFrame.Bound {
        if consumeKeywords("UNBOUNDED", "PRECEDING") { return .unboundedPreceding }
        if consumeKeywords("UNBOUNDED", "FOLLOWING") { return .unboundedFollowing }
        if consumeKeywords("CURRENT", "ROW") { return .currentRow }
        let offset = try parseBinary(level: 0)
        if consumeKeyword("PRECEDING") { return .preceding(offset) }
        if consumeKeyword("FOLLOWING") { return .following(offset) }
        throw expected("PRECEDING or FOLLOWING")
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST], …`.
    mutating func parseOrderItems() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            var item = OrderItem(expr: try parseExpression())
            if consumeKeyword("DESC") { item.ascending = false } else { _ = consumeKeyword("ASC") }
            if consumeKeywords("NULLS", "FIRST") { item.nullsFirst = true }
            else if consumeKeywords("NULLS", "LAST") { item.nullsFirst = false }
            items.append(item)
        } while consumeSymbol(",")
        return items
    }

    // MARK: Types

    /// `INT`, `DECIMAL(15,2)`, `VARCHAR(25)`, `ARRAY<INT>`, `MAP<STRING, INT>`.
    mutating func parseTypeName() throws -> SQLTypeName {
        guard case .word(let w) = current.kind else { throw expected("type name") }
        advance()
        var type = SQLTypeName(name: w.uppercased())
        if consumeSymbol("(") {
            repeat {
                guard case .integer(let n) = current.kind, let v = Int(n) else { throw expected("integer type parameter") }
                type.parameters.append(v)
                advance()
            } while consumeSymbol(",")
            try expectSymbol(")")
        } else if consumeSymbol("<") {
            if type.name == "STRUCT" {
                // STRUCT<name [:] type, …>: field names next to their types.
                if !current.isSymbol(">") {
                    repeat {
                        type.fieldNames.append(try parseAnyIdentifier())
                        _ = consumeSymbol(":")
                        type.arguments.append(try parseTypeName())
                        if consumeKeyword("NOT") { try expectKeyword("NULL") }
                    } while consumeSymbol(",")
                }
            } else {
                repeat { type.arguments.append(try parseTypeName()) } while consumeSymbol(",")
            }
            try expectClosingAngle()
        }
        return type
    }

    /// Consumes one `>`, splitting a `>>` token that closes two nested type arguments.
    private mutating func expectClosingAngle() throws {
        if consumeSymbol(">") { return }
        if current.isSymbol(">>") {
            let loc = current.location
            tokens[position] = Token(.symbol(">"), at: SourceLocation(line: loc.line, column: loc.column + 1))
            return
        }
        throw expected("'>'")
    }
}
