import Columnar
import Foundation
import Testing
@testable import Engine

@Suite struct FileFormatTests {
    @Test func jsonLinesInferTypesWithNestedArrays() throws {
        let path = try temporaryFile("""
        {"id": 1, "name": "a\\"b", "score": 1.5, "tags": [1, 2]}
        {"id": 2, "ok": true, "score": 2}

        {"id": 3, "name": null}
        """, suffix: ".json")
        let df = try testSession().read.json(path)
        #expect(df.columns == ["id", "name", "score", "tags", "ok"])
        #expect(df.schema.fields.map(\.type) == [.int64, .string, .float64, .array(element: .int64, containsNull: true), .boolean])
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

    @Test func csvAndJsonDirectoriesReadEveryDataFile() throws {
        let s = testSession()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-dir-\(UUID().uuidString)").path
        let first = try s.createDataFrame([[.int(1), .string("x")]], schema: Schema([Field("k", .int32), Field("s", .string)]))
        let second = try s.createDataFrame([[.int(2), .string("y")], [.int(3), .null]],
                                           schema: Schema([Field("k", .int32), Field("s", .string)]))
        try first.write.option("header", "true").csv(dir + "/csv")
        try second.write.mode("append").option("header", "true").csv(dir + "/csv")
        // Hidden and marker files are not data.
        FileManager.default.createFile(atPath: dir + "/csv/.hidden.csv", contents: Data("junk\n".utf8))
        let csv = try s.read.option("header", "true").option("inferSchema", "true").csv(dir + "/csv")
        #expect(try texts(try csv.orderBy(col("k"))) == [["1", "x"], ["2", "y"], ["3", "NULL"]])
        try first.write.json(dir + "/json")
        try second.write.mode("append").json(dir + "/json")
        #expect(try s.read.json(dir + "/json").count() == 3)
        // An empty directory reads as no rows when the schema is given, and is an error otherwise.
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        #expect(try s.read.schema("k INT").csv(dir + "/empty").count() == 0)
        #expect(throws: EngineError.self) { try s.read.csv(dir + "/empty") }
        #expect(throws: EngineError.self) { try s.read.csv(dir + "/nothing-here") }
    }

    @Test func jsonLinesReadNestedValuesAsSparkInfersThem() throws {
        let path = try temporaryFile("""
        {"u": {"name": "ann", "age": 3}, "tags": ["a", "b"], "m": [{"k": 1}, {"k": 2.5}]}
        {"u": {"name": "bob", "zip": "x"}, "tags": [], "m": null}
        {"u": "not an object", "tags": [1]}
        """, suffix: ".json")
        let df = try testSession().read.json(path)
        #expect(df.schema.fields.map(\.type.description)
                == ["string", "array<string>", "array<struct<k:double>>"])
        let typed = try testSession().read.schema("u STRUCT<age: INT, name: STRING, zip: STRING>, tags ARRAY<STRING>, "
                                                  + "m ARRAY<MAP<STRING, DOUBLE>>").json(path)
        #expect(try texts(typed) == [["{3, ann, null}", "[a, b]", "[{k -> 1.0}, {k -> 2.5}]"],
                                     ["{null, bob, x}", "[]", "NULL"],
                                     ["NULL", "[1]", "NULL"]])
        #expect(SparkJSON.parse(#"{"a": [1, null], "b": {"c": "x"}}"#,
                                as: try DDLParser.parseType("struct<a: array<int>, b: struct<c: string>, d: int>"))
                == .struct([.array([.int(1), .null]), .struct([.string("x")]), .null]))
        #expect(SparkJSON.parse("{oops", as: .string) == nil)
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(SparkJSON.parse(deep, as: .string) == nil)
    }
}
