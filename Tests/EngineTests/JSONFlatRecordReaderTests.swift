import Columnar
import Testing
@testable import Engine

/// `from_json` over flat schemas (strings and integers) takes `JSONFlatRecordReader`: its answers
/// must be those of the general `JSONRecordParser` on every kind of record.
@Suite struct JSONFlatRecordReaderTests {
    func strings(_ values: [String?]) -> ColumnVector {
        var b = ColumnBuilder(type: .string, capacity: values.count)
        for v in values { if let v { b.appendString(v) } else { b.appendNull() } }
        return b.finish()
    }

    /// The rows of a struct column as scalars per field, and whether each struct is present.
    func rows(_ c: ColumnVector) -> [[Scalar]] {
        guard case let .struct(children) = c.storage else { return [] }
        return (0..<c.count).map { r in [c.isNull(r) ? .null : .string("present")] + children.map { $0.scalar(at: r) } }
    }

    /// The general parser's answer, for comparison.
    func reference(_ docs: ColumnVector, _ fields: [StructField]) throws -> ColumnVector {
        guard case let .bytes(offsets, data) = docs.storage else { return docs }
        var parser = JSONRecordParser(fields: fields.map { ($0.name, $0.type) }, failFast: false)
        var present = Bitmap(count: docs.count, value: true)
        try data.withUnsafeBytes { raw in
            for r in 0..<docs.count {
                if docs.isNull(r) {
                    for f in parser.fields.indices { parser.fields[f].appendNull() }
                    present[r] = false
                } else if try !parser.parse(raw, Int(offsets[r]), Int(offsets[r + 1])) {
                    present[r] = false
                }
            }
        }
        return ColumnVector(type: .struct(fields), count: docs.count, storage: .struct(parser.finish()), validity: present)
    }

    static let records: [String?] = [
        #"{"user":"u1","page":"/a","duration":12,"ts":1700000000000}"#,
        // Malformed in the middle of a batch: after the wanted fields, inside a skipped value, at the end.
        #"{"page":"/a","duration":12,"ts":}"#,
        #"{"page":"/a","duration":12,"extra":{"x":[1,2]"#,
        #"{"page":"/a","duration":12} trailing"#,
        #"{"page":"/a" "duration":12}"#,
        #"{"page":"/a","duration":12,}"#,
        #"{page:"/a"}"#,
        // Missing fields, wrong types, nested objects skipped or kept as text.
        #"{"user":"u2"}"#,
        #"{"duration":"12","page":5,"ts":1.5}"#,
        #"{"duration":true,"page":{"a" : [1, "b c"]},"ts":[1]}"#,
        #"{"extra":{"page":"/inner","duration":1},"page":"/outer"}"#,
        #"{"duration":99999999999,"ts":-9223372036854775808,"page":null}"#,
        #"{"duration":-5,"ts":9223372036854775808}"#,
        // Repeated members: the last wins, a later null or wrong type keeps the earlier.
        #"{"page":"/a","page":"/b","duration":1,"duration":2}"#,
        #"{"page":"/a","page":null,"duration":1,"duration":"x"}"#,
        // Escapes in keys and values, a broken escape.
        #"{"p\u0061ge":"\/x\u00e9\n","duration":3}"#,
        #"{"page":"\u12G4","duration":3}"#,
        #"{"page":"a\"b","user":"\\"}"#,
        // Not objects, blank, null, odd spacing, bad literals.
        "[1,2]", "42", "not json", "", "   ", nil,
        "  {  \"page\" : \"/s\" ,\n\t\"duration\" : 7 }  ",
        #"{}"#, #"{ }"#, #"{"#, #"{"page":nul}"#, #"{"page":nullx}"#, #"{"duration":nan}"#,
        #"{"duration":+5,"page":true}"#, #"{"duration":1e3,"page":-0.5}"#,
        // Integers read as they are scanned, and the tokens that leave that path.
        #"{"duration":-,"page":"/a"}"#, #"{"duration":12x,"page":"/a"}"#, #"{"duration":007}"#,
        #"{"duration": -42 ,"page":"/a"}"#, #"{"duration":-9223372036854775809}"#, #"{"duration":5]"#,
        #"{"ts":1}"#, #"{"ts":12"#, #"{"user":"u","ts":3 "#,
    ]

    @Test func sameAnswersAsTheGeneralParser() throws {
        let docs = strings(Self.records)
        let schemas: [[StructField]] = [
            [StructField("page", .string), StructField("duration", .int32)],
            [StructField("duration", .int32), StructField("page", .string), StructField("ts", .int64),
             StructField("user", .string)],
            [StructField("duration", .int8), StructField("ts", .int16)],
            [StructField("page", .binary)],
            [StructField("nothere", .int64)],
        ]
        for fields in schemas {
            #expect(JSONFlatRecordReader.handles(fields))
            let fast = try JSONFunctions.fromJSON(docs, type: .struct(fields), failFast: false)
            let slow = try reference(docs, fields)
            #expect(fast.type == slow.type)
            let (a, b) = (rows(fast), rows(slow))
            #expect(a.count == b.count)
            for r in 0..<min(a.count, b.count) {
                #expect(a[r] == b[r], "record \(String(describing: Self.records[r])) with \(fields.map(\.name))")
            }
        }
    }

    @Test func answersOfTheFlatReader() throws {
        let docs = strings([#"{"page":"/a","duration":12,"ts":1}"#, #"{"page":"/b","duration":3,"ts":}"#, "", nil,
                            #"{"duration":"4","page":"/c"}"#])
        let c = try JSONFunctions.fromJSON(docs, type: .struct([StructField("page", .string), StructField("duration", .int32)]),
                                           failFast: false)
        #expect(rows(c) == [
            [.string("present"), .string("/a"), .int(12)],
            // Malformed after the wanted fields: the whole record is null, as Spark's PERMISSIVE mode makes it.
            [.string("present"), .null, .null],
            [.null, .null, .null],
            [.null, .null, .null],
            [.string("present"), .string("/c"), .null],
        ])
    }

    @Test func otherTypesAndFailFastTakeTheGeneralParser() {
        #expect(!JSONFlatRecordReader.handles([StructField("x", .float64)]))
        #expect(!JSONFlatRecordReader.handles([StructField("s", .struct([StructField("a", .int32)]))]))
        #expect(!JSONFlatRecordReader.handles([]))
    }
}
