import ArgumentParser
import Dispatch
import Foundation
import KafkaClient
import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tributary consume`: prints records as text, JSON or a kcat-style format string.
struct ConsumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume records and print them.",
        discussion: """
        Without --group, every partition (or those given with -p) is read from --offset. With --group, the consumer joins the group, reads the partitions it is assigned, and commits what it printed; --offset then only says where to start when the group has no committed offset.

        --offset: start|beginning, end, an absolute offset N, -N (N before the end) or @TIMESTAMP_MS.

        --format: text (the value; with --key-separator key<SEP>value), json, or a template with %t topic, %p partition, %o offset, %k key, %s value, %T timestamp, %h headers, \\n, \\t.
        """
    )

    @OptionGroup var cluster: BrokerOptions
    @Argument(help: "Topics to read.") var topics: [String]
    @Option(name: .shortAndLong, help: "Consumer group to join.") var group: String?
    @Option(name: .shortAndLong, parsing: .unconditional, help: "Where to start: start, end, N, -N or @TIMESTAMP_MS.")
    var offset: String?
    @Flag(name: .long, help: "Same as --offset start.") var fromBeginning = false
    @Option(name: .long, help: "Start at the first record at or after this timestamp (ms).") var timestamp: Int64?
    @Option(name: .shortAndLong, parsing: .singleValue, help: "Read only this partition (repeatable).") var partition: [Int32] = []
    @Option(name: [.customShort("n"), .customLong("num")], help: "Stop after this many records.") var count: Int?
    @Flag(name: [.customShort("e"), .customLong("exit")], help: "Stop at the end of the partitions.") var exitAtEnd = false
    @Option(name: .shortAndLong, help: "Output: text, json, or a %-template.") var format: String = ConsumeSettings.defaultFormat
    @Option(name: .customLong("key-separator"), help: "In text format, print key<SEP>value.") var keySeparator: String?
    @Option(name: .long, help: "read_uncommitted or read_committed.") var isolation: String = ConsumeSettings.defaultIsolation
    @Option(name: .long, help: "Group assignors in order of preference, comma-separated: range, roundrobin, cooperative-sticky.")
    var assignor: String = ConsumeSettings.defaultAssignor
    @Flag(name: .long, help: "Verify the CRC32C of every record batch (off by default, as in librdkafka and kcat).")
    var checkCrcs = false
    @Flag(name: .long, help: "Benchmark: print nothing per record, then records/s and MB/s of values.") var perf = false

    /// The parsed command line as plain values (what the fast path of `FastCommandLine` also makes).
    var settings: ConsumeSettings {
        ConsumeSettings(
            brokers: cluster.brokers, clientId: cluster.clientId, topics: topics, group: group, offset: offset,
            fromBeginning: fromBeginning, timestamp: timestamp, partition: partition, count: count, exitAtEnd: exitAtEnd,
            format: format, keySeparator: keySeparator, isolation: isolation, assignor: assignor, checkCRCs: checkCrcs,
            perf: perf)
    }

    func validate() throws { try settings.validate() }

    func run() throws { try settings.plan().run() }
}

/// The settings of `tributary consume`, from ArgumentParser or from `FastCommandLine`.
struct ConsumeSettings: Equatable {
    static let defaultFormat = "text"
    static let defaultIsolation = "read_uncommitted"
    static let defaultAssignor = "range,cooperative-sticky"

    var brokers: String
    var clientId: String
    var topics: [String]
    var group: String?
    var offset: String?
    var fromBeginning: Bool
    var timestamp: Int64?
    var partition: [Int32]
    var count: Int?
    var exitAtEnd: Bool
    var format: String
    var keySeparator: String?
    var isolation: String
    var assignor: String
    var checkCRCs: Bool
    var perf: Bool

    /// Every option at its default (the fast path starts here).
    static var defaults: ConsumeSettings {
        ConsumeSettings(
            brokers: BrokerOptions.defaultBrokers, clientId: BrokerOptions.defaultClientId, topics: [], group: nil,
            offset: nil, fromBeginning: false, timestamp: nil, partition: [], count: nil, exitAtEnd: false,
            format: defaultFormat, keySeparator: nil, isolation: defaultIsolation, assignor: defaultAssignor,
            checkCRCs: false, perf: false)
    }

    func validate() throws {
        if topics.isEmpty { throw ValidationError("name at least one topic") }
        if group != nil && (!partition.isEmpty || timestamp != nil) {
            throw ValidationError("--partition and --timestamp assign partitions by hand; they cannot be used with --group")
        }
        if let count, count <= 0 { throw ValidationError("--num must be positive") }
        guard ["read_uncommitted", "read_committed"].contains(isolation) else {
            throw ValidationError("--isolation must be read_uncommitted or read_committed")
        }
    }

    /// Everything the run needs that follows from the arguments alone, checked before any I/O: a bad
    /// value throws here (and the fast path then leaves the command line to ArgumentParser).
    func plan() throws -> ConsumePlan {
        let start = try StartPosition(offset: fromBeginning ? "start" : offset, timestamp: timestamp)
        let printer = try RecordPrinter(format: format, keySeparator: keySeparator)
        var config = ConsumerConfig(groupId: group)
        config.isolationLevel = isolation == "read_committed" ? .readCommitted : .readUncommitted
        config.assignors = try assignor.split(separator: ",").map { try Assignors.named(String($0)) }
        if config.assignors.isEmpty { throw ValidationError("--assignor needs at least one name") }
        config.autoOffsetReset = start == .end ? .latest : .earliest
        // Commits follow what was printed, not what was fetched: a --num limit can stop mid-batch.
        config.enableAutoCommit = false
        config.checkCRCs = checkCRCs
        let clientConfig = try BrokerOptions.clientConfig(brokers: brokers, clientId: clientId)
        return ConsumePlan(topics: topics, partitions: partition, count: count, exitAtEnd: exitAtEnd, perf: perf,
                           start: start, printer: printer, config: config, clientConfig: clientConfig)
    }
}

/// A consume run whose arguments have been checked.
struct ConsumePlan {
    var topics: [String]
    var partitions: [Int32]
    var count: Int?
    var exitAtEnd: Bool
    var perf: Bool
    var start: StartPosition
    var printer: RecordPrinter
    var config: ConsumerConfig
    var clientConfig: ClientConfig

    func run() throws {
        let (topics, partitions, count, exitAtEnd, perf) = (self.topics, self.partitions, self.count, self.exitAtEnd, self.perf)
        let (start, printer, config, clientConfig) = (self.start, self.printer, self.config, self.clientConfig)
        let stdoutIsRedirected = isatty(1) == 0
        let stop = StopFlag()
        stop.installSignalHandlers()
        try runBlocking { [config] in
            let consumer = KafkaConsumer(cluster: KafkaCluster(config: clientConfig), config: config)
            let admin = KafkaAdmin(cluster: consumer.cluster)
            defer { consumer.cluster.close() }
            if config.groupId != nil {
                try consumer.subscribe(topics)
            } else {
                var tps: [TopicPartition] = []
                for t in topics {
                    let all = try await admin.partitions(of: t)
                    tps += partitions.isEmpty ? all : all.filter { partitions.contains($0.partition) }
                    for p in partitions where !all.contains(TopicPartition(t, p)) {
                        throw KafkaClientError.unknownPartition(topic: t, partition: p)
                    }
                }
                consumer.assign(tps)
                try await start.apply(to: consumer, partitions: tps, admin: admin)
            }
            var printed = 0
            var valueBytes = 0
            var perfStart: UInt64?
            var printedUpTo: [TopicPartition: Int64] = [:]
            var lastCommitNs = DispatchTime.now().uptimeNanoseconds
            let grouped = config.groupId != nil
            let progress = ProgressLine()
            // Counting (--perf) and the text format read records in place; the other formats build them.
            let fromViews = perf || printer.printsFromViews
            var bytesOut: [UInt8] = []
            while !stop.isSet {
                if fromViews {
                    let fetched = try await consumer.pollFetched()
                    if perf && perfStart == nil && !fetched.isEmpty { perfStart = DispatchTime.now().uptimeNanoseconds }
                    bytesOut.removeAll(keepingCapacity: true)
                    for f in fetched {
                        var last: Int64 = -1
                        try f.forEach { r in
                            if perf { valueBytes += r.value?.count ?? 0 } else { printer.appendText(r, to: &bytesOut) }
                            printed += 1
                            last = r.offset
                            if let count, printed >= count { return false }
                            return true
                        }
                        if grouped, last >= 0 { printedUpTo[TopicPartition(f.topic, f.partition)] = last + 1 }
                        if let count, printed >= count { break }
                    }
                    if grouped, !printedUpTo.isEmpty, DispatchTime.now().uptimeNanoseconds - lastCommitNs > 1_000_000_000 {
                        consumer.commitAsync(printedUpTo)
                        lastCommitNs = DispatchTime.now().uptimeNanoseconds
                    }
                    if !bytesOut.isEmpty {
                        bytesOut.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
                        fflush(stdout)
                    }
                    if let count, printed >= count { break }
                    if exitAtEnd, Self.atEnd(consumer) { break }
                    if !fetched.isEmpty && stdoutIsRedirected { progress.update("consumed \(printed) records") }
                    continue
                }
                let records = try await consumer.poll()
                if perf && perfStart == nil && !records.isEmpty { perfStart = DispatchTime.now().uptimeNanoseconds }
                var out = ""
                for r in records {
                    if perf { valueBytes += r.value?.readableBytes ?? 0 } else { printer.append(r, to: &out) }
                    printed += 1
                    if grouped { printedUpTo[TopicPartition(r.topic, r.partition)] = r.offset + 1 }
                    if let count, printed >= count { break }
                }
                if grouped, !printedUpTo.isEmpty, DispatchTime.now().uptimeNanoseconds - lastCommitNs > 1_000_000_000 {
                    consumer.commitAsync(printedUpTo)
                    lastCommitNs = DispatchTime.now().uptimeNanoseconds
                }
                if !out.isEmpty {
                    _ = out.withCString { fputs($0, stdout) }
                    fflush(stdout)
                }
                if let count, printed >= count { break }
                if exitAtEnd, Self.atEnd(consumer) { break }
                if !records.isEmpty && stdoutIsRedirected { progress.update("consumed \(printed) records") }
            }
            progress.finish()
            if perf, let perfStart {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - perfStart) / 1e9
                print(String(format: "%d records, %d value bytes in %.3f s: %.0f records/s, %.2f MB/s", printed, valueBytes,
                             seconds, Double(printed) / seconds, Double(valueBytes) / 1_048_576 / seconds))
            }
            if grouped, !printedUpTo.isEmpty { try await consumer.commit(printedUpTo) }
            await consumer.close()
        }
    }

    /// Whether every assigned, unpaused partition has been read up to its high watermark.
    static func atEnd(_ consumer: KafkaConsumer) -> Bool {
        let assigned = consumer.assignment
        if assigned.isEmpty { return false }
        let hw = consumer.highWatermarks
        return assigned.allSatisfy { tp in
            guard let end = hw[tp], end >= 0, let pos = consumer.position(tp) else { return false }
            return pos >= end
        }
    }
}

/// Where a consumer without a group starts.
enum StartPosition: Equatable {
    case start, end
    case offset(Int64)
    case fromEnd(Int64)
    case timestamp(Int64)

    init(offset: String?, timestamp: Int64?) throws {
        if let timestamp { self = .timestamp(timestamp); return }
        guard let o = offset?.lowercased() else { self = .start; return }
        switch o {
        case "start", "beginning", "oldest", "earliest": self = .start
        case "end", "newest", "latest": self = .end
        default:
            if o.hasPrefix("@"), let t = Int64(o.dropFirst()) { self = .timestamp(t); return }
            if o.hasPrefix("-"), let n = Int64(o.dropFirst()), n > 0 { self = .fromEnd(n); return }
            if let n = Int64(o), n >= 0 { self = .offset(n); return }
            throw ValidationError("--offset '\(o)' is not start, end, N, -N or @TIMESTAMP_MS")
        }
    }

    func apply(to consumer: KafkaConsumer, partitions: [TopicPartition], admin: KafkaAdmin) async throws {
        switch self {
        case .start: try consumer.seekToBeginning(partitions)
        case .end: try consumer.seekToEnd(partitions)
        case let .offset(n): for tp in partitions { try consumer.seek(tp, to: n) }
        case let .timestamp(t): for tp in partitions { try consumer.seek(tp, toTimestamp: t) }
        case let .fromEnd(n):
            let starts = try await admin.listOffsets(partitions, spec: .earliest)
            let ends = try await admin.listOffsets(partitions, spec: .latest)
            for tp in partitions {
                let end = ends[tp]?.offset ?? 0
                try consumer.seek(tp, to: max(starts[tp]?.offset ?? 0, end - n))
            }
        }
    }
}

/// Set by SIGINT/SIGTERM so the consume loop can leave its group cleanly.
final class StopFlag: @unchecked Sendable {
    private let flag = NIOLockedValueBox(false)
    private var sources: [DispatchSourceSignal] = []

    var isSet: Bool { flag.withLockedValue { $0 } }

    func installSignalHandlers() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                if self.isSet { exit(130) }  // a second signal: stop now
                self.flag.withLockedValue { $0 = true }
            }
            source.resume()
            sources.append(source)
        }
    }
}
