import Columnar
import Engine
import Testing
@testable import SQL

/// The column-wise CSV writer must print exactly what the row-wise `Scalar` rendering prints.
struct CSVResultWriterTests {
    private func bothRenderings(_ sql: String, nullText: String? = nil,
                                timeZone: String? = nil) throws -> (columnWise: String, rowWise: String) {
        let session = Session()
        if let timeZone { try session.sql("SET spark.sql.session.timeZone = \(timeZone)").collect() }
        let frame = try session.sql(sql)
        let formatter = ResultFormatter(format: .csv, nullText: nullText)
        var rowWise = formatter
        rowWise.timeZone = session.timeZone
        return (try formatter.render(frame), rowWise.render(schema: frame.schema, rows: try frame.collect().map(\.values)))
    }

    @Test func flatTypesMatchTheScalarText() throws {
        let sql = """
            SELECT * FROM VALUES
              (CAST(-128 AS TINYINT), CAST(-32768 AS SMALLINT), -2147483648, -9223372036854775808,
               CAST(-0.05 AS DECIMAL(10,2)), 'a,b', DATE'0001-01-01', TIMESTAMP'2024-02-29 12:34:56.5',
               1.5D, true, CAST(1.25 AS FLOAT), array(1, 2)),
              (CAST(127 AS TINYINT), CAST(32767 AS SMALLINT), 2147483647, 9223372036854775807,
               CAST(12345678.9 AS DECIMAL(10,2)), 'say "hi"', DATE'9999-12-31', TIMESTAMP'1969-12-31 23:59:59.999999',
               -0.0D, false, CAST('NaN' AS FLOAT), array()),
              (CAST(0 AS TINYINT), CAST(0 AS SMALLINT), 0, 0, CAST(0 AS DECIMAL(10,2)), 'line\\nbreak', NULL, NULL,
               1e300D, NULL, NULL, NULL),
              (NULL, NULL, NULL, NULL, CAST(-1 AS DECIMAL(10,2)), '', NULL,
               NULL, NULL, NULL, NULL, NULL)
            AS t(a, b, c, d, e, f, g, h, i, j, k, l)
            """
        let (columnWise, rowWise) = try bothRenderings(sql)
        #expect(columnWise == rowWise)
        #expect(columnWise.contains("-0.05,"))
        #expect(columnWise.contains("\"say \"\"hi\"\"\""))
        let withNull = try bothRenderings(sql, nullText: "N,A")
        #expect(withNull.columnWise == withNull.rowWise)
        #expect(withNull.columnWise.contains("\"N,A\""))
    }

    @Test func floatsPrintTheirOwnDigits() throws {
        let sql = "SELECT CAST(0.1 AS FLOAT) AS f, CAST(CAST(0.1 AS FLOAT) AS STRING) AS s, array(CAST(2.2 AS FLOAT)) AS a, CAST(0.1 AS FLOAT) || 'x' AS c"
        let (columnWise, rowWise) = try bothRenderings(sql)
        #expect(columnWise == rowWise)
        #expect(columnWise == "f,s,a,c\n0.1,0.1,[2.2],0.1x\n")
        let table = try ResultFormatter(format: .table).render(try Session().sql(sql))
        #expect(table.contains("| 0.1 | 0.1 | [2.2] | 0.1x |"))
        let shown = try Session().sql(sql).showString()
        #expect(shown.contains("|0.1|0.1|[2.2]|0.1x|"))
    }

    @Test func decimalsPadTheirFraction() throws {
        let (columnWise, rowWise) = try bothRenderings(
            "SELECT CAST(x AS DECIMAL(20,6)) AS d FROM VALUES (0.000001), (-0.000001), (1), (-123456.5), (NULL) AS t(x)")
        #expect(columnWise == rowWise)
        #expect(columnWise == "d\n0.000001\n-0.000001\n1.000000\n-123456.500000\n\n")
    }

    @Test func widestDecimalsUseAll128Bits() throws {
        let (columnWise, rowWise) = try bothRenderings(
            "SELECT CAST('-99999999999999999999999999999999999999' AS DECIMAL(38,0)) AS a, CAST('0.12345678901234567890123456789012345678' AS DECIMAL(38,38)) AS b")
        #expect(columnWise == rowWise)
        #expect(columnWise == "a,b\n-99999999999999999999999999999999999999,0.12345678901234567890123456789012345678\n")
    }

    @Test func timestampsFollowTheSessionZone() throws {
        let (columnWise, rowWise) = try bothRenderings(
            "SELECT TIMESTAMP'2024-06-01 00:00:00' AS t", timeZone: "America/New_York")
        #expect(columnWise == rowWise)
    }

    @Test func manyBatchesKeepTheirOrder() throws {
        let (columnWise, rowWise) = try bothRenderings(
            "SELECT id, CAST(id AS STRING) AS s, CAST(id AS DECIMAL(12,3)) / 7 AS q FROM range(0, 20000)")
        #expect(columnWise == rowWise)
        #expect(columnWise.split(separator: "\n").count == 20001)
    }
}
