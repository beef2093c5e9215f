import Columnar
import Testing
@testable import Engine

/// A join under a projection gathers only the columns the projection reads; the rows are the
/// same as with every column gathered.
@Suite struct JoinOutputPruningTests {
    private func frames(_ session: Session) throws -> (DataFrame, DataFrame) {
        var a = "ak,ax,ay\n", b = "bk,bz,bw\n"
        for i in 0..<40 { a += "\(i % 13),\(i),a\(i)\n" }
        for i in 0..<25 { b += "\(i % 9),\(i * 10),b\(i)\n" }
        let left = try session.read.option("header", "true").schema("ak INT, ax INT, ay STRING").csv(try temporaryFile(a))
        let right = try session.read.option("header", "true").schema("bk INT, bz INT, bw STRING").csv(try temporaryFile(b))
        return (left, right)
    }

    /// The hash joins of the physical plan.
    private func joins(_ df: DataFrame) throws -> [HashJoinExec] {
        let execution = QueryExecution(session: df.session, analyzed: df.plan)
        let physical = try PhysicalPlanner(context: df.session.makeContext(), session: df.session).plan(try execution.optimized())
        var found: [HashJoinExec] = []
        func walk(_ op: any PhysicalOperator) {
            if let j = op as? HashJoinExec { found.append(j) }
            op.children.forEach(walk)
        }
        walk(physical)
        return found
    }

    @Test func everyJoinTypeGivesTheSameRowsWithFewerColumns() throws {
        let session = testSession(batchRows: 7)
        let (left, right) = try frames(session)
        let aRows = (0..<40).map { (k: $0 % 13, x: $0, y: "a\($0)") }
        let bRows = (0..<25).map { (k: $0 % 9, z: $0 * 10, w: "b\($0)") }
        for how in ["inner", "left", "right", "full"] {
            let df = try left.join(right, on: col("ak") == col("bk"), how: how).select(col("ay"), col("bz"))
            var expected: [[String]] = []
            for a in aRows {
                let matches = bRows.filter { $0.k == a.k }
                if matches.isEmpty, how == "left" || how == "full" { expected.append([a.y, "NULL"]) }
                for b in matches { expected.append([a.y, String(b.z)]) }
            }
            if how == "right" || how == "full" {
                for b in bRows where !aRows.contains(where: { $0.k == b.k }) { expected.append(["NULL", String(b.z)]) }
            }
            let got = try texts(df).map { $0.map { $0 == "null" ? "NULL" : $0 } }
            #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(how)")
            let planned = try joins(df)
            #expect(planned.count == 1)
            #expect(planned.allSatisfy { $0.output.count < $0.left.output.count + $0.right.output.count }, "\(how)")
        }
        for how in ["left_semi", "left_anti"] {
            let df = try left.join(right, on: col("ak") == col("bk") && col("ax") > col("bz") / 10, how: how).select(col("ay"))
            let expected = aRows.filter { a in
                let hit = bRows.contains { $0.k == a.k && Double(a.x) > Double($0.z) / 10 }
                return how == "left_semi" ? hit : !hit
            }.map { [$0.y] }
            #expect(try texts(df).sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(how)")
        }
    }
}
