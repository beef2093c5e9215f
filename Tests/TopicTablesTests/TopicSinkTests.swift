import Columnar
import Engine
import Foundation
import KafkaClient
import SQL
import Testing
@testable import TopicTables

/// Writing to topics: INSERT INTO topics.x, the writer API, and Spark's column checks.
@Suite(.serialized)
struct TopicSinkTests {
    @Test func insertIntoATopicAndReadItBack() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let s = Session(config: SessionConfig(workerCount: 2))
        TopicTables.install(in: s, brokers: broker.brokers)
        try await broker.createTopic("out", partitions: 2)
        _ = try s.sql("""
            INSERT INTO topics.out
            SELECT CAST(id AS STRING) AS key, concat('v', CAST(id AS STRING)) AS value, id % 2 AS partition
            FROM (VALUES (1), (2), (3), (4), (5)) AS t(id)
            """)
        let rows = try s.sql("""
            SELECT partition, CAST(key AS STRING), CAST(value AS STRING) FROM topics.out ORDER BY 2
            """).collect()
        #expect(rows.map(\.values) == [1, 2, 3, 4, 5].map { id in
            [.int(Int64(id % 2)), .string("\(id)"), .string("v\(id)")]
        })
        // Appending again adds records.
        _ = try s.sql("INSERT INTO topics.out SELECT 'again' AS value")
        #expect(try s.sql("SELECT * FROM topics.out").count() == 6)
    }

    @Test func writerAPIWithTheTopicOption() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let s = Session(config: SessionConfig(workerCount: 2))
        TopicTables.install(in: s, brokers: broker.brokers)
        let frame = try s.sql("SELECT CAST(x AS BINARY) AS value FROM (VALUES ('a'), ('b'), (NULL)) AS t(x)")
        try frame.write.format("kafka").option("kafka.bootstrap.servers", broker.brokers).option("topic", "written").save()
        let back = try s.sql("SELECT CAST(value AS STRING) FROM topics.written ORDER BY 1").collect()
        #expect(back.map(\.values) == [[.null], [.string("a")], [.string("b")]])
    }

    @Test func headersRoundTripThroughSinkAndSource() async throws {
        let broker = try TestBroker()
        defer { broker.stop() }
        let s = Session(config: SessionConfig(workerCount: 2))
        TopicTables.install(in: s, brokers: broker.brokers)
        _ = try s.sql("""
            INSERT INTO topics.withheaders
            SELECT 'v' AS value, array(named_struct('key', 'trace', 'value', CAST('t1' AS BINARY)),
                                      named_struct('key', 'empty', 'value', CAST(NULL AS BINARY))) AS headers
            """)
        _ = try s.sql("""
            CREATE TEMP VIEW h USING kafka OPTIONS (kafka.bootstrap.servers '\(broker.brokers)', subscribe 'withheaders',
              includeHeaders 'true')
            """)
        #expect(try s.table("h").schema.fields.last?.type == HeaderColumn.type)
        let rows = try s.sql("""
            SELECT size(headers), headers[0].key, CAST(headers[0].value AS STRING), headers[1].key, headers[1].value IS NULL
            FROM h
            """).collect()
        #expect(rows.map(\.values) == [[.int(2), .string("trace"), .string("t1"), .string("empty"), .boolean(true)]])
        // Without includeHeaders there is no headers column.
        #expect(try s.sql("SELECT * FROM topics.withheaders").schema.fields.count == 7)
    }

    @Test func columnsAreCheckedAsSparkDoes() throws {
        func layout(_ fields: [Field], topic: String? = "t") throws -> KafkaSink.Layout {
            try KafkaSink.layout(Schema(fields), topicOption: topic)
        }
        #expect(throws: EngineError.self) { try layout([Field("key", .string)]) }
        #expect(throws: EngineError.self) { try layout([Field("value", .int32)]) }
        #expect(throws: EngineError.self) { try layout([Field("value", .string), Field("key", .float64)]) }
        #expect(throws: EngineError.self) { try layout([Field("value", .string), Field("partition", .string)]) }
        #expect(throws: EngineError.self) { try layout([Field("value", .string)], topic: nil) }
        #expect(throws: EngineError.self) { try layout([Field("value", .string), Field("topic", .int32)], topic: nil) }
        #expect(throws: EngineError.self) {
            try layout([Field("value", .string), Field("headers", .array(element: .string, containsNull: true))])
        }
        let ok = try layout([Field("topic", .string), Field("value", .binary), Field("key", .string)], topic: nil)
        #expect(ok.value == 1 && ok.key == 2 && ok.topic == 0 && ok.partition == nil)
    }
}
