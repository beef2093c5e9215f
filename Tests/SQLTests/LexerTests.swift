import Testing
@testable import SQL

@Suite("Lexer")
struct LexerTests {
    private func kinds(_ text: String) throws -> [TokenKind] {
        try Lexer.tokenize(text).map(\.kind)
    }

    @Test func wordsNumbersAndSymbols() throws {
        #expect(try kinds("SELECT a1, 42, 1.50, 1e3, 2L, 3.5BD FROM t") == [
            .word("SELECT"), .word("a1"), .symbol(","), .integer("42"), .symbol(","), .decimal("1.50"), .symbol(","),
            .double("1e3"), .symbol(","), .typedInteger("2", suffix: "L"), .symbol(","), .bigDecimal("3.5"),
            .word("FROM"), .word("t"), .end,
        ])
    }

    @Test func multiCharacterOperators() throws {
        #expect(try kinds("a <=> b <> c != d <= e >= f || g :: h") == [
            .word("a"), .symbol("<=>"), .word("b"), .symbol("<>"), .word("c"), .symbol("!="), .word("d"),
            .symbol("<="), .word("e"), .symbol(">="), .word("f"), .symbol("||"), .word("g"), .symbol("::"),
            .word("h"), .end,
        ])
    }

    @Test func quotedIdentifiersAndStrings() throws {
        #expect(try kinds("`my col` `a``b` 'it\\'s', \"dq\", 'tab\\there', 'a' 'b'") == [
            .quotedIdentifier("my col"), .quotedIdentifier("a`b"), .string("it's"), .symbol(","), .string("dq"),
            .symbol(","), .string("tab\there"), .symbol(","), .string("ab"), .end,
        ])
    }

    @Test func unicodeEscape() throws {
        #expect(try kinds("'\\u00e9'") == [.string("é"), .end])
    }

    @Test func setReadsKeyAndValueAsRawText() throws {
        #expect(try kinds("SET spark.sql.warehouse.dir = /tmp/run-1e5a-9f0b/wh ;SELECT 1") == [
            .word("SET"), .string("spark.sql.warehouse.dir"), .symbol("="), .string("/tmp/run-1e5a-9f0b/wh"),
            .symbol(";"), .word("SELECT"), .integer("1"), .end,
        ])
        #expect(try kinds("set `my.key`='a;b' -- note") == [.word("set"), .string("my.key"), .symbol("="), .string("a;b"), .end])
        #expect(try kinds("SET k=v=w") == [.word("SET"), .string("k"), .symbol("="), .string("v=w"), .end])
        #expect(try kinds("SET -v") == [.word("SET"), .string("-v"), .end])
        #expect(try kinds("SET") == [.word("SET"), .end])
        #expect(try kinds("SET TIME ZONE 'UTC'") == [.word("SET"), .word("TIME"), .word("ZONE"), .string("UTC"), .end])
        // Only a statement's leading SET is raw.
        #expect(try kinds("SELECT 1 AS set") == [.word("SELECT"), .integer("1"), .word("AS"), .word("set"), .end])
        #expect(throws: SQLError.self) { try kinds("SET k='open") }
    }

    @Test func setIsAnOrdinaryNameInExpressions() throws {
        #expect(try Lexer.tokenize("set > 1", statements: false).map(\.kind) == [.word("set"), .symbol(">"), .integer("1"), .end])
        #expect(throws: Never.self) { try Parser.parseExpression("set > 1") }
    }

    @Test func setStatementsKeepTheirValues() throws {
        guard case .set(let key, let value, _) = try Parser.parseStatement("SET spark.sql.shuffle.partitions = 4;") else {
            Issue.record("not a SET statement"); return
        }
        #expect(key == "spark.sql.shuffle.partitions")
        #expect(value == "4")
        guard case .set("path", "/data/2e3x/part 1", _) = try Parser.parseStatement("SET path = /data/2e3x/part 1") else {
            Issue.record("raw value lost"); return
        }
        #expect(throws: SQLError.self) { try Parser.parseStatement("SET = 1") }
    }

    @Test func commentsAreSkippedAndNest() throws {
        #expect(try kinds("a -- line\n/* block /* nested */ still */ b") == [.word("a"), .word("b"), .end])
    }

    @Test func tokensCarryLineAndColumn() throws {
        let tokens = try Lexer.tokenize("SELECT\n  é, x")
        #expect(tokens[1].location == SourceLocation(line: 2, column: 3))
        #expect(tokens[3].location == SourceLocation(line: 2, column: 6))
    }

    @Test func unterminatedStringIsAnErrorAtItsStart() {
        #expect(throws: SQLError("unterminated string literal", at: SourceLocation(line: 1, column: 8))) {
            try Lexer.tokenize("SELECT 'abc")
        }
    }

    @Test func unterminatedCommentIsAnError() {
        #expect(throws: SQLError.self) { try Lexer.tokenize("SELECT /* x") }
    }

    @Test func badNumberSuffixIsAnError() {
        #expect(throws: SQLError.self) { try Lexer.tokenize("SELECT 12abc") }
    }

    @Test func unknownCharacterIsAnError() {
        #expect(throws: SQLError("unexpected character '$'", at: SourceLocation(line: 1, column: 10))) {
            try Lexer.tokenize("SELECT a $")
        }
    }
}
