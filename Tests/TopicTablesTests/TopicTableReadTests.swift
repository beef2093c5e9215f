import Columnar
import Engine
import Foundation
import KafkaClient
import SQL
import Testing
@testable import TopicTables

/// Reading topics as tables against a broker in this process: the schema, the offset and
/// timestamp bounds of Spark's options, pushed-down predicates, and data loss handling.
@Suite(.serialized)
struct TopicTableReadTests {
    /// A session with the `kafka` format and the `topics` schema over `broker`.
    func session(_ broker: TestBroker) -> Session {
        let s = Session(config: SessionConfig(workerCount: 2))
        TopicTables.install(in: s, brokers: broker.brokers)
        return s
    }

    func ints(_ frame: DataFrame) throws -> [Int64] {
        try frame.collect().map { row in
            if case let .int(v) = row[0] { return v }
            return -1
        }
    }

    /// Ten records per partition of a 3-partition topic, value `{"p":partition,"i":i}`, timestamps
    /// 1000·(i+1) ms.
    func fill(_ broker: TestBroker, _ topic: String, partitions: Int32 = 3, perPartition: Int = 10) async throws {
        try await broker.createTopic(topic, partitions: partitions)
        var records: [ProducerRecord] = []
        for p in 0..<partitions {
            for i in 0..<perPartition {
                var r = ProducerRecord(topic: topic, key: i % 2 == 0 ? "k\(i)" : nil, value: #"{"p":\#(p),"i":\#(i)}"#,
                                       partition: p)
                r.timestampMs = Int64(1000 * (i + 1))
                records.append(r)
            }
        }
        try await broker.produce(records)
    }

    @Test func everyTopicIsATableWithSparksSchema() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "events")
        let s = session(broker)
        let frame = try s.sql("SELECT * FROM topics.events")
        #expect(frame.schema.fields.map(\.name) == ["key", "value", "topic", "partition", "offset", "timestamp", "timestampType"])
        #expect(frame.schema.fields.map(\.type) == [.binary, .binary, .string, .int32, .int64, .timestamp, .int32])
        let rows = try s.sql("""
            SELECT partition, count(*), min(offset), max(offset), count(key), min(timestamp), max(timestampType)
            FROM topics.events GROUP BY partition ORDER BY partition
            """).collect()
        #expect(rows.count == 3)
        for (p, row) in rows.enumerated() {
            #expect(row.values == [.int(Int64(p)), .int(10), .int(0), .int(9), .int(5), .timestamp(1_000_000), .int(0)])
        }
        let decoded = try s.sql("""
            SELECT CAST(value AS STRING), CAST(key AS STRING) FROM topics.events WHERE partition = 2 AND offset = 4
            """).collect()
        #expect(decoded.map(\.values) == [[.string(#"{"p":2,"i":4}"#), .string("k4")]])
        #expect(throws: EngineError.self) { try s.sql("SELECT * FROM topics.missing") }
    }

    @Test func offsetOptionsSelectExactlyTheirRange() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "ranges", partitions: 2)
        let s = session(broker)
        let format = KafkaFormat(defaultBootstrapServers: broker.brokers)
        func offsets(_ options: [String: String]) throws -> [Int64] {
            let table = try format.openTable(options: options, schema: nil)
            return try ints(try s.read.table(table).select(col("partition") * lit(100) + col("offset"))
                .orderBy(col("partition"), col("offset")))
        }
        #expect(try offsets(["subscribe": "ranges", "startingoffsets": #"{"ranges":{"0":8,"1":-2}}"#,
                              "endingoffsets": #"{"ranges":{"0":-1,"1":2}}"#]) == [8, 9, 100, 101])
        // Partition edges: an empty range at the end, and the whole partition.
        #expect(try offsets(["assign": #"{"ranges":[1]}"#, "startingoffsets": #"{"ranges":{"1":10}}"#]) == [])
        #expect(try offsets(["assign": #"{"ranges":[0]}"#, "endingoffsets": #"{"ranges":{"0":1}}"#]) == [0])
        #expect(try offsets(["subscribepattern": "ran.*"]).count == 20)
        #expect(try offsets(["subscribepattern": "ran"]).isEmpty)
        // Every read partition must be named in offset JSON; ranges past the end are refused.
        #expect(throws: EngineError.self) {
            try offsets(["subscribe": "ranges", "startingoffsets": #"{"ranges":{"0":1}}"#])
        }
        #expect(throws: EngineError.self) {
            try offsets(["assign": #"{"ranges":[0]}"#, "endingoffsets": #"{"ranges":{"0":11}}"#])
        }
        #expect(throws: EngineError.self) {
            try offsets(["assign": #"{"ranges":[0]}"#, "startingoffsets": #"{"ranges":{"0":5}}"#,
                         "endingoffsets": #"{"ranges":{"0":3}}"#])
        }
    }

    @Test func timestampOptionsAndPredicates() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "times", partitions: 2)
        let s = session(broker)
        let format = KafkaFormat(defaultBootstrapServers: broker.brokers)
        func offsets(_ options: [String: String]) throws -> [Int64] {
            let table = try format.openTable(options: options, schema: nil)
            return try ints(try s.read.table(table).select(col("partition") * lit(100) + col("offset"))
                .orderBy(col("partition"), col("offset")))
        }
        // Timestamps are 1000·(offset+1) ms in every partition.
        #expect(try offsets(["subscribe": "times", "startingtimestamp": "8500"]) == [8, 9, 108, 109])
        #expect(try offsets(["subscribe": "times", "startingtimestamp": "2000", "endingtimestamp": "4000"])
                == [1, 2, 101, 102])
        #expect(try offsets(["subscribe": "times",
                              "startingoffsetsbytimestamp": #"{"times":{"0":10000,"1":1}}"#]).count == 11)
        // A starting time after every record: an error, or the end with the `latest` strategy.
        #expect(throws: EngineError.self) { try offsets(["subscribe": "times", "startingtimestamp": "99000"]) }
        #expect(try offsets(["subscribe": "times", "startingtimestamp": "99000",
                              "startingoffsetsbytimestampstrategy": "latest"]) == [])
        // Predicates are pushed into the ranges and still applied exactly.
        let q = """
            SELECT partition * 100 + offset FROM topics.times
            WHERE timestamp >= TIMESTAMP '1970-01-01 00:00:07' AND offset < 9 AND partition IN (1) ORDER BY 1
            """
        #expect(try ints(try s.sql(q)) == [106, 107, 108])
        let plan = try s.sql(q).explainString(extended: false)
        #expect(plan.contains("PushedFilters"))
        #expect(try ints(try s.sql("SELECT offset FROM topics.times WHERE offset > 7 AND offset <= 8 AND partition = 0"))
                == [8])
    }

    @Test func deletedRecordsFailOrAreSkipped() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "trimmed", partitions: 1)
        try await broker.deleteRecords("trimmed", partition: 0, before: 4)
        let s = session(broker)
        #expect(try ints(try s.sql("SELECT offset FROM topics.trimmed ORDER BY offset")) == [4, 5, 6, 7, 8, 9])
        let format = KafkaFormat(defaultBootstrapServers: broker.brokers)
        let start = ["subscribe": "trimmed", "startingoffsets": #"{"trimmed":{"0":2}}"#]
        #expect(throws: EngineError.self) { try format.openTable(options: start, schema: nil) }
        let lenient = try format.openTable(options: start.merging(["failondataloss": "false"]) { $1 }, schema: nil)
        #expect(try ints(try s.read.table(lenient).select(col("offset")).orderBy(col("offset"))) == [4, 5, 6, 7, 8, 9])
    }

    @Test func crcsAreCheckedWhenAsked() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await broker.createTopic("crc", partitions: 1)
        try await broker.produce([ProducerRecord(topic: "crc", key: nil, value: "payload-to-damage", partition: 0)])
        // Damage one byte of the stored value behind the broker's back (it checked the CRC when
        // the batch was produced).
        let dir = URL(fileURLWithPath: broker.dataDir)
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        guard let segment = files.first(where: { $0.pathExtension == "log" && $0.path.contains("crc-0") }) else {
            Issue.record("no segment file under \(dir.path)")
            return
        }
        let bytes = try Data(contentsOf: segment)
        guard let at = bytes.range(of: Data("payload".utf8))?.lowerBound else {
            Issue.record("value not found in \(segment.path)")
            return
        }
        // In place: the broker keeps the segment open.
        let handle = try FileHandle(forWritingTo: segment)
        try handle.seek(toOffset: UInt64(at - bytes.startIndex))
        try handle.write(contentsOf: Data("P".utf8))
        try handle.close()
        let s = session(broker)
        let checked = try s.read.format("kafka").option("kafka.bootstrap.servers", broker.brokers)
            .option("subscribe", "crc").option("kafka.check.crcs", "true").load()
        #expect(throws: EngineError.self) { try checked.collect() }
        // Off by default, as librdkafka's check.crcs: the bytes are read as they are stored.
        let values = try s.sql("SELECT CAST(value AS STRING) FROM topics.crc").collect().map { $0[0] }
        #expect(values == [.string("Payload-to-damage")])
        #expect(throws: EngineError.self) {
            try KafkaFormat(defaultBootstrapServers: broker.brokers)
                .openTable(options: ["subscribe": "crc", "kafka.check.crcs": "maybe"], schema: nil)
        }
    }

    @Test func smallFetchesReadEveryRecordAndGrowForALargeOne() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "small", partitions: 2, perPartition: 40)
        // One record larger than a whole Fetch asks for.
        let big = String(repeating: "x", count: 5000)
        try await broker.produce([ProducerRecord(topic: "small", key: nil, value: #"{"p":1,"i":99,"pad":"\#(big)"}"#, partition: 1)])
        let s = session(broker)
        let frame = try s.read.format("kafka").option("kafka.bootstrap.servers", broker.brokers).option("subscribe", "small")
            .option("kafka.max.partition.fetch.bytes", "1024").load()
        try frame.createOrReplaceTempView("small_fetches")
        #expect(try ints(try s.sql("SELECT offset FROM small_fetches WHERE partition = 0 ORDER BY offset")) == Array(0..<40))
        #expect(try ints(try s.sql("SELECT offset FROM small_fetches WHERE partition = 1 ORDER BY offset")) == Array(0..<41))
        #expect(try ints(try s.sql(
            "SELECT sum(CAST(get_json_object(CAST(value AS STRING), '$.i') AS INT)) FROM small_fetches")) == [2 * 780 + 99])
    }

    @Test func emptyPartitionsAndEmptyTopics() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await broker.createTopic("sparse", partitions: 4)
        try await broker.produce([ProducerRecord(topic: "sparse", key: nil, value: "only", partition: 2)])
        try await broker.createTopic("nothing", partitions: 2)
        let s = session(broker)
        #expect(try s.sql("SELECT * FROM topics.sparse").count() == 1)
        #expect(try s.sql("SELECT * FROM topics.nothing").count() == 0)
        #expect(try ints(try s.sql("SELECT count(*) FROM topics.nothing")) == [0])
    }

    @Test func viewsUsingKafkaAndTheReaderAPI() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await fill(broker, "viewed", partitions: 2)
        let s = session(broker)
        _ = try s.sql("""
            CREATE TEMP VIEW v USING kafka OPTIONS (kafka.bootstrap.servers '\(broker.brokers)', subscribe 'viewed',
              startingOffsets '{"viewed":{"0":5,"1":0}}')
            """)
        #expect(try ints(try s.sql("SELECT count(*) FROM v")) == [15])
        let frame = try s.read.format("kafka").option("kafka.bootstrap.servers", broker.brokers)
            .option("subscribe", "viewed").option("endingOffsets", #"{"viewed":{"0":3,"1":3}}"#).load()
        #expect(try frame.count() == 6)
        #expect(throws: EngineError.self) {
            try s.read.format("kafka").option("kafka.bootstrap.servers", broker.brokers).load()
        }
    }

    @Test func jsonWorkRunsBatchByBatchInsideTheScan() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        try await broker.createTopic("clicks", partitions: 3)
        var records: [ProducerRecord] = []
        var count: [String: Int64] = [:], total: [String: Int64] = [:]
        for i in 0..<300 {
            let page = ["/", "/a", "/b"][i % 3]
            records.append(ProducerRecord(topic: "clicks", key: nil, value: #"{"page":"\#(page)","ms":\#(i),"x":true}"#,
                                          partition: Int32(i % 3)))
            count[page, default: 0] += 1
            total[page, default: 0] += Int64(i)
        }
        records.append(ProducerRecord(topic: "clicks", key: nil, value: #"{"page":"/a","ms":"#, partition: 1))
        try await broker.produce(records)
        let s = Session(config: SessionConfig(workerCount: 2, batchRows: 16))
        TopicTables.install(in: s, brokers: broker.brokers)
        let expected = count.keys.sorted().map { [Scalar.string($0), .int(count[$0] ?? 0), .int(total[$0] ?? 0)] }
        let paths = try s.sql("""
            SELECT get_json_object(CAST(value AS STRING), '$.page') AS page, count(*),
                   sum(CAST(get_json_object(CAST(value AS STRING), '$.ms') AS INT))
            FROM topics.clicks WHERE offset < 100 GROUP BY 1 ORDER BY 1
            """)
        #expect(try paths.explainString().contains("__json_paths"))
        #expect(try paths.collect().map(\.values) == expected)
        let parsed = try s.sql("""
            SELECT e.page, count(*), sum(e.ms) FROM (
              SELECT from_json(CAST(value AS STRING), 'page STRING, ms INT, x BOOLEAN') AS e FROM topics.clicks)
            WHERE e.page IS NOT NULL GROUP BY 1 ORDER BY 1
            """)
        #expect(try parsed.explainString().contains("'`page` STRING, `ms` INT'"))
        #expect(try parsed.collect().map(\.values) == expected)
        // A FAILFAST error raised on a batch inside the scan is the query's error, not a corrupt record.
        do {
            _ = try s.sql("""
                SELECT e.page FROM (
                  SELECT from_json(CAST(value AS STRING), 'page STRING, ms INT', map('mode', 'FAILFAST')) AS e FROM topics.clicks)
                """).collect()
            Issue.record("the malformed record was not reported")
        } catch let e as EngineError {
            #expect("\(e)".contains("MALFORMED_RECORD_IN_PARSING"))
            #expect(!"\(e)".contains("corrupt records"))
        }
    }
}
