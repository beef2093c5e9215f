import Columnar
import Testing
@testable import Engine

/// Aggregates grouped by strings: keys of at most seven bytes take the packed-integer path
/// (`PackedKeyLayout`), longer ones the byte path; both must group alike, with null, the empty
/// string and strings that differ only by a trailing NUL byte as separate groups.
@Suite struct StringKeyAggregateTests {
    private let flags: [String?] = ["A", "N", "", nil, "R", "A\u{0}", "N", "A", nil, "", "seven77"]

    private func counts(_ keys: [String?], batchRows: Int) throws -> [String: Int64] {
        let s = testSession(batchRows: batchRows)
        let rows: [[Scalar]] = keys.enumerated().map { i, k in [k.map { .string($0) } ?? .null, .int(Int64(i % 2))] }
        let df = try s.createDataFrame(rows, schema: Schema([Field("k", .string), Field("s", .int32)]))
            .groupBy(col("k"), col("s")).agg(F.count(col("s")))
        var got: [String: Int64] = [:]
        for row in try df.collect() {
            let v = row.values
            guard case let .int(c) = v[2] else {
                Issue.record("unexpected row \(v)")
                continue
            }
            let key: String
            if case let .string(k) = v[0] { key = "'\(k.unicodeScalars.map { String($0.value) }.joined(separator: ","))'" } else { key = "null" }
            got["\(key)|\(v[1])"] = c
        }
        return got
    }

    private func expected(_ keys: [String?]) -> [String: Int64] {
        var want: [String: Int64] = [:]
        for (i, k) in keys.enumerated() {
            let key = k.map { "'\($0.unicodeScalars.map { String($0.value) }.joined(separator: ","))'" } ?? "null"
            want["\(key)|\(i % 2)", default: 0] += 1
        }
        return want
    }

    @Test(arguments: [1, 4, 100])
    func shortAndLongStringKeysGroupAlike(batchRows: Int) throws {
        #expect(try counts(flags, batchRows: batchRows) == expected(flags))
        // One key longer than seven bytes sends every key through the byte path.
        let long = flags + ["eight888"]
        #expect(try counts(long, batchRows: batchRows) == expected(long))
    }
}
