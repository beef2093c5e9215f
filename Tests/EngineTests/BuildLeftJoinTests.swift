import Columnar
import Testing
@testable import Engine

/// Semi, anti and left joins that hash their left side (`HashJoinBuildLeftExec`): keys packed as
/// integers or short strings and keys encoded as bytes must give the same answers, null keys
/// match nothing, and an empty side is no special case.
@Suite struct BuildLeftJoinTests {
    /// `outer` (4 rows: an id with a duplicate and a null, a short and a long code) and `inner`
    /// (`rows` rows: ref = i % 5 with every 7th null, code from a small set).
    private func tables(_ s: Session, rows: Int) throws {
        let outer = try s.createDataFrame([[.int(1), .string("A"), .string("first-long-code")],
                                           [.int(2), .string("B"), .string("second-long-code")],
                                           [.null, .string("C"), .string("first-long-code")],
                                           [.int(2), .null, .null]],
                                          schema: Schema([Field("id", .int32), Field("code", .string), Field("long", .string)]))
        outer.createOrReplaceTempView("outer_t")
        var innerRows: [[Scalar]] = []
        for i in 0..<rows {
            let ref: Scalar = i % 7 == 0 ? .null : .int(Int64(i % 5))
            let code: Scalar = i % 3 == 0 ? .string("B") : .string("Z")
            let long: Scalar = .string(i % 4 == 0 ? "second-long-code" : "other-long-code")
            innerRows.append([ref, code, long, .int(Int64(i))])
        }
        let inner = try s.createDataFrame(innerRows, schema: Schema([Field("ref", .int32), Field("icode", .string),
                                                                     Field("ilong", .string), Field("seq", .int32)]))
        inner.createOrReplaceTempView("inner_t")
    }

    /// The rows of `outer_t` (as id/code/long texts) that have (`exists`) or have no inner row
    /// matching `key`.
    private func semi(_ s: Session, on key: Expr, negated: Bool, outerFilter: Expr? = nil) throws
        -> (plan: String, rows: [[String]]) {
        let correlated = LogicalPlan.filter(key, .unresolvedRelation(["inner_t"]))
        let outer = outerFilter.map { LogicalPlan.filter($0, .unresolvedRelation(["outer_t"])) } ?? .unresolvedRelation(["outer_t"])
        let df = try s.dataFrame(.project([.col("id"), .col("code"), .col("long")],
                                          .filter(.exists(correlated, negated: negated), outer)))
        return (try df.explainString(), try texts(df).sorted { $0.joined(separator: "|") < $1.joined(separator: "|") })
    }

    @Test func integerShortStringAndLongStringKeysMatchAlike() throws {
        let s = testSession()
        try tables(s, rows: 60)
        // Integer keys: ids 1 and 2 occur among refs; the null id never matches.
        let byId = try semi(s, on: .binary(.equal, .col("ref"), .col("id")), negated: false)
        #expect(byId.plan.contains("left_semi build=left"))
        #expect(byId.rows == [["1", "A", "first-long-code"], ["2", "B", "second-long-code"], ["2", "NULL", "NULL"]])
        let noId = try semi(s, on: .binary(.equal, .col("ref"), .col("id")), negated: true)
        #expect(noId.plan.contains("left_anti build=left"))
        #expect(noId.rows == [["NULL", "C", "first-long-code"]])
        // Short string keys (packed): only "B" occurs; the null code never matches.
        let byCode = try semi(s, on: .binary(.equal, .col("icode"), .col("code")), negated: false)
        #expect(byCode.rows == [["2", "B", "second-long-code"]])
        let noCode = try semi(s, on: .binary(.equal, .col("icode"), .col("code")), negated: true)
        #expect(noCode.rows.count == 3)
        // Long string keys (encoded as bytes).
        let byLong = try semi(s, on: .binary(.equal, .col("ilong"), .col("long")), negated: false)
        #expect(byLong.rows == [["2", "B", "second-long-code"]])
        // With a residual condition on the pairs: id 1 has refs 1, 6→1 … only seq 1 (ref 1) is below 2.
        let residual = try semi(s, on: .binary(.and, .binary(.equal, .col("ref"), .col("id")),
                                               .binary(.less, .col("seq"), .int(2))), negated: false)
        #expect(residual.rows == [["1", "A", "first-long-code"]])
    }

    @Test func emptySidesAreNoSpecialCase() throws {
        let s = testSession()
        try tables(s, rows: 0)
        let none = try semi(s, on: .binary(.equal, .col("ref"), .col("id")), negated: false)
        #expect(none.rows.isEmpty)
        let all = try semi(s, on: .binary(.equal, .col("ref"), .col("id")), negated: true)
        #expect(all.rows.count == 4)
        // An outer side filtered to nothing, hashed on the left.
        try tables(s, rows: 60)
        for negated in [false, true] {
            let empty = try semi(s, on: .binary(.equal, .col("ref"), .col("id")), negated: negated,
                                 outerFilter: .binary(.greater, .col("id"), .int(100)))
            #expect(empty.plan.contains("build=left"))
            #expect(empty.rows.isEmpty)
        }
    }
}
