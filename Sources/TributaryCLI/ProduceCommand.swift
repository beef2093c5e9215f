import ArgumentParser
import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import TributaryCore

/// `tributary produce`: one record per line of standard input, as rpk and kcat do.
struct ProduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce records from standard input, one per line.",
        discussion: """
        Text input: each line is a value, or key<SEP>value with --key-separator.

        JSON input (--format json): each line is an object with optional "key", "value", "headers" (an object of strings), "partition" and "timestamp" (ms); a non-string value is sent as JSON text.
        """
    )

    @OptionGroup var cluster: BrokerOptions
    @Argument(help: "Topic to produce to.") var topic: String
    @Option(name: [.short, .customLong("key-separator")], help: "Split each line into key and value at the first SEP.")
    var keySeparator: String?
    @Option(name: [.customShort("H"), .customLong("header")], parsing: .singleValue, help: "A header key=value for every record (repeatable).")
    var headers: [String] = []
    @Option(name: .shortAndLong, help: "Input format: text or json.") var format: String = ProduceSettings.defaultFormat
    @Option(name: .shortAndLong, help: "Send every record to this partition.") var partition: Int32?
    @Option(name: [.short, .long], help: "Compression: none, gzip, snappy, lz4, zstd.")
    var compression: String = ProduceSettings.defaultCompression
    @Option(name: .long, help: "Acks: 0, 1 or all.") var acks: String = ProduceSettings.defaultAcks
    @Option(name: .long, help: "Partitioner for keyed records: murmur2 (Java default) or consistent_random (librdkafka).")
    var partitioner: String = ProduceSettings.defaultPartitioner
    @Option(name: .long, help: "Linger before a batch is sent, ms.") var lingerMs: Int64 = ProduceSettings.defaultLingerMs
    @Option(name: .long, help: "Batch size, bytes.") var batchBytes: Int = ProduceSettings.defaultBatchBytes
    @Flag(name: .long, help: "Turn idempotence off.") var noIdempotence = false
    @Flag(name: .shortAndLong, help: "Print the partition and offset of every record.") var verbose = false
    @Option(name: .long, help: "Benchmark: send this many generated records instead of reading standard input.")
    var perfRecords: Int?
    @Option(name: .long, help: "Benchmark: value size of generated records, bytes.")
    var recordSize: Int = ProduceSettings.defaultRecordSize

    /// The parsed command line as plain values (what the fast path of `FastCommandLine` also makes).
    var settings: ProduceSettings {
        ProduceSettings(
            brokers: cluster.brokers, clientId: cluster.clientId, topic: topic, keySeparator: keySeparator,
            headers: headers, format: format, partition: partition, compression: compression, acks: acks,
            partitioner: partitioner, lingerMs: lingerMs, batchBytes: batchBytes, noIdempotence: noIdempotence,
            verbose: verbose, perfRecords: perfRecords, recordSize: recordSize)
    }

    func validate() throws { try settings.validate() }

    func run() throws { try settings.plan().run() }
}

/// The settings of `tributary produce`, from ArgumentParser or from `FastCommandLine`.
struct ProduceSettings: Equatable {
    static let defaultFormat = "text"
    static let defaultCompression = "none"
    static let defaultAcks = "all"
    static let defaultPartitioner = "murmur2"
    static let defaultLingerMs: Int64 = 5
    static let defaultBatchBytes = 1_000_000
    static let defaultRecordSize = 100

    var brokers: String
    var clientId: String
    var topic: String
    var keySeparator: String?
    var headers: [String]
    var format: String
    var partition: Int32?
    var compression: String
    var acks: String
    var partitioner: String
    var lingerMs: Int64
    var batchBytes: Int
    var noIdempotence: Bool
    var verbose: Bool
    var perfRecords: Int?
    var recordSize: Int

    /// Every option at its default, for `topic` (the fast path starts here).
    static func defaults(topic: String) -> ProduceSettings {
        ProduceSettings(
            brokers: BrokerOptions.defaultBrokers, clientId: BrokerOptions.defaultClientId, topic: topic,
            keySeparator: nil, headers: [], format: defaultFormat, partition: nil, compression: defaultCompression,
            acks: defaultAcks, partitioner: defaultPartitioner, lingerMs: defaultLingerMs, batchBytes: defaultBatchBytes,
            noIdempotence: false, verbose: false, perfRecords: nil, recordSize: defaultRecordSize)
    }

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
        if let s = keySeparator, s.isEmpty { throw ValidationError("--key-separator must not be empty") }
        if let n = perfRecords, n <= 0 { throw ValidationError("--perf-records must be positive") }
        if recordSize < 0 || recordSize > 10_000_000 { throw ValidationError("--record-size must be 0...10000000") }
    }

    /// Everything the run needs that follows from the arguments alone, checked before any I/O: a bad
    /// value throws here (and the fast path then leaves the command line to ArgumentParser).
    func plan() throws -> ProducePlan {
        var config = ProducerConfig()
        config.compression = try CompressionCodec(name: compression)
        config.acks = try Acks(name: acks)
        config.partitioner = try Partitioner(name: partitioner)
        config.lingerMs = lingerMs
        config.batchBytes = batchBytes
        config.idempotent = !noIdempotence
        let fixedHeaders = try headers.map { h -> RecordHeader in
            let (k, v) = try parseKeyValue(h, what: "header")
            return RecordHeader(key: k, value: ByteBuffer(string: v))
        }
        let clientConfig = try BrokerOptions.clientConfig(brokers: brokers, clientId: clientId)
        return ProducePlan(settings: self, config: config, fixedHeaders: fixedHeaders, clientConfig: clientConfig)
    }
}

/// A produce run whose arguments have been checked.
struct ProducePlan {
    var settings: ProduceSettings
    var config: ProducerConfig
    var fixedHeaders: [RecordHeader]
    var clientConfig: ClientConfig

    func run() throws {
        let (config, fixedHeaders, clientConfig) = (self.config, self.fixedHeaders, self.clientConfig)
        let (perfRecords, recordSize) = (settings.perfRecords, settings.recordSize)
        let (topic, keySeparator, format, partition, verbose) = (settings.topic, settings.keySeparator, settings.format,
                                                                 settings.partition, settings.verbose)
        if let n = perfRecords {
            let size = recordSize
            try runBlocking { [config] in
                try await Self.perf(topic: topic, records: n, size: size, partition: partition, config: config, clientConfig: clientConfig)
            }
            return
        }
        try runBlocking { [config] in
            let producer = KafkaProducer(cluster: KafkaCluster(config: clientConfig), config: config)
            defer { producer.cluster.close() }
            let progress = ProgressLine()
            let start = DispatchTime.now().uptimeNanoseconds
            let separator = keySeparator.map { Array($0.utf8) }
            var reader = StdinLineReader()
            var count = 0
            var lineNumber = 0
            // The lines of each block read from standard input go to the producer in one call.
            var chunk: [ProducerRecord] = []
            while try reader.nextLines({ line in
                lineNumber += 1
                var record: ProducerRecord
                if format == "json" {
                    let text = String(buffer: line)
                    if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
                    record = try JSONRecordInput.parse(text, topic: topic, lineNumber: lineNumber)
                } else {
                    record = ProducerRecord(topic: topic, value: line)
                    if let separator, let parts = Self.split(line, at: separator) {
                        record.key = parts.key
                        record.value = parts.value
                    }
                }
                if !fixedHeaders.isEmpty { record.headers += fixedHeaders }
                if let partition { record.partition = partition }
                chunk.append(record)
            }) {
                if verbose {
                    for record in chunk {
                        try await producer.produce(record) { result in
                            switch result {
                            case let .success(m): print("\(m.topic)[\(m.partition)]@\(m.offset)")
                            case let .failure(e): printError("error: \(e)")
                            }
                        }
                    }
                } else {
                    try await producer.produce(contentsOf: chunk)
                }
                count += chunk.count
                chunk.removeAll(keepingCapacity: true)
                progress.update("produced \(count) records")
            }
            try await producer.flush()
            progress.finish()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            printError("produced \(count) records to \(topic) in \(String(format: "%.2f", seconds)) s")
        }
    }

    /// Splits a line at the first occurrence of `separator` into key and value, or nil when it has none.
    static func split(_ line: ByteBuffer, at separator: [UInt8]) -> (key: ByteBuffer, value: ByteBuffer)? {
        let at = line.withUnsafeReadableBytes { raw -> Int? in
            guard let first = separator.first, raw.count >= separator.count else { return nil }
            var i = 0
            let last = raw.count - separator.count
            while i <= last {
                if raw[i] == first {
                    var j = 1
                    while j < separator.count && raw[i + j] == separator[j] { j += 1 }
                    if j == separator.count { return i }
                }
                i += 1
            }
            return nil
        }
        guard let at,
              let key = line.getSlice(at: line.readerIndex, length: at),
              let value = line.getSlice(at: line.readerIndex + at + separator.count,
                                        length: line.readableBytes - at - separator.count) else { return nil }
        return (key, value)
    }
}

extension ProducePlan {
    /// Sends `records` generated values of `size` bytes as fast as the producer takes them, then
    /// prints records/s and MB/s (the same measure as librdkafka's and Kafka's perf tools).
    static func perf(topic: String, records: Int, size: Int, partition: Int32?, config: ProducerConfig,
                     clientConfig: ClientConfig) async throws {
        let producer = KafkaProducer(cluster: KafkaCluster(config: clientConfig), config: config)
        defer { producer.cluster.close() }
        // Warm up metadata and the connection outside the measurement.
        try await producer.send(ProducerRecord(topic: topic, partition: partition, value: ByteBuffer(repeating: 0x61, count: size)))
        let value = ByteBuffer(repeating: 0x78, count: size)
        let progress = ProgressLine()
        let start = DispatchTime.now().uptimeNanoseconds
        // Handed over in chunks, as the stdin path hands over the lines of one block read.
        let chunk = [ProducerRecord](repeating: ProducerRecord(topic: topic, partition: partition, value: value),
                                     count: min(records, 1024))
        var sent = 0
        while sent < records {
            let n = min(chunk.count, records - sent)
            try await producer.produce(contentsOf: n == chunk.count ? chunk : Array(chunk[0..<n]))
            sent += n
            progress.update("produced \(sent) records")
        }
        try await producer.flush()
        progress.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let mb = Double(records * size) / 1_048_576
        print(String(format: "%d records of %d B in %.3f s: %.0f records/s, %.2f MB/s",
                     records, size, seconds, Double(records) / seconds, mb / seconds))
    }
}

/// Reads one JSON input line into a record.
enum JSONRecordInput {
    static func parse(_ line: String, topic: String, lineNumber: Int) throws -> ProducerRecord {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ValidationError("line \(lineNumber): not JSON: \(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else {
            throw ValidationError("line \(lineNumber): expected a JSON object with key/value/headers")
        }
        var record = ProducerRecord(topic: topic, value: nil)
        record.key = try bytes(dict["key"], lineNumber, "key")
        record.value = try bytes(dict["value"], lineNumber, "value")
        if let p = dict["partition"] {
            guard let n = p as? Int else { throw ValidationError("line \(lineNumber): partition must be an integer") }
            record.partition = Int32(clamping: n)
        }
        if let t = dict["timestamp"] {
            guard let n = t as? Int else { throw ValidationError("line \(lineNumber): timestamp must be integer ms") }
            record.timestampMs = Int64(n)
        }
        if let h = dict["headers"] {
            if let obj = h as? [String: Any] {
                for k in obj.keys.sorted() {
                    record.headers.append(RecordHeader(key: k, value: try bytes(obj[k], lineNumber, "header \(k)")))
                }
            } else if let list = h as? [[String: Any]] {
                for item in list {
                    guard let k = item["key"] as? String else { throw ValidationError("line \(lineNumber): header without key") }
                    record.headers.append(RecordHeader(key: k, value: try bytes(item["value"], lineNumber, "header \(k)")))
                }
            } else {
                throw ValidationError("line \(lineNumber): headers must be an object or a list of {key, value}")
            }
        }
        return record
    }

    private static func bytes(_ v: Any?, _ lineNumber: Int, _ what: String) throws -> ByteBuffer? {
        guard let v, !(v is NSNull) else { return nil }
        if let s = v as? String { return ByteBuffer(string: s) }
        do {
            let data = try JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .sortedKeys])
            return ByteBuffer(bytes: data)
        } catch {
            throw ValidationError("line \(lineNumber): \(what) cannot be written as JSON")
        }
    }
}
