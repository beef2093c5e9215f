import Columnar
import Foundation
import Testing
@testable import Engine

@Suite struct FileFormatTests {
    @Test func jsonLinesInferTypesAndKeepNestedValuesAsText() throws {
        let path = try temporaryFile("""
        {"id": 1, "name": "a\\"b", "score": 1.5, "tags": [1, 2]}
        {"id": 2, "ok": true, "score": 2}

        {"id": 3, "name": null}
        """, suffix: ".json")
        let df = try testSession().read.json(path)
        #expect(df.columns == ["id", "name", "score", "tags", "ok"])
        #expect(df.schema.fields.map(\.type) == [.int64, .string, .float64, .string, .boolean])
        #expect(try texts(df) == [["1", "a\"b", "1.5", "[1, 2]", "NULL"],
                                  ["2", "NULL", "2.0", "NULL", "true"],
                                  ["3", "NULL", "NULL", "NULL", "NULL"]])
    }

    @Test func malformedJsonFailsFastWithLine() throws {
        let path = try temporaryFile("{\"a\": 1}\n{\"a\": oops}\n", suffix: ".json")
        let df = try testSession().read.option("mode", "FAILFAST").schema("a BIGINT").json(path)
        do {
            _ = try df.collect()
            Issue.record("expected a malformed-input error")
        } catch let EngineError.malformedInput(_, line, _, _) {
            #expect(line == 2)
        }
        let permissive = try testSession().read.schema("a BIGINT").json(path)
        #expect(try texts(permissive) == [["1"], ["NULL"]])
    }

    @Test func csvAndJsonWritersRoundTrip() throws {
        let s = testSession()
        let df = try s.createDataFrame([[.int(1), .string("x, \"y\""), .decimal(DecimalValue(unscaled: 150, scale: 2))],
                                        [.int(2), .null, .null]],
                                       schema: Schema([Field("k", .int32), Field("s", .string), Field("d", .decimal(precision: 5, scale: 2))]))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-out-\(UUID().uuidString)").path
        try df.write.option("header", "true").csv(dir + "/csv")
        #expect(FileManager.default.fileExists(atPath: dir + "/csv/_SUCCESS"))
        let back = try s.read.option("header", "true").schema("k INT, s STRING, d DECIMAL(5,2)").csv(dir + "/csv/part-00000.csv")
        #expect(try texts(back) == [["1", "x, \"y\"", "1.50"], ["2", "NULL", "NULL"]])
        #expect(throws: EngineError.self) { try df.write.csv(dir + "/csv") }
        try df.write.mode("overwrite").json(dir + "/json")
        let jb = try s.read.json(dir + "/json/part-00000.json")
        #expect(try texts(jb) == [["1", "x, \"y\"", "1.5"], ["2", "NULL", "NULL"]])
    }
}
