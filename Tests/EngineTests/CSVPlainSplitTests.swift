import Foundation
import Columnar
import CTributary
import Testing
@testable import Engine

/// The structural-index splitter of plain records (`CSVPlainSplit`, the C kernel behind it) against
/// the per-record splitters: the same batches, row for row, whatever the bytes.
@Suite struct CSVPlainSplitTests {
    /// A small deterministic generator (SplitMix64), so a failure names its seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Random CSV text: mostly plain fields and plainly quoted ones, with every irregular case
    /// now and then — quotes inside fields, doubled quotes, escapes, delimiters and newlines inside
    /// quotes, CRs, blank lines, ragged records, unterminated quotes — at lengths that put field
    /// and record ends on every side of the 64-byte blocks.
    static func randomCSV(_ g: inout Generator, width: Int, records: Int, irregular: Int) -> String {
        var out = ""
        for _ in 0..<records {
            if g.below(100) < irregular && g.below(4) == 0 { out += g.below(2) == 0 ? "\n" : "\r\n" }
            var fields = width
            if g.below(100) < irregular { fields = max(1, width + g.below(3) - 1) }
            for f in 0..<fields {
                if f > 0 { out += "," }
                let length = g.below(8) == 0 ? 40 + g.below(90) : g.below(12)
                var text = ""
                let alphabet = g.below(100) < irregular ? Array("ab,\"\n\r\\ 1") : Array("abc xyz0123456789.-")
                for _ in 0..<length { text.append(alphabet[g.below(alphabet.count)]) }
                if g.below(3) == 0 {
                    // Quoted: plainly, or with the content's quotes doubled.
                    let content = g.below(100) < irregular ? text.replacingOccurrences(of: "\"", with: "\"\"")
                        : text.filter { $0 != "\"" && $0 != "\n" && $0 != "\\" }
                    out += "\"" + content + (g.below(200) == 0 ? "" : "\"")
                } else {
                    out += g.below(100) < irregular ? text : text.filter { $0 != "," && $0 != "\"" && $0 != "\n" }
                }
            }
            out += g.below(100) < irregular && g.below(2) == 0 ? "\r\n" : "\n"
        }
        if g.below(2) == 0 && out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// Every batch of a parse of `text`, rendered, with where the parse stopped.
    static func parse(_ path: String, width: Int, columns: [Int], header: Bool, batchRows: Int, kind: Int32,
                      mode: ParseMode = .permissive) throws -> (rows: [[String]], next: Int) {
        var options = CSVOptions()
        options.mode = mode
        let schema = Schema((0..<width).map { Field("c\($0)", .string) })
        let table = try CSVTable(path: path, options: options, schema: schema)
        let file = try MappedFile(path)
        return try withExtendedLifetime(file) {
            let range = try table.parse(file.bytes, from: 0, until: file.bytes.count, header: header, columns: columns,
                                        schema: Schema(columns.map { schema.fields[$0] }), batchRows: batchRows,
                                        plainKind: kind)
            var rows: [[String]] = []
            for batch in range.batches {
                for r in 0..<batch.rowCount { rows.append(batch.columns.map { "\($0.scalar(at: r))" }) }
            }
            return (rows, range.next)
        }
    }

    static let kinds: [Int32] = [TRIBUTARY_CSV_MASKS_PORTABLE, TRIBUTARY_CSV_MASKS_SSE2, TRIBUTARY_CSV_MASKS_AVX2]

    @Test(arguments: 0..<24)
    func theKernelAndThePerRecordSplittersAgreeOnRandomCSV(seed: Int) throws {
        var g = Generator(state: UInt64(seed) &* 7919)
        let width = 1 + g.below(6)
        let irregular = [0, 2, 10, 40][seed % 4]
        let text = Self.randomCSV(&g, width: width, records: 50 + g.below(400), irregular: irregular)
        let path = try temporaryFile(text)
        var columnSets: [[Int]] = [Array(0..<width), [], [g.below(width)]]
        if width > 2 { columnSets.append([width - 1, 0]) }
        for columns in columnSets {
            let header = g.below(3) == 0
            let batchRows = 1 + g.below(40)
            let expected = try Self.parse(path, width: width, columns: columns, header: header, batchRows: batchRows, kind: -1)
            for kind in Self.kinds {
                let got = try Self.parse(path, width: width, columns: columns, header: header, batchRows: batchRows, kind: kind)
                #expect(got.rows == expected.rows, "seed \(seed) kind \(kind) columns \(columns)")
                #expect(got.next == expected.next, "seed \(seed) kind \(kind) columns \(columns)")
            }
        }
    }

    @Test func fieldAndRecordEndsOnEveryByteOfTheBlocks() throws {
        // Records whose fields grow by a byte each time, so every delimiter, quote and newline
        // falls at every offset of the 64-byte blocks, quoted fields included.
        var text = ""
        for n in 0..<200 {
            let a = String(repeating: "x", count: n % 67)
            let b = String(repeating: "y", count: (n * 7) % 61)
            text += "\(a),\"\(b)\",\(n)\n"
        }
        let path = try temporaryFile(text)
        let expected = try Self.parse(path, width: 3, columns: [0, 1, 2], header: false, batchRows: 16, kind: -1)
        #expect(expected.rows.count == 200)
        for kind in Self.kinds {
            for columns in [[0, 1, 2], [1], [2], []] {
                let got = try Self.parse(path, width: 3, columns: columns, header: false, batchRows: 16, kind: kind)
                let want = expected.rows.map { row in columns.map { row[$0] } }
                #expect(got.rows == want, "kind \(kind) columns \(columns)")
            }
        }
    }

    @Test func aRecordLongerThanTheIndexWindowIsStillRead() throws {
        let long = String(repeating: "z", count: 70_000)
        let text = "a,1\n\(long),2\n\"\(long)\",3\nb,4"
        let path = try temporaryFile(text)
        for kind in Self.kinds + [-1] {
            let got = try Self.parse(path, width: 2, columns: [1, 0], header: false, batchRows: 3, kind: kind)
            #expect(got.rows.map { $0[0] } == ["1", "2", "3", "4"])
            #expect(got.rows[1][1].count == 70_000 && got.rows[2][1] == long)
        }
    }

    @Test func theMasksOfEveryKindAgree() throws {
        // The same bytes through each kind directly: a CPU without AVX2 falls back, never fails.
        let text = "p,\"q,r\",s\r\nt,,\"\"\n" + String(repeating: "u,v,w\n", count: 30)
        let path = try temporaryFile(text)
        let expected = try Self.parse(path, width: 3, columns: [2, 0, 1], header: true, batchRows: 5, kind: -1)
        #expect(expected.rows.first == ["", "t", "NULL"])  // "" quoted is empty, nothing unquoted is null
        for kind in Self.kinds {
            #expect(try Self.parse(path, width: 3, columns: [2, 0, 1], header: true, batchRows: 5, kind: kind).rows
                    == expected.rows)
        }
    }
}

/// Pushed filters evaluated inside the CSV scan (`CSVRowFilter`): the same rows as the filter
/// above the scan alone would keep, nulls and unparsable values included.
@Suite struct CSVRowFilterTests {
    @Test func filtersInsideTheScanKeepTheRowsTheEngineWould() throws {
        // Nulls (empty), an unparsable number (null in PERMISSIVE), quoted values and a short row.
        var text = "1,10.5,x,1994-01-02\n,3.25,\"y\",1994-05-01\n3,,z,\nq,7.00,w,1995-01-01\n5,2.50,\"v,w\",1994-12-31\n6\n"
        for i in 0..<300 { text += "\(i % 9),\(i % 13).5,s\(i),199\(4 + i % 3)-0\(1 + i % 9)-1\(i % 10)\n" }
        let path = try temporaryFile(text)
        let df = try testSession(batchRows: 7).read.schema("a INT, b DECIMAL(10,2), c STRING, d DATE").csv(path)
        let filters: [(String, Column)] = [
            ("a > 2 and b < 5", col("a") > 2 && col("b") < 5),
            ("a is null", col("a").isNull()),
            ("d is not null and a < 4", col("d").isNotNull() && col("a") < 4),
            ("c > 's2' and b > 1", col("c") > lit("s2") && col("b") > 1),
        ]
        // The reference: every row read, then filtered row by row here.
        let all = try texts(df)
        func value(_ s: String) -> Double? { s == "NULL" ? nil : Double(s) }
        let expected: [[[String]]] = [
            all.filter { r in (value(r[0]).map { $0 > 2 } ?? false) && (value(r[1]).map { $0 < 5 } ?? false) },
            all.filter { r in r[0] == "NULL" },
            all.filter { r in r[3] != "NULL" && (value(r[0]).map { $0 < 4 } ?? false) },
            all.filter { r in r[2] != "NULL" && r[2] > "s2" && (value(r[1]).map { $0 > 1 } ?? false) },
        ]
        for (k, (name, filter)) in filters.enumerated() {
            let got = try texts(df.filter(filter))
            #expect(got == expected[k], "\(name)")
            #expect(!got.isEmpty, "\(name)")
        }
    }
}
