import Columnar
import Testing
@testable import Engine

/// Filters with several conjuncts narrow the batch after a selective conjunct and evaluate the
/// rest on the survivors; the rows kept must be exactly those every conjunct holds for.
@Suite struct FilterConjunctTests {
    /// Rows (i, i * 7 mod 11, null every fifth row) for i in 0..<n.
    private func table(_ session: Session, rows n: Int) throws -> DataFrame {
        var text = "i,j,k\n"
        for i in 0..<n { text += "\(i),\((i * 7) % 11),\(i % 5 == 0 ? "" : String(i % 4))\n" }
        return try session.read.option("header", "true").schema("i INT, j INT, k INT").csv(try temporaryFile(text))
    }

    @Test func selectiveFirstConjunctThenTheRest() throws {
        let session = testSession(batchRows: 64)
        let n = 500
        let df = try table(session, rows: n)
            .filter(col("i") < 120 && col("j") > 3 && col("k") != 2 && col("i") * 2 > 10)
            .select(col("i"))
        let expected = (0..<n).filter { i in
            let k: Int? = i % 5 == 0 ? nil : i % 4
            // A null `k` makes `k != 2` null, which a filter drops.
            return i < 120 && (i * 7) % 11 > 3 && k != nil && k != 2 && i * 2 > 10
        }.map { [String($0)] }
        #expect(try texts(df) == expected)
    }

    @Test func conjunctsThatKeepEverythingOrNothing() throws {
        let session = testSession(batchRows: 64)
        let all = try table(session, rows: 200).filter(col("i") >= 0 && col("j") < 11)
        #expect(try all.count() == 200)
        let none = try table(session, rows: 200).filter(col("i") >= 0 && col("j") > 11 && col("k") > 0)
        #expect(try none.count() == 0)
    }

    @Test func aFilterUnderAProjectionGathersOnlyTheColumnsItReads() throws {
        // A filter right above wide data (as after pushdown below a pruning projection).
        let session = testSession(batchRows: 64)
        let batches = try table(session, rows: 300).collectBatches()
        let attributes = batches[0].schema.fields.map { Attribute(name: $0.name, type: $0.type) }
        let (i, j) = (Expr.attribute(attributes[0]), Expr.attribute(attributes[1]))
        let scan = LocalExec(output: attributes, data: LocalData(batches))
        let filter = FilterProjectExec(
            condition: .binary(.and, .binary(.less, i, .literal(.int(40), .int32)), .binary(.greater, j, .literal(.int(2), .int32))),
            projection: [.alias(.binary(.multiply, i, .literal(.int(2), .int32)), name: "twice", id: AttributeID.next())],
            child: scan)
        // `k` is never read, so it is never gathered: two of the three input columns are.
        #expect(filter.readOrdinals == [0, 1])
        let got = try filter.execute(session.makeContext()).flatMap { b in (0..<b.rowCount).map { b.row($0)[0] } }
        let kept: [Int] = (0..<40).filter { (n: Int) -> Bool in (n * 7) % 11 > 2 }
        let expected: [Scalar] = kept.map { (n: Int) -> Scalar in .int(Int64(n * 2)) }
        #expect(got == expected)
    }

    /// Once few rows are left (here 4%), later conjuncts run over just the survivors, on
    /// only the columns they read; the mask they give back must mark exactly the rows of the
    /// whole batch that pass everything, nulls dropped.
    @Test func laterConjunctsRunOverTheSurvivorsOnly() throws {
        let session = testSession(batchRows: 1000)
        let n = 1000
        var text = "i,s,k\n"
        for i in 0..<n { text += "\(i),\(i % 7 == 0 ? "" : "ab\(i % 5)c"),\(i % 3 == 0 ? "" : String(i % 4))\n" }
        let df = try session.read.option("header", "true").schema("i INT, s STRING, k INT").csv(try temporaryFile(text))
            .cache()
            .filter(col("i") % 25 == 3 && col("s").like("ab%c") && !col("s").like("%2%") && col("k") != 1)
            .select(col("i"))
        let expected = (0..<n).filter { i in
            i % 25 == 3 && i % 7 != 0 && i % 5 != 2 && i % 3 != 0 && i % 4 != 1
        }.map { [String($0)] }
        #expect(try texts(df) == expected)

        let attributes = [Attribute(name: "i", type: .int32), Attribute(name: "s", type: .string)]
        let (iCol, sCol) = (Expr.attribute(attributes[0]), Expr.attribute(attributes[1]))
        let selection = ConjunctSelection(conjuncts: [
            .binary(.equal, .binary(.remainder, iCol, .literal(.int(25), .int32)), .literal(.int(3), .int32)),
            .like(sCol, pattern: .literal(.string("ab%"), .string), negated: false, caseInsensitive: false),
        ], input: attributes)
        #expect(selection.steps.map(\.cheap) == [true, false])
        #expect(selection.steps[1].ordinals == [1])
        let rows = 130
        let batch = RecordBatch(schema: Schema(attributes.map(\.field)), columns: [
            ColumnVector(type: .int32, count: rows, storage: .int32((0..<rows).map { Int32($0) }), validity: nil),
            stringColumn((0..<rows).map { $0 % 2 == 0 ? "abx" : "x" }),
        ], rowCount: rows)
        let mask = try selection.mask(batch, ExprEvaluator(input: attributes))
        #expect(mask.map { m in (0..<rows).filter { m[$0] } } == [28, 78, 128])
        let nothing = ConjunctSelection(conjuncts: [.binary(.less, iCol, .literal(.int(0), .int32))], input: attributes)
        #expect(try nothing.mask(batch, ExprEvaluator(input: attributes)) == nil)
    }

    private func stringColumn(_ values: [String]) -> ColumnVector {
        var offsets: [Int32] = [0]
        var data: [UInt8] = []
        for v in values {
            data.append(contentsOf: Array(v.utf8))
            offsets.append(Int32(data.count))
        }
        return ColumnVector(type: .string, count: values.count, storage: .bytes(offsets: offsets, data: data), validity: nil)
    }
}
