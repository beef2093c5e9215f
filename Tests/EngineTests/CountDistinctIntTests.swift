import Columnar
import Testing
@testable import Engine

/// `count(DISTINCT x)` over integers (`CountDistinctIntAccumulator`, pairs in a `GroupValueSet`)
/// against the general accumulator over encoded keys: the same counts per group, with nulls,
/// repeated values, growth of the set, and partial tables merged under a group mapping.
@Suite struct CountDistinctIntTests {
    private typealias Generator = CSVPlainSplitTests.Generator

    /// A column of `type` with `n` values drawn from `0..<range` (negative ones too), about one in
    /// `nullEvery` null (none when 0).
    private func column(_ type: DataType, _ n: Int, range: Int, nullEvery: Int, _ rng: inout Generator) -> ColumnVector {
        let raw = (0..<n).map { _ in Int64(rng.below(range)) - Int64(range / 3) }
        var validity: Bitmap? = nil
        if nullEvery > 0 {
            var v = Bitmap(count: n, value: true)
            for i in 0..<n where rng.below(nullEvery) == 0 { v[i] = false }
            validity = v
        }
        let storage: ColumnStorage
        switch type {
        case .int8: storage = .int8(raw.map { Int8(truncatingIfNeeded: $0) })
        case .int16: storage = .int16(raw.map { Int16(truncatingIfNeeded: $0) })
        case .int32, .date: storage = .int32(raw.map { Int32(truncatingIfNeeded: $0) })
        default: storage = .int64(raw.map { $0 &* 1_000_003 })
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: validity)
    }

    private func counts(_ acc: any Accumulator, _ groups: Int) -> [Int64] {
        guard case let .int64(v) = acc.finish(groups).storage else { return [] }
        return v
    }

    @Test(arguments: [DataType.int8, .int16, .int32, .int64, .date, .timestamp])
    func agreesWithTheGeneralAccumulator(_ type: DataType) throws {
        #expect(CountDistinctIntAccumulator.handles(type))
        var rng = Generator(state: 0xC0DE)
        for (groupCount, range, nullEvery) in [(1, 5, 0), (7, 50, 4), (300, 5000, 9), (3, 100_000, 0)] {
            let fast = CountDistinctIntAccumulator(), general = CountDistinctAccumulator()
            fast.resize(groupCount)
            general.resize(groupCount)
            for batch in 0..<4 {
                let n = batch == 2 ? 0 : 1 + rng.below(3000)  // an empty batch too
                let groups = (0..<n).map { _ in Int32(rng.below(groupCount)) }
                let values = column(type, n, range: range, nullEvery: nullEvery, &rng)
                try fast.update(groups, [values])
                try general.update(groups, [values])
            }
            #expect(counts(fast, groupCount) == counts(general, groupCount), "\(type) \(groupCount) groups")
        }
    }

    @Test func partialsMergeUnderTheGroupMapping() throws {
        var rng = Generator(state: 0xFEED)
        let groupCount = 40
        // Two partial tables whose groups map onto a global table's groups in another order.
        let parts = (0..<2).map { _ in (CountDistinctIntAccumulator(), CountDistinctAccumulator()) }
        for (fast, general) in parts {
            fast.resize(groupCount)
            general.resize(groupCount)
            let n = 5000
            let groups = (0..<n).map { _ in Int32(rng.below(groupCount)) }
            let values = column(.int64, n, range: 700, nullEvery: 6, &rng)
            try fast.update(groups, [values])
            try general.update(groups, [values])
        }
        let mapping = (0..<groupCount).map { Int32((groupCount - 1 - $0) / 2) }  // two groups onto one
        let fast = CountDistinctIntAccumulator(), general = CountDistinctAccumulator()
        fast.resize(groupCount)
        general.resize(groupCount)
        for (f, g) in parts {
            fast.merge(f, mapping: mapping)
            general.merge(g, mapping: mapping)
        }
        let merged = counts(fast, groupCount)
        #expect(merged == counts(general, groupCount))
        #expect(merged.contains { $0 > 0 })
    }

    @Test func onlyNullsCountZero() throws {
        let acc = CountDistinctIntAccumulator()
        acc.resize(2)
        try acc.update([0, 1, 1], [ColumnVector(type: .int32, count: 3, storage: .int32([1, 2, 3]),
                                                validity: Bitmap(count: 3, value: false))])
        try acc.update([0, 1], [ColumnVector.nulls(.null, count: 2)])
        #expect(counts(acc, 2) == [0, 0])
    }
}
