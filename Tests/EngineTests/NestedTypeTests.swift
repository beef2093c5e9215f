import Columnar
import Foundation
import Testing
@testable import Engine

@Suite struct NestedTypeTests {
    @Test func ddlSchemasWithNestedTypes() throws {
        let s = try DDLParser.parseSchema("user STRING, tags ARRAY<STRING>, n INT NOT NULL, "
                                          + "`odd name` map<string, struct<a:int,b string>> COMMENT 'x'")
        #expect(s.names == ["user", "tags", "n", "odd name"])
        #expect(s.fields[1].type == .array(element: .string, containsNull: true))
        #expect(!s.fields[2].nullable)
        #expect(s.fields[3].type.description == "map<string,struct<a:int,b:string>>")
        let wrapped = try DDLParser.parseSchema("struct<a: decimal(10, 2), b: array<array<bigint>>>")
        #expect(wrapped.fields.map(\.type.description) == ["decimal(10,2)", "array<array<bigint>>"])
        #expect(try DDLParser.parseType("ARRAY<INT>") == .array(element: .int32, containsNull: true))
    }

    @Test func ddlErrorsNameThePosition() {
        #expect(throws: EngineError.self) { try DDLParser.parseSchema("a array<int") }
        #expect(throws: EngineError.self) { try DDLParser.parseSchema("a wibble") }
        #expect(throws: EngineError.self) { try DDLParser.parseSchema("a int,") }
        do {
            _ = try DDLParser.parseSchema("a map<int>")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("position 10"))
        }
    }

    @Test func jsonOfNestedValuesIsSparks() {
        let type = DataType.struct([
            StructField("a", .int32), StructField("b", .array(element: .string, containsNull: true)),
            StructField("m", .map(key: .string, value: .float64, valueContainsNull: true)), StructField("gone", .string),
            StructField("t", .timestamp),
        ])
        let v = Scalar.struct([.int(1), .array([.string("x\"y"), .null]), .map(keys: [.string("k")], values: [.null]), .null,
                               .timestamp(1_709_280_000_123_456)])
        #expect(SparkJSON.render(v, type: type)
                == #"{"a":1,"b":["x\"y",null],"m":{"k":null},"t":"2024-03-01T08:00:00.123Z"}"#)
    }

    @Test func dataFrameWritesNestedJsonAndRefusesCsv() throws {
        let s = testSession()
        let schema = try DDLParser.parseSchema("id INT, tags ARRAY<STRING>, s STRUCT<x: INT>")
        let df = try s.createDataFrame([[.int(1), .array([.string("a"), .string("b")]), .struct([.int(1)])]], schema: schema)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try df.write.json(dir + "/j")
        let text = try String(contentsOfFile: dir + "/j/part-00000.json", encoding: .utf8)
        #expect(text == #"{"id":1,"tags":["a","b"],"s":{"x":1}}"# + "\n")
        do {
            try df.write.csv(dir + "/c")
            Issue.record("expected the CSV writer to refuse an array column")
        } catch {
            #expect("\(error)".contains("UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE"))
        }
    }

    @Test func dataFrameFunctionsOverNestedColumns() throws {
        let s = testSession(batchRows: 2)
        let schema = try DDLParser.parseSchema("k STRING, csv STRING")
        let df = try s.createDataFrame([[.string("a"), .string("1,2")], [.string("b"), .string("3")], [.string("a"), .string("4,5,6")]],
                                       schema: schema)
        let exploded = try df.select(col("k"), F.explode(F.split(col("csv"), lit(","))).alias("v"))
        #expect(try texts(exploded.orderBy(col("v"))) == [["a", "1"], ["a", "2"], ["b", "3"], ["a", "4"], ["a", "5"], ["a", "6"]])
        let grouped = try exploded.groupBy(col("k")).agg(F.sortArray(F.collectList(col("v"))).alias("vs")).orderBy(col("k"))
        #expect(try texts(grouped) == [["a", "[1, 2, 4, 5, 6]"], ["b", "[3]"]])
        let built = try df.select(F.array(col("k"), col("k")).alias("a"), F.structOf(col("k"), col("csv")).alias("s"))
        #expect(built.schema.fields.map(\.type.description) == ["array<string>", "struct<k:string,csv:string>"])
        #expect(try texts(try built.select(F.size(col("a")), col("s.csv")).limit(1)) == [["2", "1,2"]])
    }
}
