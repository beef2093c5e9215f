import Columnar
import Testing
@testable import Engine

@Suite struct CSVReaderTests {
    @Test func headerAndInferredTypes() throws {
        let path = try temporaryFile("id,name,price,day\n1,apple,1.5,2024-01-02\n2,\"pear, green\",,2024-02-03\n3,\"say \"\"hi\"\"\",3,\n")
        let df = try testSession().read.option("header", "true").option("inferSchema", "true").csv(path)
        #expect(df.schema.fields.map(\.type) == [.int32, .string, .float64, .date])
        #expect(try texts(df) == [["1", "apple", "1.5", "2024-01-02"],
                                  ["2", "pear, green", "NULL", "2024-02-03"],
                                  ["3", "say \"hi\"", "3.0", "NULL"]])
    }

    @Test func explicitSchemaWithDecimalsAndDelimiter() throws {
        let path = try temporaryFile("1|10.50|A|\n2|0.07|B|\n")
        let df = try testSession().read.option("sep", "|").schema("k INT, v DECIMAL(15,2), s STRING").csv(path)
        #expect(try texts(df) == [["1", "10.50", "A"], ["2", "0.07", "B"]])
    }

    @Test func failFastNamesFileLineAndColumn() throws {
        let path = try temporaryFile("a,b\n1,2\n3,x\n")
        let df = try testSession().read.option("header", "true").option("mode", "FAILFAST").schema("a INT, b INT").csv(path)
        do {
            _ = try df.collect()
            Issue.record("expected a malformed-input error")
        } catch let EngineError.malformedInput(file, line, column, message) {
            #expect(file == path)
            #expect(line == 3)
            #expect(column == 2)
            #expect(message.contains("'x'"))
        }
    }

    @Test func permissiveTurnsBadValuesIntoNulls() throws {
        let path = try temporaryFile("1,2\n3,x\n4\n\"unterminated,5\n")
        let df = try testSession().read.schema("a INT, b INT").csv(path)
        #expect(try texts(df) == [["1", "2"], ["3", "NULL"], ["4", "NULL"], ["NULL", "NULL"]])
    }

    @Test func dropMalformedSkipsRecords() throws {
        let path = try temporaryFile("1,2\n3,x\n5,6\n")
        let df = try testSession().read.option("mode", "DROPMALFORMED").schema("a INT, b INT").csv(path)
        #expect(try texts(df) == [["1", "2"], ["5", "6"]])
    }

    @Test func quotedNewlinesStayInOneRecord() throws {
        let path = try temporaryFile("1,\"two\nlines\"\r\n2,x\r\n")
        let df = try testSession().read.schema("a INT, b STRING").csv(path)
        #expect(try texts(df) == [["1", "two\nlines"], ["2", "x"]])
    }

    @Test func missingFileIsAnIOError() throws {
        #expect(throws: EngineError.self) { try testSession().read.csv("/nonexistent/file.csv") }
    }
}
