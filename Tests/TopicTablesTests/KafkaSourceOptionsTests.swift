import Engine
import KafkaClient
import Testing
@testable import TopicTables

/// Option parsing follows Spark's Kafka source: names, defaults, precedence and errors.
@Suite struct KafkaSourceOptionsTests {
    @Test func defaultsAreEarliestToLatest() throws {
        let o = try KafkaSourceOptions(["subscribe": "a, b", "kafka.bootstrap.servers": "h:1"])
        #expect(o.selection == .subscribe(["a", "b"]))
        #expect(o.starting == .all(.earliest))
        #expect(o.ending == .all(.latest))
        #expect(o.failOnDataLoss)
        #expect(!o.includeHeaders)
        #expect(!o.checkCRCs)
        #expect(o.partitionFetchBytes == 1 << 20)
    }

    @Test func consumerSettingsTheSourceTakes() throws {
        let base = ["subscribe": "a", "kafka.bootstrap.servers": "h:1"]
        let o = try KafkaSourceOptions(base.merging(["kafka.check.crcs": "TRUE", "kafka.max.partition.fetch.bytes": "65536"]) { $1 })
        #expect(o.checkCRCs)
        #expect(o.partitionFetchBytes == 65536)
        for bad in ["0", "-1", "1k", "999999999999"] {
            #expect(throws: EngineError.self) {
                try KafkaSourceOptions(base.merging(["kafka.max.partition.fetch.bytes": bad]) { $1 })
            }
        }
    }

    @Test func exactlyOneTopicSelection() {
        #expect(throws: EngineError.self) { try KafkaSourceOptions(["kafka.bootstrap.servers": "h:1"]) }
        #expect(throws: EngineError.self) {
            try KafkaSourceOptions(["kafka.bootstrap.servers": "h:1", "subscribe": "a", "subscribepattern": "a.*"])
        }
    }

    @Test func bootstrapServersAreRequired() {
        #expect(throws: EngineError.self) { try KafkaSourceOptions(["subscribe": "a"]) }
    }

    @Test func perPartitionOffsetsJSON() throws {
        let o = try KafkaSourceOptions(["assign": #"{"t":[0,1]}"#, "kafka.bootstrap.servers": "h:1",
                                        "startingoffsets": #"{"t":{"0":5,"1":-2}}"#,
                                        "endingoffsets": #"{"t":{"0":-1,"1":7}}"#])
        #expect(o.selection == .assign([TopicPartition("t", 0), TopicPartition("t", 1)]))
        #expect(o.starting == .perPartition([TopicPartition("t", 0): .offset(5), TopicPartition("t", 1): .earliest],
                                            option: "startingOffsets"))
        #expect(o.ending == .perPartition([TopicPartition("t", 0): .latest, TopicPartition("t", 1): .offset(7)],
                                          option: "endingOffsets"))
    }

    @Test func batchReadsCannotStartAtLatestOrEndAtEarliest() {
        let base = ["subscribe": "t", "kafka.bootstrap.servers": "h:1"]
        #expect(throws: EngineError.self) { try KafkaSourceOptions(base.merging(["startingoffsets": "latest"]) { $1 }) }
        #expect(throws: EngineError.self) { try KafkaSourceOptions(base.merging(["endingoffsets": "earliest"]) { $1 }) }
        #expect(throws: EngineError.self) {
            try KafkaSourceOptions(base.merging(["startingoffsets": #"{"t":{"0":-1}}"#]) { $1 })
        }
    }

    @Test func timestampWinsOverOffsetsByTimestampWhichWinsOverOffsets() throws {
        let base = ["subscribe": "t", "kafka.bootstrap.servers": "h:1", "startingoffsets": #"{"t":{"0":3}}"#]
        let byTs = try KafkaSourceOptions(base.merging(["startingoffsetsbytimestamp": #"{"t":{"0":1000}}"#]) { $1 })
        #expect(byTs.starting == .perPartition([TopicPartition("t", 0): .timestamp(1000)], option: "startingOffsetsByTimestamp"))
        let global = try KafkaSourceOptions(base.merging(["startingoffsetsbytimestamp": #"{"t":{"0":1000}}"#,
                                                          "startingtimestamp": "2000"]) { $1 })
        #expect(global.starting == .all(.timestamp(2000)))
    }

    @Test func malformedJSONIsAClearError() {
        #expect(throws: EngineError.self) {
            try KafkaSourceOptions(["subscribe": "t", "kafka.bootstrap.servers": "h:1", "startingoffsets": "{nope"])
        }
        #expect(throws: EngineError.self) {
            try KafkaSourceOptions(["assign": "[1,2]", "kafka.bootstrap.servers": "h:1"])
        }
        #expect(throws: EngineError.self) {
            try KafkaSourceOptions(["subscribe": "t", "kafka.bootstrap.servers": "h:1", "failondataloss": "maybe"])
        }
    }
}
