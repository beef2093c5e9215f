import Columnar
import Testing
@testable import Engine

/// The JSON functions' kernels: get_json_object paths and the record parser behind from_json.
@Suite struct JSONFunctionTests {
    func strings(_ values: [String?]) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: values.count)
        for v in values { if let v { b.appendString(v) } else { b.appendNull() } }
        return b.finish()
    }

    func texts(_ c: ColumnVector) -> [String?] {
        (0..<c.count).map { i in
            if case let .string(s) = c.scalar(at: i) { return s }
            return nil
        }
    }

    @Test func getJsonObjectPaths() {
        let docs = strings([#"{"a":{"b":[1,{"c":"x"}]},"s":"q\"\u00e9"}"#, nil, "[1,2]", #"{"a":1"#, "  ", #"{"a":null}"#])
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "$.a.b[1].c")) == ["x", nil, nil, nil, nil, nil])
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "$.s")) == ["q\"é", nil, nil, nil, nil, nil])
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "$[1]")) == [nil, nil, "2", nil, nil, nil])
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "$.a")) == [#"{"b":[1,{"c":"x"}]}"#, nil, nil, "1", nil, nil])
        // Paths Spark does not accept give nulls.
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "a")).allSatisfy { $0 == nil })
        #expect(texts(JSONFunctions.getJsonObject(docs, path: "$.a[*]")).allSatisfy { $0 == nil })
    }

    @Test func severalPathsInOneWalkMatchOnePathAtATime() {
        let docs = strings([
            #"{"a":"x","b":2,"c":{"d":[1, 2]}}"#, #"{"b":null,"a":"y\u0041","a":"dup"}"#, #"{"c":true,"a":"z","b":"#,
            #"{"a\u0062":1,"b":3}"#, "[1]", "", nil, "  {  \"b\" : -1.5e3 , \"a\" : [ ] }", #"{"a":"\x"}"#,
        ])
        let cases = [["$.a", "$.b", "$.c"], ["$.b", "$.a"], ["$.a", "$.c.d[1]"], ["$.a", "$.a"]]
        for paths in cases {
            let together = JSONFunctions.getJsonObjects(docs, paths: paths)
            guard case let .struct(children) = together.storage else {
                Issue.record("not a struct")
                continue
            }
            #expect(together.type == JSONFunctions.pathsType(count: paths.count))
            for (i, p) in paths.enumerated() {
                #expect(texts(children[i]) == texts(JSONFunctions.getJsonObject(docs, path: p)), "path \(p) of \(paths)")
            }
        }
        let walked = JSONFunctions.getJsonObjects(docs, paths: ["$.a", "$.b"])
        guard case let .struct(children) = walked.storage else { return }
        #expect(texts(children[0]) == ["x", "yA", "z", nil, nil, nil, nil, "[]", "x"])
        #expect(texts(children[1]) == ["2", nil, nil, "3", nil, nil, nil, "-1.5e3", nil])
    }

    @Test func typedPathsReadWhatTheCastOfTheTextGives() {
        let docs = strings([
            #"{"a":"x","n":12,"m":-7}"#, #"{"n":"34","m":12.9}"#, #"{"n":"\u0035\u0036","m":null}"#, #"{"n":[1],"m":true}"#,
            #"{"n":9223372036854775807,"m":70000}"#, #"{"n":1e3}"#, #"{"m":"#, nil, "", #"{"n":" 8 ","m":"-0"}"#,
        ])
        let paths = ["$.a", "$.n", "$.m"]
        for type in [DataType.int8, .int16, .int32, .int64] {
            let together = JSONFunctions.getJsonObjects(docs, paths: paths, types: [.string, type, type])
            guard case let .struct(children) = together.storage else {
                Issue.record("not a struct")
                continue
            }
            #expect(together.type == JSONFunctions.pathsType([.string, type, type]))
            for (i, p) in paths.enumerated() {
                let text = JSONFunctions.getJsonObject(docs, path: p)
                let want = i == 0 ? text : CastKernel.cast(text, to: type)
                #expect(children[i].type == want.type)
                #expect((0..<docs.count).map { children[i].scalar(at: $0) } == (0..<docs.count).map { want.scalar(at: $0) },
                        "path \(p) as \(type)")
            }
        }
        let int32s = JSONFunctions.getJsonObjects(docs, paths: ["$.n", "$.m"], types: [.int32, .int32])
        guard case let .struct(children) = int32s.storage else { return }
        #expect((0..<4).map { children[0].scalar(at: $0) } == [.int(12), .int(34), .int(56), .null])
        #expect((0..<4).map { children[1].scalar(at: $0) } == [.int(-7), .int(12), .null, .null])
    }

    @Test func pathArgumentsCarryTheirTypes() {
        let parsed = JSONFunctions.pathArguments([.string("$.a"), .string("$.b"), .literal(.null, .int64), .string("$.c")][...])
        #expect(parsed?.paths == ["$.a", "$.b", "$.c"])
        #expect(parsed?.types == [.string, .int64, .string])
        // A type without a path before it, or one that cannot be read straight from text, is refused.
        #expect(JSONFunctions.pathArguments([.literal(.null, .int64), .string("$.a")][...]) == nil)
        #expect(JSONFunctions.pathArguments([.string("$.a"), .literal(.null, .float64)][...]) == nil)
    }

    func parse(_ docs: [String?], _ fields: [(String, DataType)], failFast: Bool = false) throws -> ([[Scalar]], [Bool]) {
        let column = strings(docs)
        guard case let .bytes(offsets, data) = column.storage else { return ([], []) }
        var p = JSONRecordParser(fields: fields, failFast: failFast)
        var present: [Bool] = []
        try data.withUnsafeBytes { raw in
            for r in 0..<docs.count {
                present.append(docs[r] == nil ? { p.fields.indices.forEach { p.fields[$0].appendNull() }; return false }()
                               : try p.parse(raw, Int(offsets[r]), Int(offsets[r + 1])))
            }
        }
        let cols = p.finish()
        return ((0..<docs.count).map { r in cols.map { $0.scalar(at: r) } }, present)
    }

    @Test func recordParserFillsFieldColumnsDirectly() throws {
        let (rows, present) = try parse([
            #"{"user":"u1","page":"/a","duration":12,"ts":1700000000000}"#,
            #"{"page":"/b","extra":{"x":[1,2]},"duration":7.5}"#,
            #"{"duration":"12","page":5}"#,
            #"{"page":"/c""#,
            "not json",
            "",
        ], [("page", .string), ("duration", .int32), ("ts", .int64)])
        #expect(rows[0] == [.string("/a"), .int(12), .int(1_700_000_000_000)])
        // A value of the wrong type is null; the rest of the record is kept.
        #expect(rows[1] == [.string("/b"), .null, .null])
        #expect(rows[2] == [.string("5"), .null, .null])
        // Broken text: every field null, the struct itself present.
        #expect(rows[3] == [.null, .null, .null])
        #expect(rows[4] == [.null, .null, .null])
        #expect(present == [true, true, true, true, true, false])
    }

    @Test func recordParserFailFastNamesTheRecord() {
        #expect(throws: EngineError.self) { try parse([#"{"a":1}"#, #"{"a":"#], [("a", .int32)], failFast: true) }
        #expect(throws: EngineError.self) { try parse([#"{"a":"x"}"#], [("a", .int32)], failFast: true) }
        #expect(throws: Never.self) { try parse([#"{"a":1}"#, nil], [("a", .int32)], failFast: true) }
    }

    @Test func recordParserTypes() throws {
        let (rows, _) = try parse([
            #"{"b":true,"d":"2024-02-29","t":"2024-02-29 10:00:00","x":"NaN","m":12.34,"s":{"k":[1, 2]},"i":300}"#,
        ], [("b", .boolean), ("d", .date), ("t", .timestamp), ("x", .float64), ("m", .decimal(precision: 5, scale: 2)),
            ("s", .string), ("i", .int8)])
        #expect(rows[0][0] == .boolean(true))
        #expect(rows[0][1] == .date(DateTimeUtil.daysFromCivil(year: 2024, month: 2, day: 29)))
        if case let .double(v) = rows[0][3] { #expect(v.isNaN) } else { Issue.record("x is \(rows[0][3])") }
        #expect(rows[0][4] == .decimal(DecimalValue(unscaled: 1234, scale: 2)))
        #expect(rows[0][5] == .string(#"{"k":[1,2]}"#))
        // 300 does not fit a tinyint.
        #expect(rows[0][6] == .null)
    }
}
