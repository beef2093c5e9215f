import ArgumentParser
import Testing

@testable import TributaryCLI

/// The hand-written parse of `consume`, `produce` and `sql` must mean exactly what ArgumentParser makes of
/// the same line, and leave every line it does not take (help, errors, unusual forms) to it.
@Suite struct FastCommandLineTests {
    static let consumeLines: [[String]] = [
        ["events"],
        ["events", "--brokers", "h1:9092,h2:9093", "-n", "200000", "--perf"],
        ["a", "b", "-b", "127.0.0.1:19092", "--client-id", "me", "-g", "grp", "-o", "end"],
        ["events", "-o", "-5", "-e", "--format", "json"],
        ["events", "--offset=@1700000000000", "--num=3", "--format=%k %s\\n", "--key-separator", "::"],
        ["events", "-p", "0", "-p", "2", "--timestamp", "1700000000000", "--isolation", "read_committed"],
        ["events", "--from-beginning", "--exit", "--check-crcs", "-f", "text"],
        ["--brokers", "x:1", "events", "--assignor", "roundrobin,range", "-g", "g1"],
        ["events", "--partition=3", "-n", "7"],
    ]

    static let produceLines: [[String]] = [
        ["events"],
        ["events", "--brokers", "h:1", "--perf-records", "200000", "--record-size", "1024", "--linger-ms", "5", "--acks", "all"],
        ["events", "-k", ":", "-H", "a=1", "--header", "b=2", "-f", "json", "-p", "1", "-c", "zstd"],
        ["events", "--partitioner", "consistent_random", "--batch-bytes", "65536", "--no-idempotence", "-v"],
        ["--key-separator=::", "events", "--acks=1", "--compression=lz4", "--client-id", "p1"],
    ]

    static let sqlLines: [[String]] = [
        [],
        ["-e", "SELECT 1"],
        ["--timer", "--format", "csv", "-e", "SELECT 1", "-e", "SELECT 2; SELECT 3"],
        ["-f", "q.sql", "--null", "", "--history-file", "h", "-b", "h:1", "--client-id", "me"],
        ["--format=json", "--brokers=127.0.0.1:19092", "-e", "SELECT * FROM topics.events"],
    ]

    @Test(arguments: sqlLines)
    func sqlMatchesArgumentParser(_ line: [String]) throws {
        let fast = try #require(FastCommandLine.sqlSettings(line[...]))
        #expect(fast == (try SQLCommand.parse(line)).settings)
        #expect(FastCommandLine.command(["tributary", "sql"] + line) != nil)
    }

    @Test func sqlLeavesUnusualLinesToArgumentParser() {
        let lines: [[String]] = [
            ["--help"], ["-e"], ["-e", "-- a comment"], ["--format", "xml"], ["-f", "a", "-f", "b"], ["--timer", "--timer"],
            ["--timer=yes"], ["stray"], ["-ef", "x"], ["--e", "SELECT 1"], ["--", "-e"], ["--f=x"],
        ]
        for line in lines {
            #expect(FastCommandLine.sqlSettings(line[...]) == nil, "\(line)")
        }
    }

    @Test(arguments: consumeLines)
    func consumeMatchesArgumentParser(_ line: [String]) throws {
        let fast = try #require(FastCommandLine.consumeSettings(line[...]))
        #expect(fast == (try ConsumeCommand.parse(line)).settings)
        #expect(FastCommandLine.command(["tributary", "consume"] + line) != nil)
    }

    @Test(arguments: produceLines)
    func produceMatchesArgumentParser(_ line: [String]) throws {
        let fast = try #require(FastCommandLine.produceSettings(line[...]))
        #expect(fast == (try ProduceCommand.parse(line)).settings)
        #expect(FastCommandLine.command(["tributary", "produce"] + line) != nil)
    }

    /// Lines the fast path leaves to ArgumentParser, which either parses them or reports the error.
    static let consumeFallbacks: [[String]] = [
        ["events", "--help"], ["events", "-h"], ["--version"],
        ["events", "--bogus"], ["events", "-x", "1"], ["events", "-ne"],  // unknown, bundled short flags
        ["events", "-n", "1", "-n", "2"], ["events", "--perf", "--perf"],  // repeated
        ["events", "--", "-weird-topic"], ["events", "-n"], ["events", "-n", "x"], ["events", "-n", "-1"],
        ["events", "--perf=yes"], ["events", "--timestamp", "-5"],
    ]

    @Test(arguments: consumeFallbacks)
    func consumeLeavesUnusualLinesToArgumentParser(_ line: [String]) {
        #expect(FastCommandLine.consumeSettings(line[...]) == nil)
    }

    @Test func produceLeavesUnusualLinesToArgumentParser() {
        for line in [["a", "b"], [], ["t", "--perf-records"], ["t", "-H"], ["t", "--linger-ms", "-1"], ["t", "-help"]] {
            #expect(FastCommandLine.produceSettings(line[...]) == nil, "\(line)")
        }
    }

    /// Lines that parse but fail a check or a conversion go to ArgumentParser too, so that the error
    /// is reported exactly as before.
    @Test func invalidValuesAreLeftToArgumentParser() throws {
        let invalid: [[String]] = [
            ["consume"], ["consume", "t", "-n", "0"], ["consume", "t", "--isolation", "dirty"],
            ["consume", "t", "-g", "g", "-p", "1"], ["consume", "t", "-o", "middle"], ["consume", "t", "-f", "xml"],
            ["consume", "t", "--assignor", "sticky-ish"],
            ["produce", "t", "--format", "csv"], ["produce", "t", "--acks", "2"], ["produce", "t", "-c", "brotli"],
            ["produce", "t", "-H", "novalue"], ["produce", "t", "--record-size", "20000000"],
            ["produce", "t", "--brokers", "host:port"],
            ["topic", "list"], ["help", "consume"], [],
        ]
        for line in invalid {
            #expect(FastCommandLine.command(["tributary"] + line) == nil, "\(line)")
        }
        // ArgumentParser still runs the commands' checks and says what is wrong.
        let consumeError = #expect(throws: (any Error).self) { try ConsumeCommand.parse(["t", "-n", "0"]) }
        #expect(consumeError.map { ConsumeCommand.message(for: $0) } == "--num must be positive")
        let produceError = #expect(throws: (any Error).self) { try ProduceCommand.parse(["t", "--format", "csv"]) }
        #expect(produceError.map { ProduceCommand.message(for: $0) } == "--format must be text or json")
    }
}
