import ArgumentParser
import Dispatch
import KafkaClient
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--brokers`, shared by every command that talks to a cluster.
struct BrokerOptions: ParsableArguments {
    @Option(name: [.long, .customShort("b")],
            help: "Bootstrap brokers host:port[,host:port...]; $TRIBUTARY_BROKERS sets the default.")
    var brokers: String = BrokerOptions.defaultBrokers

    @Option(name: .long, help: "Client id sent to the brokers.")
    var clientId: String = BrokerOptions.defaultClientId

    /// `$TRIBUTARY_BROKERS`, else the local default.
    static var defaultBrokers: String {
        if let env = getenv("TRIBUTARY_BROKERS") { return String(cString: env) }
        return "127.0.0.1:9092"
    }

    static let defaultClientId = "tributary-cli"

    func clientConfig() throws -> ClientConfig {
        try Self.clientConfig(brokers: brokers, clientId: clientId)
    }

    /// Runs `body` with an admin client of these brokers, closed when `body` returns, through
    /// `runBlocking` (client errors become a one-line message and exit status 1).
    func withAdmin(_ body: @escaping @Sendable (KafkaAdmin) async throws -> Void) throws {
        let config = try clientConfig()
        try runBlocking {
            let admin = KafkaAdmin(cluster: KafkaCluster(config: config))
            defer { admin.cluster.close() }
            try await body(admin)
        }
    }

    static func clientConfig(brokers: String, clientId: String) throws -> ClientConfig {
        var c = try ClientConfig(brokers: brokers)
        c.clientId = clientId
        // A CLI should fail fast when nothing listens rather than retry for a minute.
        c.retriesMax = 3
        c.connectTimeoutMs = 5_000
        return c
    }
}

/// Runs async client work from a synchronous command, turning client errors into a one-line message
/// and exit status 1.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Box: @unchecked Sendable { var error: Error? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { try await body() } catch { box.error = error }
        done.signal()
    }
    done.wait()
    if let error = box.error {
        if error is ExitCode || error is CleanExit { throw error }
        if let e = error as? KafkaClientError {
            printError("error: \(e)")
            throw ExitCode.failure
        }
        throw error
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    var s = line
    s += "\n"
    _ = s.withCString { fputs($0, stderr) }
}

/// Whether standard error is a terminal (progress lines are drawn only there).
let stderrIsTerminal = isatty(2) != 0

/// A progress line on standard error, redrawn in place, at most every `intervalMs`.
final class ProgressLine: @unchecked Sendable {
    private var lastDrawNs: UInt64 = 0
    private let intervalNs: UInt64
    private var drawn = false

    init(intervalMs: UInt64 = 250) { intervalNs = intervalMs * 1_000_000 }

    func update(_ text: @autoclosure () -> String) {
        guard stderrIsTerminal else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDrawNs >= intervalNs else { return }
        lastDrawNs = now
        drawn = true
        _ = ("\r\u{1B}[K" + text()).withCString { fputs($0, stderr) }
    }

    func finish() {
        if drawn { _ = "\r\u{1B}[K".withCString { fputs($0, stderr) } }
    }
}

/// A plain-text table with left-aligned columns, as rpk prints listings.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                if i == cells.count - 1 { out += c } else { out += c.padding(to: widths[i] + 2) }
            }
            return out
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Parses `key=value`.
func parseKeyValue(_ text: String, what: String) throws -> (String, String) {
    guard let eq = text.firstIndex(of: "=") else {
        throw ValidationError("\(what) '\(text)' is not key=value")
    }
    return (String(text[..<eq]), String(text[text.index(after: eq)...]))
}
