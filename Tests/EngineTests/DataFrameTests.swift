import Columnar
import Testing
@testable import Engine

/// A small sales table: (region, product, qty int, price decimal(10,2), day date).
private func sales(_ session: Session) throws -> DataFrame {
    let path = try temporaryFile("""
    region,product,qty,price,day
    east,apple,3,1.50,2024-01-01
    east,pear,1,2.25,2024-01-02
    west,apple,5,1.40,2024-01-02
    west,kiwi,,0.80,2024-01-03
    north,pear,2,2.00,2024-01-05
    east,apple,4,1.50,2024-01-06

    """)
    return try session.read.option("header", "true")
        .schema("region STRING, product STRING, qty INT, price DECIMAL(10,2), day DATE").csv(path)
}

@Suite struct DataFrameTests {
    @Test func filterAndProjectWithDecimalArithmetic() throws {
        let df = try sales(testSession())
            .filter(col("qty") > 2)
            .select(col("product"), (col("price") * col("qty")).alias("total"))
        #expect(df.schema.fields[1].type == .decimal(precision: 21, scale: 2))
        #expect(try texts(df) == [["apple", "4.50"], ["apple", "7.00"], ["apple", "6.00"]])
    }

    @Test func groupByAggregatesFollowSparkTypes() throws {
        let df = try sales(testSession())
            .groupBy(col("region"))
            .agg(F.sum(col("qty")).alias("q"), F.sum(col("price")).alias("p"), F.avg(col("price")).alias("a"),
                 F.count(col("qty")).alias("n"), F.count(col("*")).alias("rows"), F.max(col("product")).alias("mx"))
            .orderBy(col("region"))
        #expect(df.schema.fields.map(\.type) == [.string, .int64, .decimal(precision: 20, scale: 2),
                                                 .decimal(precision: 14, scale: 6), .int64, .int64, .string])
        #expect(try texts(df) == [
            ["east", "8", "5.25", "1.750000", "3", "3", "pear"],
            ["north", "2", "2.00", "2.000000", "1", "1", "pear"],
            ["west", "5", "2.20", "1.100000", "1", "2", "kiwi"],
        ])
    }

    @Test func globalAggregateOverNoRowsGivesOneRow() throws {
        let df = try sales(testSession()).filter(col("qty") > 100).agg(F.count(col("qty")), F.sum(col("qty")))
        #expect(try texts(df) == [["0", "NULL"]])
    }

    @Test func joinsMatchHandCheckedRows() throws {
        let s = testSession()
        let left = try s.createDataFrame([[.int(1), .string("a")], [.int(2), .string("b")], [.int(3), .string("c")], [.null, .string("n")]],
                                         schema: Schema([Field("k", .int32), Field("v", .string)]))
        let right = try s.createDataFrame([[.int(1), .string("x")], [.int(1), .string("y")], [.int(4), .string("z")], [.null, .string("m")]],
                                          schema: Schema([Field("k2", .int32), Field("w", .string)]))
        let on = col("k") == col("k2")
        let inner = try left.join(right, on: on).orderBy(col("w"))
        #expect(try texts(inner) == [["1", "a", "1", "x"], ["1", "a", "1", "y"]])
        let leftOuter = try left.join(right, on: on, how: "left").orderBy(col("v"), col("w"))
        #expect(try texts(leftOuter).map { [$0[1], $0[3]] } == [["a", "x"], ["a", "y"], ["b", "NULL"], ["c", "NULL"], ["n", "NULL"]])
        let rightOuter = try left.join(right, on: on, how: "right").orderBy(col("w"))
        #expect(try texts(rightOuter).map { [$0[1], $0[3]] } == [["NULL", "m"], ["a", "x"], ["a", "y"], ["NULL", "z"]])
        let full = try left.join(right, on: on, how: "full")
        #expect(try full.count() == 7)
        let semi = try left.join(right, on: on, how: "left_semi")
        #expect(try texts(semi) == [["1", "a"]])
        let anti = try left.join(right, on: on, how: "left_anti").orderBy(col("v"))
        #expect(try texts(anti) == [["2", "b"], ["3", "c"], ["NULL", "n"]])
        let theta = try left.join(right, on: col("k") < col("k2"))
        #expect(try texts(theta).map { [$0[0], $0[2]] }.sorted { $0.joined() < $1.joined() } == [["1", "4"], ["2", "4"], ["3", "4"]])
    }

    @Test func sortLimitDistinctUnion() throws {
        let df = try sales(testSession())
        let top = try df.orderBy(col("price").desc(), col("product")).limit(2).select(col("product"), col("price"))
        #expect(try texts(top) == [["pear", "2.25"], ["pear", "2.00"]])
        let regions = try df.select(col("region")).distinct().orderBy(col("region"))
        #expect(try texts(regions) == [["east"], ["north"], ["west"]])
        #expect(try df.union(df).count() == 12)
        let nullsLast = try df.orderBy(col("qty").desc()).select(col("qty"))
        #expect(try texts(nullsLast).map { $0[0] } == ["5", "4", "3", "2", "1", "NULL"])
    }

    @Test func withColumnRenameAndDrop() throws {
        let df = try sales(testSession())
            .withColumn("double_qty", col("qty") * 2)
            .withColumnRenamed("product", "item")
            .drop("day", "price")
            .filter(col("region") == lit("north"))
        #expect(df.columns == ["region", "item", "qty", "double_qty"])
        #expect(try texts(df) == [["north", "pear", "2", "4"]])
    }

    @Test func describeSummarizesNumbersAndStrings() throws {
        let df = try sales(testSession())
        let summary = try df.describe()
        #expect(summary.columns == ["summary", "region", "product", "qty", "price"])
        #expect(try texts(summary) == [
            ["count", "6", "6", "5", "6"],
            ["mean", "NULL", "NULL", "3.0", "1.575000"],
            ["stddev", "NULL", "NULL", "1.5811388300841898", "0.5057173123396114"],
            ["min", "east", "apple", "1", "0.80"],
            ["max", "west", "pear", "5", "2.25"],
        ])
        #expect(try texts(df.describe("qty")).map { $0[1] } == ["5", "3.0", "1.5811388300841898", "1", "5"])
        #expect(throws: EngineError.self) { try df.describe("nosuch") }
    }

    @Test func monotonicallyIncreasingIdsFollowTheRows() throws {
        let df = try sales(testSession())
            .filter(col("region") != lit("west"))
            .withColumn("id", F.monotonicallyIncreasingId())
            .select(col("id"), col("product"))
        #expect(df.schema.fields[0].type == .int64)
        #expect(try texts(df) == [["0", "apple"], ["1", "pear"], ["2", "pear"], ["3", "apple"]])
    }

    @Test func pysparkConveniences() throws {
        let session = try testSession()
        let df = try sales(session)
        #expect(try df.toDF("r", "p", "q", "c", "d").columns == ["r", "p", "q", "c", "d"])
        #expect(throws: EngineError.self) { try df.toDF("only") }
        #expect(try df.withColumns(["two": lit(2), "qty": col("qty") + 1]).select(col("qty"), col("two")).head(2).map(\.description)
            == ["Row(qty=4, two=2)", "Row(qty=2, two=2)"])
        // One projection: a value reads the column as it was, not as another pair replaces it.
        #expect(try df.withColumns(["qty": col("qty") + 1, "old": col("qty")]).select(col("qty"), col("old")).first()?.description
            == "Row(qty=4, old=3)")
        #expect(try df.offset(4).count() == 2)
        #expect(try df.first()?.description == "Row(region=east, product=apple, qty=3, price=1.50, day=2024-01-01)")
        #expect(try df.limit(0).first() == nil)
        // One row per (region, product), the other columns from one row of the group.
        let unique = try df.dropDuplicates(["region", "product"]).orderBy(col("region"), col("product"))
        #expect(unique.columns == df.columns)
        #expect(try texts(unique.select(col("region"), col("product"))) == [["east", "apple"], ["east", "pear"], ["north", "pear"],
                                                                           ["west", "apple"], ["west", "kiwi"]])
        // Every kept row is one of the original rows, whole.
        let originals = Set(try texts(df).map { $0.joined(separator: "|") })
        #expect(try texts(unique).allSatisfy { originals.contains($0.joined(separator: "|")) })
        #expect(try df.sample(fraction: 0).count() == 0)
        #expect(try df.sample(fraction: 1).count() == 6)
        #expect(throws: EngineError.self) { try df.sample(fraction: 1.5) }
        // Nulls: kiwi's qty.
        #expect(try df.dropna().count() == 5)
        #expect(try df.dropna(how: "all", subset: ["qty"]).count() == 5)
        #expect(try texts(df.fillna(.int(0)).filter(col("product") == lit("kiwi")).select(col("qty"))) == [["0"]])
        #expect(try texts(df.fillna(.string("x")).filter(col("product") == lit("kiwi")).select(col("qty"))) == [["NULL"]])
        // unionByName matches columns by name; missing ones are null only when allowed.
        let a = try df.select(col("product"), col("qty")).limit(1)
        let b = try df.select(col("qty"), col("region")).limit(1)
        #expect(throws: EngineError.self) { try a.unionByName(b) }
        #expect(try texts(a.unionByName(b, allowMissingColumns: true)) == [["apple", "3", "NULL"], ["NULL", "3", "east"]])
        #expect(try texts(a.unionByName(try df.select(col("qty"), col("product")).limit(1))) == [["apple", "3"], ["apple", "3"]])
    }

    @Test func caseWhenCoalesceAndDates() throws {
        let df = try sales(testSession()).select(
            F.when(col("qty") >= 3, lit("big"), otherwise: lit("small")).alias("size"),
            F.coalesce(col("qty"), lit(0)).alias("q"),
            F.year(col("day")).alias("y"),
            F.expr("date_add", col("day"), lit(30)).alias("later"))
        let rows = try texts(df)
        #expect(rows[0] == ["big", "3", "2024", "2024-01-31"])
        #expect(rows[3] == ["small", "0", "2024", "2024-02-02"])
    }

    @Test func windowRanking() throws {
        let w = Window.partitionBy(col("region")).orderBy(col("price").desc())
        let df = try sales(testSession())
            .select(col("region"), col("product"), F.rowNumber().over(w).alias("rn"), F.rank().over(w).alias("rk"))
            .orderBy(col("region"), col("rn"))
        #expect(try texts(df) == [
            ["east", "pear", "1", "1"], ["east", "apple", "2", "2"], ["east", "apple", "3", "2"],
            ["north", "pear", "1", "1"],
            ["west", "apple", "1", "1"], ["west", "kiwi", "2", "2"],
        ])
    }

    @Test func unknownColumnIsAnAnalysisErrorNamingIt() throws {
        do {
            _ = try sales(testSession()).select(col("nope"))
            Issue.record("expected an analysis error")
        } catch let EngineError.analysis(message, _) {
            #expect(message.contains("`nope`"))
            #expect(message.contains("region"))
        }
    }

    @Test func nonGroupedColumnIsRejected() throws {
        #expect(throws: EngineError.self) {
            _ = try sales(testSession()).groupBy(col("region")).agg(col("product"))
        }
    }

    @Test func showPrintsASparkTable() throws {
        let text = try sales(testSession()).select(col("region"), col("qty")).limit(2).showString()
        #expect(text == """
        +------+---+
        |region|qty|
        +------+---+
        |  east|  3|
        |  east|  1|
        +------+---+

        """)
    }
}
