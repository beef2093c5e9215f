import Foundation
import Columnar
import Testing
@testable import Engine

/// The parallel CSV scan: guessed range starts, the word-at-a-time splitter and the
/// column-by-column field parsing.
@Suite struct CSVParallelScanTests {
    /// Splits `text` with the fast splitter; nil when it leaves the record to the general one.
    private func fastFields(_ text: String) -> (fields: [String], end: Int)? {
        let bytes = Array(text.utf8)
        let splitter = CSVFastSplitter(delimiter: UInt8(ascii: ","), quote: UInt8(ascii: "\""), escape: UInt8(ascii: "\\"))
        let spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: 64)
        defer { spans.deallocate() }
        return bytes.withUnsafeBufferPointer { b -> (fields: [String], end: Int)? in
            var count = 0
            guard let end = splitter.split(b.baseAddress!, 0, b.count, fields: spans, capacity: 64, count: &count) else { return nil }
            let fields = (0..<count).map { String(decoding: b[spans[$0].start..<spans[$0].end], as: UTF8.self) }
            return (fields, end)
        }
    }

    @Test func plainRecordsSplitAtDelimitersAndTheNewline() throws {
        let r = try #require(fastFields("1,155190,7706,17,21168.23,N,1996-03-13,\"egular courts above the\"\n2,x\n"))
        #expect(r.fields == ["1", "155190", "7706", "17", "21168.23", "N", "1996-03-13", "egular courts above the"])
        #expect(r.end == 64)
        #expect(try #require(fastFields("a,,b,")).fields == ["a", "", "b", ""])
        #expect(try #require(fastFields("only")).fields == ["only"])
        #expect(try #require(fastFields("\"\",x\n")).fields == ["", "x"])
    }

    @Test func recordsThatNeedTheGeneralSplitterAreLeftToIt() {
        #expect(fastFields("a,b\"c,d\n") == nil)          // a quote inside an unquoted field
        #expect(fastFields("a,\"say \"\"hi\"\"\",d\n") == nil)  // a doubled quote
        #expect(fastFields("a,\"x\\\"y\",d\n") == nil)     // an escape
        #expect(fastFields("a,\"two\nlines\",d\n") == nil)  // a newline inside quotes
        #expect(fastFields("a,\"open\n") == nil)           // never closed
        #expect(fastFields("a,\"x\"y,d\n") == nil)         // text after the closing quote
    }

    @Test func aQuotedFieldSpanningManyRangesIsOneRecord() throws {
        // One quoted field of 3 MiB of short lines puts every guessed range start after the
        // first inside it; those ranges are parsed again from where the first one stopped, and
        // the records their wrong guesses would have seen raise no FAILFAST error.
        var text = "id,body,v\n1,\"start\n"
        let line = "9,not,a,record\n"
        for _ in 0..<(3 << 20) / line.utf8.count { text += line }
        text += "end\",1.50\n2,plain,2.25\n3,\"q\",3\n"
        let path = try temporaryFile(text)
        let df = try testSession(batchRows: 4096).read.option("header", "true").option("mode", "FAILFAST")
            .schema("id INT, body STRING, v DECIMAL(5,2)").csv(path)
        let rows = try df.collect()
        #expect(rows.count == 3)
        #expect(try texts(df.select("id", "v")) == [["1", "1.50"], ["2", "2.25"], ["3", "3.00"]])
        let body = try #require(rows.first?.values[1].description)
        #expect(body.hasPrefix("start\n9,not,a,record\n"))
        #expect(body.hasSuffix("\nend"))
    }

    @Test func manyRangesKeepFileOrderAndEveryRecord() throws {
        var text = "k,v\n"
        let n = 200_000
        for i in 0..<n { text += "\(i),\(i % 7 == 0 ? "\"q\(i)\"" : "p\(i)")\r\n" }
        let path = try temporaryFile(text)
        let df = try testSession(batchRows: 4096).read.option("header", "true").schema("k BIGINT, v STRING").csv(path)
        let rows = try df.collect()
        #expect(rows.count == n)
        #expect(rows.enumerated().allSatisfy { i, row in row.values[0].description == "\(i)" })
        #expect(rows[7].values[1].description == "q7")
        #expect(rows[8].values[1].description == "p8")
    }

    @Test func failFastReportsTheEarliestBadRecord() throws {
        // A bad number on line 3 comes before the short record on line 4.
        let path = try temporaryFile("1,2\n3,4\n5,x\n6\n")
        let df = try testSession().read.option("mode", "FAILFAST").schema("a INT, b INT").csv(path)
        do {
            _ = try df.collect()
            Issue.record("expected a malformed-input error")
        } catch let EngineError.malformedInput(_, line, column, message) {
            #expect(line == 3)
            #expect(column == 2)
            #expect(message.contains("'x'"))
        }
    }

    @Test func dropMalformedLeavesOutShortAndUnparsableRecords() throws {
        let path = try temporaryFile("1,2\n3\n5,x\n7,8\n9,10,11\n")
        let df = try testSession().read.option("mode", "DROPMALFORMED").schema("a INT, b INT").csv(path)
        #expect(try texts(df) == [["1", "2"], ["7", "8"]])
    }

    @Test func plainDecimalsAndTheGeneralParserAgree() throws {
        let path = try temporaryFile("1.\n.5\n+5\n-0.05\n123.456\n123.454\n99999.99\n100000.00\n1e2\n000000000000000000012.5\n")
        let df = try testSession().read.schema("d DECIMAL(7,2)").csv(path)
        #expect(try texts(df).map { $0[0] } == ["1.00", "0.50", "5.00", "-0.05", "123.46", "123.45", "99999.99",
                                                "NULL", "100.00", "12.50"])
    }

    @Test func plainDatesAndTheGeneralParserAgree() {
        // Every day around the table's years, and texts that are not plain dates.
        var texts: [String] = []
        for year in [1, 999, 1599, 1600, 1900, 1970, 2000, 2024, 2100, 2599, 2600, 9999] {
            for month in 0...13 {
                for day in 0...32 { texts.append(String(format: "%04d-%02d-%02d", year, month, day)) }
            }
        }
        texts += ["1996-3-13", " 1996-03-13", "1996-03-13 ", "1996/03/13", "19960313xx", "1996-03-1a", "+996-03-13"]
        let calendar = PlainDateCalendar.shared
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { v in
                let general = DateTimeUtil.parseDate(v)
                if let plain = CSVColumnDecoder.plainDate(v, calendar) {
                    #expect(plain == general, "\(text)")
                } else if bytes.count == 10, let y = Int(text.prefix(4)), y >= 1600, y < 2600, general != nil {
                    Issue.record("\(text) is a plain date the fast path left out")
                }
            }
        }
    }

    @Test func aLineOfOnlyAnEmptyQuotedFieldIsARecord() throws {
        let path = try temporaryFile("a\n\"\"\nb\n\"\"")
        let df = try testSession().read.schema("s STRING").csv(path)
        #expect(try texts(df) == [["a"], [""], ["b"], [""]])
    }

    @Test func theHeaderAfterMoreThanARangeOfBlankLinesIsStillTheHeader() throws {
        let text = String(repeating: "\n", count: 3 << 20) + "k,v\n1,x\n2,y\n"
        let path = try temporaryFile(text)
        let df = try testSession(batchRows: 4096).read.option("header", "true").schema("k INT, v STRING").csv(path)
        #expect(try texts(df) == [["1", "x"], ["2", "y"]])
    }

    @Test func aCarriageReturnDelimiterLeavesTheLineTerminatorAlone() throws {
        let path = try temporaryFile("a\rb\r\nc\rd\r\n")
        let df = try testSession().read.option("sep", "\r").schema("x STRING, y STRING").csv(path)
        #expect(try texts(df) == [["a", "b"], ["c", "d"]])
    }

    @Test func sampledRecordsWidenTheSchemaPastTheHeader() throws {
        let path = try temporaryFile("a,b\n1,2,3\n")
        let df = try testSession().read.option("header", "true").csv(path)
        #expect(df.schema.fields.map(\.name) == ["a", "b", "_c2"])
    }
}
