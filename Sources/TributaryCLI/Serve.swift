import ArgumentParser
import Broker
import BrokerServer
import Dispatch
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// `tributary serve`: runs the broker until interrupted.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Kafka-compatible broker (default 127.0.0.1:9092, data in ./tributary-data).",
        discussion: """
        Settings use Kafka's broker names (num.partitions, auto.create.topics.enable, log.retention.ms,
        log.segment.bytes, message.max.bytes, ...). They come from a properties file (--config) and
        from --override key=value flags, which win.
        """
    )

    @Option(name: .long, help: "A Kafka-style server.properties file.")
    var config: String?

    @Option(name: .long, parsing: .singleValue, help: "A setting as key=value (repeatable); wins over --config.")
    var override: [String] = []

    @Option(name: .long, help: "Listeners, e.g. PLAINTEXT://127.0.0.1:9092 (sets 'listeners').")
    var listeners: String?

    @Option(name: .long, help: "Advertised listeners (sets 'advertised.listeners').")
    var advertisedListeners: String?

    @Option(name: .long, help: "The data directory (sets 'log.dirs').")
    var dataDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "tributary")

        var settings = BrokerConfig()
        do {
            if let path = config {
                let text = try readFile(path)
                for (k, v) in try Properties.parse(text) { try settings.set(k, v) }
            }
            for item in override {
                guard let eq = item.firstIndex(of: "=") else {
                    throw ValidationError("--override expects key=value, got '\(item)'")
                }
                try settings.set(String(item[..<eq]), String(item[item.index(after: eq)...]))
            }
            if let listeners { try settings.set("listeners", listeners) }
            if let advertisedListeners { try settings.set("advertised.listeners", advertisedListeners) }
            if let dataDir { try settings.set("log.dirs", dataDir) }
        } catch let error as BrokerConfig.ConfigError {
            throw ValidationError(error.message)
        }

        let broker = try Broker(config: settings, logger: logger)
        let server = BrokerServer(broker: broker, logger: logger)
        try server.start()
        logger.info("tributary broker \(settings.nodeId) serving cluster \(broker.clusterId), data in \(settings.dataDirectory)")

        let stopped = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stopped.signal() }
            source.resume()
            sources.append(source)
        }
        stopped.wait()
        logger.info("shutting down: flushing logs")
        try server.stop()
    }

    private func readFile(_ path: String) throws -> String {
        guard let f = fopen(path, "r") else { throw ValidationError("cannot open \(path)") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
