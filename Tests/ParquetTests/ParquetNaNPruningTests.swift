import Columnar
import Testing
@testable import Parquet

/// Float bounds leave NaN out, and Spark orders NaN above every number (and equal to itself), so
/// bounds may prune a float range only for conditions NaN fails.
@Suite("Parquet NaN pruning")
struct ParquetNaNPruningTests {
    /// A range of doubles in [-5, 4] that may also hold NaN.
    private let summary = ColumnSummary(min: .double(-5), max: .double(4), nullCount: 0, valueCount: 100)

    private func mightMatch(_ op: ParquetPredicate.Comparison, _ value: Double) -> Bool {
        ParquetPredicate.compare(column: "f", op, .double(value)).mightMatch { _ in summary }
    }

    @Test("conditions a NaN row satisfies keep the range")
    func nanSatisfied() {
        #expect(mightMatch(.greater, 10))
        #expect(mightMatch(.greaterOrEqual, 10))
        #expect(mightMatch(.notEqual, 4))
        #expect(mightMatch(.equal, .nan))
        #expect(ParquetPredicate.isIn(column: "f", [.double(100), .double(.nan)]).mightMatch { _ in summary })
    }

    @Test("conditions NaN fails still prune by the bounds")
    func nanFails() {
        #expect(!mightMatch(.less, -5))
        #expect(!mightMatch(.lessOrEqual, -6))
        #expect(!mightMatch(.equal, 7))
        #expect(mightMatch(.lessOrEqual, -5))
    }

    @Test("integer ranges are pruned as before")
    func integersUnchanged() {
        let ints = ColumnSummary(min: .int(-5), max: .int(4), nullCount: 0, valueCount: 100)
        #expect(!ParquetPredicate.compare(column: "i", .greater, .int(10)).mightMatch { _ in ints })
        #expect(!ParquetPredicate.compare(column: "i", .notEqual, .int(3)).mightMatch { _ in
            ColumnSummary(min: .int(3), max: .int(3), nullCount: 0, valueCount: 10)
        })
    }
}
