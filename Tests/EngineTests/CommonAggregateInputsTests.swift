import Columnar
import Testing
@testable import Engine

/// Aggregate arguments that share a computed sub-expression get it from one projection below
/// the aggregate; the answers are those of computing it at every use.
@Suite struct CommonAggregateInputsTests {
    @Test func sharedProductIsComputedOnceAndSumsAreUnchanged() throws {
        let session = testSession(batchRows: 5)
        var text = "g,p,d,t\n"
        var expected: [String: (Double, Double, Int)] = [:]
        for i in 0..<60 {
            let g = ["a", "b", "c"][i % 3], p = Double(i) + 0.5, d = Double(i % 10) / 100, t = Double(i % 7) / 100
            text += "\(g),\(p),\(d),\(t)\n"
            var e = expected[g, default: (0, 0, 0)]
            e.0 += p * (1 - d)
            e.1 += p * (1 - d) * (1 + t)
            e.2 += 1
            expected[g] = e
        }
        let df = try session.read.option("header", "true").schema("g STRING, p DOUBLE, d DOUBLE, t DOUBLE")
            .csv(try temporaryFile(text))
            .filter(col("p") > 0)
            .groupBy(col("g"))
            .agg(F.sum(col("p") * (1 - col("d"))).alias("disc"), F.sum(col("p") * (1 - col("d")) * (1 + col("t"))).alias("charge"),
                 F.count(col("*")).alias("n"))
            .orderBy(col("g"))
        let rows = try df.collect()
        #expect(rows.count == 3)
        for row in rows {
            guard case let .string(g) = row.values[0], let e = expected[g],
                  case let .double(disc) = row.values[1], case let .double(charge) = row.values[2] else {
                Issue.record("unexpected row \(row.values)")
                continue
            }
            #expect(abs(disc - e.0) < 1e-9 && abs(charge - e.1) < 1e-9)
            #expect(row.values[3] == .int(Int64(e.2)))
        }
        // The aggregate reads the product from one projection below it (the CSV scan applies the
        // filter itself, so no filter is left to fold it into).
        let physical = try PhysicalPlanner(context: session.makeContext(), session: session)
            .plan(try QueryExecution(session: session, analyzed: df.plan).optimized())
        var aggregate: HashAggregateExec?
        func walk(_ op: any PhysicalOperator) {
            if let a = op as? HashAggregateExec { aggregate = a }
            op.children.forEach(walk)
        }
        walk(physical)
        let input = aggregate?.child as? FilterProjectExec
        #expect(input != nil)
        #expect(input?.condition == nil)
        #expect(input?.projection?.count == 5)
        // `1 - d` lives only in the projection now; the aggregate still adds `1 + t` itself.
        let args = aggregate?.calls.flatMap(\.args) ?? []
        #expect(!args.contains { $0.contains { if case .binary(.subtract, _, _) = $0 { return true }; return false } })
        #expect(args.contains { $0.contains { if case .binary(.add, _, _) = $0 { return true }; return false } })
        #expect(CommonAggregateInputs.largestRepeated(in: [
            .binary(.multiply, .attribute(Attribute(name: "x", type: .float64)), .literal(.double(2), .float64)),
        ]) == nil)
    }
}
