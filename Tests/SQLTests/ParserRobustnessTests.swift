import Testing
@testable import SQL

/// Malformed SQL must produce a located error, never a crash: every prefix of every TPC-H query,
/// and seeded mutations of them, go through the lexer and parser.
@Suite("Parser robustness")
struct ParserRobustnessTests {
    @Test(arguments: 1...22)
    func everyPrefixParsesOrThrowsAtAPlaceInsideIt(_ number: Int) throws {
        let text = Array(try TPCHSchema.query(number))
        #expect(throws: Never.self) { try Parser.parseStatements(String(text)) }
        for end in 0..<text.count {
            let prefix = text[0..<end]
            do {
                _ = try Parser.parseStatements(String(prefix))
            } catch let error as SQLError {
                // The error points into the prefix, or just past its last character.
                guard let at = error.location else {
                    Issue.record("error without a location: \(error)")
                    continue
                }
                let lines = String(prefix).split(separator: "\n", omittingEmptySubsequences: false)
                #expect(at.line >= 1 && at.line <= lines.count)
                if at.line == lines.count { #expect(at.column >= 1 && at.column <= lines[at.line - 1].count + 1) }
            }
        }
    }

    /// Statements of the forms with their own lexing or clauses: SET's raw text, X'…' literals,
    /// TABLESAMPLE, Hive's partition clauses, WITHIN GROUP.
    static let otherForms = [
        "SET spark.sql.warehouse.dir = '/data/run-1e5a; x' ; SET TIME ZONE 'UTC'; SET k",
        "SELECT X'4A6B', listagg(x, ',') WITHIN GROUP (ORDER BY k DESC) FILTER (WHERE k > 1) FROM t TABLESAMPLE (10 PERCENT) s",
        "SELECT a FROM t TABLESAMPLE (BUCKET 1 OUT OF 4) DISTRIBUTE BY a SORT BY a DESC LIMIT 3",
    ]

    @Test(arguments: otherForms)
    func everyPrefixOfOtherFormsParsesOrThrows(_ statement: String) throws {
        let text = Array(statement)
        #expect(throws: Never.self) { try Parser.parseStatements(statement) }
        for end in 0..<text.count {
            do {
                _ = try Parser.parseStatements(String(text[0..<end]))
            } catch let error as SQLError {
                #expect(error.location != nil)
            }
        }
    }

    @Test func seededMutationsParseOrThrow() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let pieces: [String] = ["(", ")", ",", "'", "`", "SELECT", "FROM", "WHERE", "--", "/*", "*/", "1e", ".", ";",
                                "INTERVAL", "CASE", "END", "OVER", "::", "\\"]
        for number in 1...22 {
            let text = Array(try TPCHSchema.query(number))
            for _ in 0..<200 {
                var mutated = text
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let at = Int(rng.next() % UInt64(mutated.count + 1))
                    if rng.next() % 2 == 0, at < mutated.count {
                        mutated.remove(at: at)
                    } else {
                        mutated.insert(contentsOf: Array(pieces[Int(rng.next() % UInt64(pieces.count))]), at: at)
                    }
                }
                _ = try? Parser.parseStatements(String(mutated))
            }
        }
    }
}

/// A small deterministic generator, so a failing mutation replays from its seed.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
