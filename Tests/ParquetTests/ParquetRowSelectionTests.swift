import Columnar
import Foundation
import Testing
@testable import Parquet

/// Reading only some rows of a column chunk (late materialisation) gives exactly those rows, for
/// every encoding, page version and codec, with nulls and across page boundaries.
@Suite("Parquet row selection")
struct ParquetRowSelectionTests {
    static let files = [
        "plain_none", "plain_snappy", "plain_v2_uncompressed", "dictionary_v1", "dictionary_v2", "dictionary_fallback",
        "delta_v1", "delta_v2", "byte_stream_split", "duckdb_zstd",
    ]

    /// Selections of a row group of `rows` rows: none, all, sparse, a block over several pages, the ends.
    static func selections(rows: Int) -> [String: [Int32]] {
        [
            "none": [],
            "all": (0..<rows).map { Int32($0) },
            "every 7th": stride(from: 3, to: rows, by: 7).map { Int32($0) },
            "block": (rows / 4..<(rows * 3 / 4)).map { Int32($0) },
            "ends": rows > 1 ? [0, Int32(rows - 1)] : [0],
            "one": [Int32(rows / 2)],
        ]
    }

    @Test("selected rows read back as pyarrow reads them", arguments: files)
    func selectedRowsMatch(file: String) throws {
        let expected = try Fixtures.expected("base.json")
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        var firstRow = 0
        for group in 0..<reader.rowGroupCount {
            let rows = reader.rowCount(rowGroup: group)
            for (name, selection) in Self.selections(rows: rows) {
                for (field, column) in expected.columns.enumerated() {
                    let vector = try reader.readColumn(rowGroup: group, field: field, selection: selection)
                    #expect(vector.count == selection.count, "\(file) \(column.name) \(name)")
                    for (k, row) in selection.enumerated() where k < vector.count {
                        let got = Fixtures.render(vector, k)
                        let want = column.values[firstRow + Int(row)]
                        if got != want {
                            Issue.record("\(file) rg \(group) \(column.name) \(name) row \(row): read \(got ?? "null"), pyarrow \(want ?? "null")")
                            break
                        }
                    }
                }
            }
            firstRow += rows
        }
    }

    /// A test over rendered values: strings ending in "x", and (for the null check) nulls.
    private static func endsInX(_ vector: ColumnVector, nullsPass: Bool) -> Bitmap {
        Bitmap((0..<vector.count).map { row in
            guard let value = Fixtures.render(vector, row) else { return nullsPass }
            return value.hasSuffix("x") || value.hasSuffix("7")
        })
    }

    @Test("tests judged on the dictionary agree with tests of the values",
          arguments: ["dictionary_v1", "dictionary_v2", "dictionary_fallback", "plain_snappy", "duckdb_zstd"])
    func dictionaryMaskMatchesValues(file: String) throws {
        let reader = try ParquetReader(path: Fixtures.path(file + ".parquet"))
        var judgedOnDictionary = 0
        for name in ["s", "s_required", "bin"] {
            guard let field = reader.topLevelFieldIndex(named: name) else {
                Issue.record("no column \(name)")
                continue
            }
            for group in 0..<reader.rowGroupCount {
                let rows = reader.rowCount(rowGroup: group)
                for (label, selection) in Self.selections(rows: rows) {
                    for nullsPass in [false, true] {
                        let chosen: [Int32]? = label == "all" ? nil : selection
                        guard let mask = try reader.dictionaryMask(rowGroup: group, field: field, selection: chosen, test: {
                            Self.endsInX($0, nullsPass: nullsPass)
                        }) else { continue }
                        // (An empty selection reads no page, so any file gives an empty mask.)
                        if !selection.isEmpty { judgedOnDictionary += 1 }
                        let values = try reader.readColumn(rowGroup: group, field: field, selection: selection)
                        #expect(mask == Self.endsInX(values, nullsPass: nullsPass), "\(file) \(name) rg \(group) \(label)")
                    }
                }
            }
        }
        // Dictionary files are judged on the dictionary; PLAIN files never are.
        if file.hasPrefix("plain") { #expect(judgedOnDictionary == 0) }
        if file == "dictionary_v1" || file == "dictionary_v2" { #expect(judgedOnDictionary > 0) }
    }

    @Test func fallbackFixtureMixesDictionaryAndPlainPages() throws {
        // The fixture is only a test of the mixed case if some chunk really holds both kinds of page.
        let reader = try ParquetReader(path: Fixtures.path("dictionary_fallback.parquet"))
        var mixed = false
        for (leaf, chunk) in reader.metadata.rowGroups[0].columns.enumerated() {
            guard let meta = chunk.metaData else { continue }
            let start = Int(meta.dictionaryPageOffset ?? meta.dataPageOffset)
            let bytes = try reader.readRange(offset: start, count: Int(meta.totalCompressedSize))
            var encodings = Set<Encoding>()
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    var thrift = ThriftCompactReader(raw, position: offset)
                    let header = try PageHeader.read(&thrift)
                    if let page = header.dataPageHeader { encodings.insert(page.encoding) }
                    offset = thrift.position + Int(header.compressedPageSize)
                }
            }
            if encodings.contains(.plain) && (encodings.contains(.rleDictionary) || encodings.contains(.plainDictionary)) {
                mixed = true
                #expect(leaf >= 0)
            }
        }
        #expect(mixed)
    }

    @Test func selectionMustBeAscendingAndInside() throws {
        let reader = try ParquetReader(path: Fixtures.path("dictionary_v1.parquet"))
        let rows = reader.rowCount(rowGroup: 0)
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, field: 3, selection: [5, 2]) }
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, field: 3, selection: [Int32(rows)]) }
        #expect(throws: ParquetError.self) { try reader.readColumn(rowGroup: 0, field: 3, selection: [4, 4]) }
    }
}

/// `ParquetDataset.read(_:columns:predicate:filterColumns:filter:)`: the filter's columns are read,
/// the filter judged, and the result holds exactly the rows that pass.
@Suite("Parquet late materialisation")
struct ParquetLateMaterialisationTests {
    /// 3000 rows in row groups of 1000 and pages of 64 rows: `k` = row, `v` = "v<row>" (null every 5th
    /// row), `x` = row * 3 as a decimal(12, 2).
    private func writeFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("late-\(UUID().uuidString).parquet").path
        let schema = Schema([Field("k", .int64, nullable: false), Field("v", .string), Field("x", .decimal(precision: 12, scale: 2))])
        var options = ParquetWriteOptions()
        options.rowGroupRows = 1000
        options.pageRowsMax = 64
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var keys = ColumnBuilder(type: .int64)
        var values = ColumnBuilder(type: .string)
        var amounts = ColumnBuilder(type: .decimal(precision: 12, scale: 2))
        for row in 0..<3000 {
            keys.append(.int(Int64(row)))
            values.append(row % 5 == 0 ? .null : .string("v\(row)"))
            amounts.append(Scalar.decimal(DecimalValue(unscaled: Int128(row * 3), scale: 2)))
        }
        try writer.write(RecordBatch(schema: schema, columns: [keys.finish(), values.finish(), amounts.finish()]))
        try writer.close()
        return path
    }

    /// Reads every unit with `filter` on column `k` and returns the rows as (k, v, x) strings.
    private func readFiltered(_ path: String, predicate: ParquetPredicate? = nil, keep: @escaping (Int64) -> Bool) throws -> [String] {
        let dataset = try ParquetDataset(path: path)
        var out: [String] = []
        for unit in try dataset.scanUnits(predicate: predicate) {
            let test = ParquetRowTest(columns: ["k"]) { batch in
                guard case let .int64(keys) = batch.columns[0].storage else { return Bitmap(count: 0, value: false) }
                return Bitmap(keys.prefix(batch.rowCount).map(keep))
            }
            let (batch, filtered) = try dataset.read(unit, columns: ["v", "x", "k"], predicate: predicate, tests: [test])
            #expect(filtered)
            #expect(batch.schema.names == ["v", "x", "k"])
            for row in 0..<batch.rowCount {
                out.append("\(batch.columns[2].scalar(at: row))|\(batch.columns[0].scalar(at: row))|\(batch.columns[1].scalar(at: row))")
            }
        }
        return out
    }

    private func expectedRows(_ keep: (Int64) -> Bool) throws -> [String] {
        (0..<3000).filter { keep(Int64($0)) }.map { row -> String in
            let v: Scalar = row % 5 == 0 ? .null : .string("v\(row)")
            let x: Scalar = .decimal(DecimalValue(unscaled: Int128(row * 3), scale: 2))
            return "\(Scalar.int(Int64(row)))|\(v)|\(x)"
        }
    }

    @Test func filterKeepingNoneAllOrSome() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cases: [(String, (Int64) -> Bool)] = [
            ("none", { _ in false }),
            ("all", { _ in true }),
            ("sparse", { $0 % 97 == 3 }),
            ("page block", { $0 >= 1100 && $0 < 1300 }),
            ("row group ends", { $0 % 1000 == 0 || $0 % 1000 == 999 }),
            ("nulls only", { $0 % 5 == 0 }),
        ]
        for (name, keep) in cases {
            #expect(try readFiltered(path, keep: keep) == expectedRows(keep), "\(name)")
        }
    }

    @Test func laterTestsSeeOnlySurvivors() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = try ParquetDataset(path: path)
        let first = ParquetRowTest(columns: ["k"]) { batch in
            guard case let .int64(keys) = batch.columns[0].storage else { return Bitmap(count: 0, value: false) }
            return Bitmap(keys.prefix(batch.rowCount).map { $0 % 10 < 4 })
        }
        let seen = Counter()
        // The second test reads `v` (nulls included) at only the rows the first kept.
        let second = ParquetRowTest(columns: ["v"]) { batch in
            seen.add(batch.rowCount)
            return Bitmap((0..<batch.rowCount).map { !batch.columns[0].isNull($0) })
        }
        var keys: [Scalar] = []
        for unit in try dataset.scanUnits() {
            let batch = try dataset.read(unit, columns: ["k"], predicate: nil, tests: [first, second]).batch
            for row in 0..<batch.rowCount { keys.append(batch.columns[0].scalar(at: row)) }
        }
        #expect(seen.value == 1200)
        let wanted: [Scalar] = (0..<3000).filter { (row: Int) -> Bool in row % 10 < 4 && row % 5 != 0 }
            .map { (row: Int) -> Scalar in .int(Int64(row)) }
        #expect(keys == wanted)
    }

    @Test func valueWiseStringTestsAgreeWithRowByRow() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = try ParquetDataset(path: path)
        func run(valueWise: Bool) throws -> [Scalar] {
            let numeric = ParquetRowTest(columns: ["k"]) { batch in
                guard case let .int64(keys) = batch.columns[0].storage else { return Bitmap(count: 0, value: false) }
                return Bitmap(keys.prefix(batch.rowCount).map { $0 % 3 != 0 })
            }
            // Values ending in 7, and nulls, pass.
            let text = ParquetRowTest(columns: ["v"], valueWise: valueWise) { batch in
                Bitmap((0..<batch.rowCount).map { row in
                    guard case let .string(value) = batch.columns[0].scalar(at: row) else { return true }
                    return value.hasSuffix("7")
                })
            }
            var keys: [Scalar] = []
            for unit in try dataset.scanUnits() {
                for tests in [[text, numeric], [numeric, text]] {
                    let batch = try dataset.read(unit, columns: ["k", "v"], predicate: nil, tests: tests).batch
                    for row in 0..<batch.rowCount { keys.append(batch.columns[0].scalar(at: row)) }
                }
            }
            return keys
        }
        let wanted: [Scalar] = (0..<3000).filter { (row: Int) -> Bool in row % 3 != 0 && (row % 5 == 0 || row % 10 == 7) }
            .flatMap { (row: Int) -> [Scalar] in [.int(Int64(row))] }
        let byRow = try run(valueWise: false)
        let byDictionary = try run(valueWise: true)
        #expect(byRow == byDictionary)
        #expect(byRow.count == wanted.count * 2)
        #expect(Set(byRow.map(\.description)) == Set(wanted.map(\.description)))
    }

    @Test func filterWithPageIndexPruning() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The predicate leaves a few pages of one row group; the filter then keeps some of their rows.
        let predicate = ParquetPredicate.and([.compare(column: "k", .greaterOrEqual, .int(1500)), .compare(column: "k", .less, .int(1700))])
        let keep: (Int64) -> Bool = { $0 >= 1500 && $0 < 1700 && $0 % 3 == 0 }
        #expect(try readFiltered(path, predicate: predicate, keep: keep) == expectedRows(keep))
    }

    @Test func filterOfWrongLengthIsAnError() throws {
        let path = try writeFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let dataset = try ParquetDataset(path: path)
        let unit = try dataset.scanUnits()[0]
        let test = ParquetRowTest(columns: ["k"]) { _ in Bitmap(count: 3, value: true) }
        #expect(throws: ParquetError.self) { _ = try dataset.read(unit, columns: ["v"], predicate: nil, tests: [test]) }
    }
}

/// A count shared with a row test's closure.
private final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add(_ n: Int) { value += n }
}
