import Columnar
import Engine
import Foundation
import Testing
@testable import SQL

/// Spark's `CACHE [LAZY] TABLE`, `UNCACHE TABLE` and `CLEAR CACHE`: a cached view answers from the
/// rows held in memory, so a change to its file shows only once the cache is dropped.
@Suite("CACHE TABLE")
struct CacheTableTests {
    private func withCSV(_ text: String, _ body: (String, Session) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let session = Session(config: SessionConfig(workerCount: 2))
        _ = try session.sql("CREATE TEMP VIEW t (k INT, v INT) USING csv OPTIONS (path '\(path)', header 'true')")
        try body(path, session)
    }

    private func sum(_ session: Session, _ view: String = "t") throws -> String {
        try session.sql("SELECT sum(v) FROM \(view)").collect()[0].values[0].description
    }

    private func isMaterialized(_ session: Session, _ view: String) throws -> Bool {
        session.cacheManager.isMaterialized(try session.table(view).plan)
    }

    @Test func cacheTableKeepsRowsUntilUncached() throws {
        try withCSV("k,v\n1,10\n2,20\n") { path, session in
            _ = try session.sql("CACHE TABLE t")
            #expect(try isMaterialized(session, "t"))
            try "k,v\n1,1\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try sum(session) == "30")
            _ = try session.sql("UNCACHE TABLE t")
            #expect(try sum(session) == "1")
        }
    }

    @Test func lazyCacheIsComputedAtFirstUse() throws {
        try withCSV("k,v\n1,10\n2,20\n") { path, session in
            _ = try session.sql("CACHE LAZY TABLE t")
            #expect(try !isMaterialized(session, "t"))
            #expect(try sum(session) == "30")
            #expect(try isMaterialized(session, "t"))
            try "k,v\n1,1\n".write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try sum(session) == "30")
            _ = try session.sql("CLEAR CACHE")
            #expect(try sum(session) == "1")
        }
    }

    @Test func cacheTableAsQueryCreatesTheView() throws {
        try withCSV("k,v\n1,10\n2,20\n3,30\n") { _, session in
            _ = try session.sql("CACHE TABLE big AS SELECT k, v FROM t WHERE v > 10")
            #expect(try isMaterialized(session, "big"))
            #expect(try sum(session, "big") == "50")
            #expect(throws: SQLError.self) { try session.sql("CACHE TABLE big AS SELECT 1") }
        }
    }

    @Test func unknownTablesAreErrors() throws {
        let session = Session(config: SessionConfig(workerCount: 1))
        #expect(throws: SQLError.self) { try session.sql("CACHE TABLE nope") }
        #expect(throws: SQLError.self) { try session.sql("UNCACHE TABLE nope") }
        _ = try session.sql("UNCACHE TABLE IF EXISTS nope")
    }
}
