import Columnar
import Testing
@testable import SQL

@Suite("Shell: output formats and scripts")
struct ShellTests {
    private let schema = Schema([Field("id", .int32), Field("name", .string), Field("price", .decimal(precision: 5, scale: 2))])
    private let rows: [[Scalar]] = [
        [.int(1), .string("plain"), .decimal(DecimalValue(unscaled: 150, scale: 2))],
        [.int(22), .string("has,comma \"q\""), .null],
    ]

    @Test func tableAlignsNumbersRightAndCountsRows() {
        let text = ResultFormatter(format: .table).render(schema: schema, rows: rows)
        #expect(text == """
            +----+---------------+-------+
            | id | name          | price |
            +----+---------------+-------+
            |  1 | plain         |  1.50 |
            | 22 | has,comma "q" |  NULL |
            +----+---------------+-------+
            (2 rows)

            """)
    }

    @Test func multiLineCellsSpanTableLines() {
        let text = ResultFormatter(format: .table).render(schema: Schema([Field("plan", .string)]),
                                                          rows: [[.string("Project\n  Scan t")]])
        #expect(text == """
            +----------+
            | plan     |
            +----------+
            | Project  |
            |   Scan t |
            +----------+
            (1 row)

            """)
    }

    @Test func csvHasAHeaderAndQuotesWhereNeeded() {
        let text = ResultFormatter(format: .csv).render(schema: schema, rows: rows)
        #expect(text == "id,name,price\n1,plain,1.50\n22,\"has,comma \"\"q\"\"\",\n")
        let explicitNull = ResultFormatter(format: .csv, nullText: "NULL").render(schema: schema, rows: rows)
        #expect(explicitNull.hasSuffix(",NULL\n"))
    }

    @Test func jsonLinesKeepDecimalsExactAndNullsNull() {
        let text = ResultFormatter(format: .json).render(schema: schema, rows: rows)
        #expect(text == "{\"id\":1,\"name\":\"plain\",\"price\":1.50}\n{\"id\":22,\"name\":\"has,comma \\\"q\\\"\",\"price\":null}\n")
    }

    @Test func resultsWithoutColumnsPrintNothing() {
        #expect(ResultFormatter(format: .table).render(schema: Schema([]), rows: [[]]) == "")
    }

    @Test func completenessWaitsForASemicolonOutsideStrings() {
        #expect(!SQLScript.isComplete("SELECT 1"))
        #expect(SQLScript.isComplete("SELECT 1;"))
        #expect(SQLScript.isComplete("SELECT\n 1 ;  -- done"))
        #expect(!SQLScript.isComplete("SELECT ';"))
        #expect(!SQLScript.isComplete("SELECT 1 /* ; */"))
        #expect(!SQLScript.isComplete(""))
        // A lexical error other than an open string or comment is reported, not waited on.
        #expect(SQLScript.isComplete("SELECT 'a' $;"))
    }

    @Test func scriptsRunUpToTheFirstError() {
        var seen = 0
        #expect(throws: SQLError.self) {
            try SQLScript("SELECT 1; SELECT 2;\nSELECT FROM;\nSELECT 3").forEachStatement { _ in seen += 1 }
        }
        #expect(seen == 2)
    }

    @Test func errorsShowTheLineWithACaret() {
        let script = SQLScript("SELECT a\nFROM WHERE")
        #expect(script.describe(error: "boom", line: 2, column: 6) == "boom\n  FROM WHERE\n       ^")
        #expect(script.describe(error: "boom", line: nil, column: nil) == "boom")
        #expect(script.describe(error: "boom", line: 9, column: 1) == "boom")
    }
}
