import Columnar
import Testing
@testable import Engine

/// Joins and aggregates on integer-like keys, which take the packed-integer path, checked
/// against answers computed here row by row: nulls, negative numbers, keys of mixed widths,
/// decimals, and keys too wide to pack (the byte path).
@Suite struct IntegerKeyTests {
    /// Deterministic pseudo-random rows: (a tinyint with nulls, b bigint with negatives, d date).
    private func rows(_ count: Int, seed: UInt64, spread: Int64) -> [(Int64?, Int64, Int32)] {
        var x = seed
        func next() -> UInt64 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return x >> 33
        }
        return (0..<count).map { _ in
            let a: Int64? = next() % 7 == 0 ? nil : Int64(next() % 9) - 4
            let b = Int64(next() % UInt64(spread)) - spread / 2
            let d = Int32(next() % 5) - 2
            return (a, b, d)
        }
    }

    private func frame(_ s: Session, _ rows: [(Int64?, Int64, Int32)], prefix: String) throws -> DataFrame {
        try s.createDataFrame(rows.map { [$0.0.map { Scalar.int($0) } ?? .null, .int($0.1), .date($0.2)] },
                              schema: Schema([Field("\(prefix)a", .int8), Field("\(prefix)b", .int64),
                                              Field("\(prefix)d", .date)]))
    }

    @Test(arguments: [Int64(40), Int64(1) << 62])
    func groupByMixedWidthKeysWithNulls(spread: Int64) throws {
        let s = testSession(batchRows: 7)
        let data = rows(300, seed: 1, spread: spread)
        let df = try frame(s, data, prefix: "").groupBy(col("a"), col("b"), col("d")).agg(F.count(col("b")), F.sum(col("b")))
        var expected: [String: (Int64, Int64)] = [:]
        for (a, b, d) in data {
            let key = "\(a.map(String.init) ?? "NULL")|\(b)|\(d)"
            let cur = expected[key] ?? (0, 0)
            expected[key] = (cur.0 + 1, cur.1 &+ b)
        }
        var got: [String: (Int64, Int64)] = [:]
        for row in try df.collect() {
            let v = row.values
            guard case let .date(d) = v[2], case let .int(c) = v[3], case let .int(sum) = v[4] else {
                Issue.record("unexpected row \(v)")
                continue
            }
            got["\(v[0])|\(v[1])|\(d)"] = (c, sum)
        }
        #expect(got.count == expected.count)
        for (k, e) in expected { #expect(got[k].map { $0 == e } == true, "group \(k)") }
    }

    @Test func joinsOnIntegerKeysOfMixedWidthsSkipNulls() throws {
        let s = testSession(batchRows: 5)
        let l = rows(120, seed: 2, spread: 30)
        let r = rows(80, seed: 3, spread: 30)
        let left = try frame(s, l, prefix: "l")
        let right = try frame(s, r, prefix: "r")
        // Tinyint against bigint, and a pair of keys (tinyint, date) against (bigint, date).
        let single = try left.join(right, on: col("la") == col("rb"))
        var expected = 0
        for x in l { for y in r where x.0 != nil && x.0 == y.1 { expected += 1 } }
        #expect(try single.count() == expected)
        let pair = try left.join(right, on: col("la") == col("rb") && col("ld") == col("rd"))
        expected = 0
        for x in l { for y in r where x.0 != nil && x.0 == y.1 && x.2 == y.2 { expected += 1 } }
        #expect(try pair.count() == expected)
        // Semi and anti joins count each left row once, however many right rows match.
        let semi = try left.join(right, on: col("lb") == col("rb"), how: "left_semi")
        let matched = l.filter { x in r.contains { $0.1 == x.1 } }.count
        #expect(try semi.count() == matched)
        let anti = try left.join(right, on: col("lb") == col("rb"), how: "left_anti")
        #expect(try anti.count() == l.count - matched)
        // Nulls never match in a join, but null equals null for INTERSECT and EXCEPT.
        let la = try left.select(col("la")), ra = try right.select(col("ra"))
        let both = Set(l.map { $0.0 }).intersection(Set(r.map { $0.0 }))
        #expect(try la.intersect(ra).count() == both.count)
        #expect(try la.subtract(ra).count() == Set(l.map { $0.0 }).subtracting(both).count)
    }

    @Test func wideKeysFallBackToBytesAndStillMatch() throws {
        let s = testSession(batchRows: 3)
        let values: [Int64] = [Int64.min, -1, 0, Int64.max, -1]
        let left = try s.createDataFrame(values.map { [.int($0)] }, schema: Schema([Field("x", .int64)]))
        let right = try s.createDataFrame([[.int(Int64.max)], [.int(-1)], [.int(Int64.min)], [.null]],
                                          schema: Schema([Field("y", .int64)]))
        #expect(try left.join(right, on: col("x") == col("y")).count() == 4)
        let grouped = try left.groupBy(col("x")).agg(F.count(col("x"))).orderBy(col("x"))
        #expect(try texts(grouped) == [["\(Int64.min)", "1"], ["-1", "2"], ["0", "1"], ["\(Int64.max)", "1"]])
    }

    @Test func decimalKeysJoinAndGroupExactly() throws {
        let s = testSession(batchRows: 2)
        let t = DataType.decimal(precision: 12, scale: 2)
        let dec = { (v: Int128) in Scalar.decimal(DecimalValue(unscaled: v, scale: 2)) }
        let left = try s.createDataFrame([[dec(-150)], [dec(99)], [dec(-150)], [.null]], schema: Schema([Field("p", t)]))
        let right = try s.createDataFrame([[dec(-150)], [dec(100)], [.null]], schema: Schema([Field("q", t)]))
        #expect(try left.join(right, on: col("p") == col("q")).count() == 2)
        let grouped = try left.groupBy(col("p")).agg(F.count(col("p"))).orderBy(col("p"))
        #expect(try texts(grouped) == [["NULL", "0"], ["-1.50", "2"], ["0.99", "1"]])
    }
}
