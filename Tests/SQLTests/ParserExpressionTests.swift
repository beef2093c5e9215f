import Testing
@testable import SQL

/// Renders an expression as fully parenthesized text so tests can state the tree compactly.
func render(_ e: SQLExpr) -> String {
    switch e.kind {
    case .column(let parts): return parts.joined(separator: ".")
    case .literal(let lit):
        switch lit {
        case .null: return "NULL"
        case .boolean(let b): return b ? "TRUE" : "FALSE"
        case .integer(let n), .decimal(let n), .double(let n): return n
        case .typedInteger(let n, let s): return "\(n)\(s)"
        case .string(let s): return "'\(s)'"
        case .date(let s): return "DATE '\(s)'"
        case .timestamp(let s): return "TIMESTAMP '\(s)'"
        case .binary(let s): return "X'\(s)'"
        case .interval(let i): return "INTERVAL(\(i.months)m \(i.days)d \(i.microseconds)us)"
        }
    case .star(let q): return (q + ["*"]).joined(separator: ".")
    case .unary(let op, let x): return "(\(op.rawValue) \(render(x)))"
    case .binary(let op, let a, let b): return "(\(render(a)) \(op.rawValue) \(render(b)))"
    case .isNull(let x, let n): return "(\(render(x)) IS \(n ? "NOT " : "")NULL)"
    case .isDistinctFrom(let a, let b, let n): return "(\(render(a)) IS \(n ? "NOT " : "")DISTINCT FROM \(render(b)))"
    case .between(let x, let lo, let hi, let n):
        return "(\(render(x)) \(n ? "NOT " : "")BETWEEN \(render(lo)) AND \(render(hi)))"
    case .like(let x, let p, let k, let n, _): return "(\(render(x)) \(n ? "NOT " : "")\(k.rawValue) \(render(p)))"
    case .inList(let x, let items, let n):
        return "(\(render(x)) \(n ? "NOT " : "")IN (\(items.map(render).joined(separator: ", "))))"
    case .inSubquery(let x, _, let n): return "(\(render(x)) \(n ? "NOT " : "")IN (subquery))"
    case .exists(_, let n): return "(\(n ? "NOT " : "")EXISTS (subquery))"
    case .scalarSubquery: return "(subquery)"
    case .caseWhen(let op, let branches, let other):
        var s = "CASE"
        if let op { s += " \(render(op))" }
        for b in branches { s += " WHEN \(render(b.when)) THEN \(render(b.then))" }
        if let other { s += " ELSE \(render(other))" }
        return s + " END"
    case .cast(let x, let t, _):
        let params = t.parameters.isEmpty ? "" : "(\(t.parameters.map(String.init).joined(separator: ",")))"
        return "CAST(\(render(x)) AS \(t.name)\(params))"
    case .function(let f):
        var s = f.name.joined(separator: ".") + "(" + (f.distinct ? "DISTINCT " : "")
        s += f.arguments.map(render).joined(separator: ", ") + ")"
        if f.over != nil { s += " OVER" }
        return s
    case .extract(let field, let x): return "EXTRACT(\(field) FROM \(render(x)))"
    case .substring(let x, let from, let len):
        return "SUBSTRING(\(render(x)), \(render(from))\(len.map { ", " + render($0) } ?? ""))"
    case .trim(let x, let side, let chars):
        return "TRIM(\(side.rawValue) \(chars.map(render) ?? "") FROM \(render(x)))"
    case .position(let n, let h): return "POSITION(\(render(n)) IN \(render(h)))"
    case .element(let b, let i): return "\(render(b))[\(render(i))]"
    case .field(let b, let f): return "\(render(b)).\(f)"
    case .lambda(let ps, let body): return "(\(ps.joined(separator: ", ")) -> \(render(body)))"
    }
}

@Suite("Parser: expressions")
struct ParserExpressionTests {
    private func parse(_ text: String) throws -> String { render(try Parser.parseExpression(text)) }

    @Test func arithmeticPrecedence() throws {
        #expect(try parse("1 + 2 * 3 - 4 / 2") == "((1 + (2 * 3)) - (4 / 2))")
        #expect(try parse("(1 + 2) * 3") == "((1 + 2) * 3)")
        #expect(try parse("a || b + c") == "((a || b) + c)")
        #expect(try parse("7 DIV 2 % 3") == "((7 DIV 2) % 3)")
    }

    @Test func booleanPrecedence() throws {
        #expect(try parse("a OR b AND NOT c = 1") == "(a OR (b AND (NOT (c = 1))))")
        #expect(try parse("NOT a IS NULL") == "(NOT (a IS NULL))")
    }

    @Test func negativeLiteralsFoldTheSign() throws {
        #expect(try parse("-9223372036854775808") == "-9223372036854775808")
        #expect(try parse("- x") == "(- x)")
        #expect(try parse("1 - -2") == "(1 - -2)")
    }

    @Test func predicates() throws {
        #expect(try parse("x BETWEEN 1 AND 2 AND y NOT BETWEEN a AND b")
            == "((x BETWEEN 1 AND 2) AND (y NOT BETWEEN a AND b))")
        #expect(try parse("x NOT IN (1, 2, 3)") == "(x NOT IN (1, 2, 3))")
        #expect(try parse("x IN (SELECT y FROM t)") == "(x IN (subquery))")
        #expect(try parse("name NOT LIKE '%a%'") == "(name NOT LIKE '%a%')")
        #expect(try parse("x IS NOT NULL") == "(x IS NOT NULL)")
        #expect(try parse("a IS DISTINCT FROM b") == "(a IS DISTINCT FROM b)")
        #expect(try parse("NOT EXISTS (SELECT 1)") == "(NOT EXISTS (subquery))")
        #expect(try parse("a <=> b") == "(a <=> b)")
    }

    @Test func caseAndCast() throws {
        #expect(try parse("CASE WHEN a > 1 THEN 'x' ELSE 'y' END") == "CASE WHEN (a > 1) THEN 'x' ELSE 'y' END")
        #expect(try parse("CASE a WHEN 1 THEN 2 END") == "CASE a WHEN 1 THEN 2 END")
        #expect(try parse("CAST(x AS DECIMAL(15, 2))") == "CAST(x AS DECIMAL(15,2))")
        #expect(try parse("x::int + 1") == "(CAST(x AS INT) + 1)")
    }

    @Test func typedLiterals() throws {
        #expect(try parse("DATE '1998-12-01' - INTERVAL '90' DAY") == "(DATE '1998-12-01' - INTERVAL(0m 90d 0us))")
        #expect(try parse("INTERVAL 3 MONTHS") == "INTERVAL(3m 0d 0us)")
        #expect(try parse("INTERVAL 1 YEAR 2 MONTHS 3 DAYS") == "INTERVAL(14m 3d 0us)")
        #expect(try parse("INTERVAL '1 day 2 hours'") == "INTERVAL(0m 1d 7200000000us)")
        #expect(try parse("INTERVAL '1-2' YEAR TO MONTH") == "INTERVAL(14m 0d 0us)")
        #expect(try parse("INTERVAL '1 10:30:00.5' DAY TO SECOND") == "INTERVAL(0m 1d 37800500000us)")
        #expect(try parse("INTERVAL -2 WEEKS") == "INTERVAL(0m -14d 0us)")
        #expect(try parse("TIMESTAMP '2020-01-01 10:00:00'") == "TIMESTAMP '2020-01-01 10:00:00'")
        #expect(try parse("X'4a6B' || x\"00\"") == "(X'4a6B' || X'00')")
        // Only a quote right after the X makes a binary literal.
        #expect(throws: SQLError.self) { try parse("x 'a'") }
    }

    @Test func specialFunctionForms() throws {
        #expect(try parse("EXTRACT(year FROM d)") == "EXTRACT(YEAR FROM d)")
        #expect(try parse("SUBSTRING(p FROM 1 FOR 2)") == "SUBSTRING(p, 1, 2)")
        #expect(try parse("substr(p, 3)") == "SUBSTRING(p, 3)")
        #expect(try parse("TRIM(LEADING 'x' FROM s)") == "TRIM(LEADING 'x' FROM s)")
        #expect(try parse("POSITION('a' IN s)") == "POSITION('a' IN s)")
    }

    @Test func functionCalls() throws {
        #expect(try parse("count(*)") == "count(*)")
        #expect(try parse("COUNT(DISTINCT a)") == "COUNT(DISTINCT a)")
        #expect(try parse("t.*") == "t.*")
        #expect(try parse("sum(x) OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)")
            == "sum(x) OVER")
        #expect(try parse("arr[0]") == "arr[0]")
        #expect(try parse("arr[0].f.g") == "arr[0].f.g")
        #expect(try parse("s.a.b") == "s.a.b")
        #expect(try parse("transform(a, x -> x + 1)") == "transform(a, (x -> (x + 1)))")
        #expect(try parse("transform(a, (x, i) -> x * i)") == "transform(a, (x, i -> (x * i)))")
    }

    @Test func windowSpecification() throws {
        let e = try Parser.parseExpression(
            "row_number() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST RANGE BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)")
        guard case .function(let f) = e.kind, case .inline(let spec)? = f.over else {
            Issue.record("not a window call")
            return
        }
        #expect(spec.partitionBy.map(render) == ["a", "b"])
        #expect(spec.orderBy.count == 1 && spec.orderBy[0].ascending == false && spec.orderBy[0].nullsFirst == false)
        #expect(spec.frame?.units == .range)
        #expect(spec.frame?.start == .unboundedPreceding)
        guard case .following(let n)? = spec.frame?.end else {
            Issue.record("frame end")
            return
        }
        #expect(render(n) == "2")
    }

    @Test func errorsPointAtTheToken() {
        #expect(throws: SQLError("expected expression, found end of input", at: SourceLocation(line: 1, column: 4))) {
            try Parser.parseExpression("1 +")
        }
        #expect(throws: SQLError("expected ')', found 'b'", at: SourceLocation(line: 2, column: 3))) {
            try Parser.parseExpression("(a\n  b)")
        }
        #expect(throws: SQLError("expected WHEN, found 'END'", at: SourceLocation(line: 1, column: 6))) {
            try Parser.parseExpression("CASE END")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(throws: SQLError.self) { try Parser.parseExpression(deep) }
        let minus = String(repeating: "- ", count: 5000) + "x"
        #expect(throws: SQLError.self) { try Parser.parseExpression(minus) }
    }

    @Test func invalidIntervalsAreErrors() {
        #expect(throws: SQLError.self) { try Parser.parseExpression("INTERVAL '1.5' MONTH") }
        #expect(throws: SQLError.self) { try Parser.parseExpression("INTERVAL '99999999999' YEAR") }
        #expect(throws: SQLError.self) { try Parser.parseExpression("INTERVAL 'nonsense'") }
    }
}
