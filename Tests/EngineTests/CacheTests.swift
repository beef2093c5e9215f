import Columnar
import Testing
@testable import Engine

@Suite struct CacheTests {
    private func table(_ session: Session) throws -> DataFrame {
        let path = try temporaryFile("k,v\n1,10\n2,20\n3,30\n")
        return try session.read.option("header", "true").schema("k INT, v INT").csv(path)
    }

    @Test func cachedFrameIsComputedOnceAndReusedThroughViews() throws {
        let session = testSession()
        let df = try table(session).filter(col("v") > 10).cache()
        #expect(df.isCached)
        #expect(!session.cacheManager.isMaterialized(df.plan))
        #expect(try df.count() == 2)
        #expect(session.cacheManager.isMaterialized(df.plan))
        df.createOrReplaceTempView("t")
        // A view over the cached plan gets fresh column ids but still finds the cached data.
        let viaView = try session.table("t").agg(F.sum(col("v")))
        let plan = try QueryExecution(session: session, analyzed: viaView.plan).optimized()
        #expect(plan.treeString().contains("LocalRelation"))
        #expect(try texts(viaView) == [["50"]])
    }

    @Test func evictedDataIsRecomputedFromLineage() throws {
        let session = testSession()
        let df = try table(session).cache()
        #expect(try df.count() == 3)
        session.cacheManager.evictAll()
        #expect(!session.cacheManager.isMaterialized(df.plan))
        #expect(try texts(df.orderBy(col("k"))) == [["1", "10"], ["2", "20"], ["3", "30"]])
        #expect(session.cacheManager.isMaterialized(df.plan))
        df.unpersist()
        #expect(!df.isCached)
    }
}
