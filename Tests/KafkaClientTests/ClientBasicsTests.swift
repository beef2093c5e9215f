@testable import KafkaClient
import KafkaProtocol
import Testing

struct ClientBasicsTests {
    @Test func brokerAddresses() throws {
        #expect(try BrokerAddress.parseList("a:1,b:2") == [BrokerAddress(host: "a", port: 1), BrokerAddress(host: "b", port: 2)])
        #expect(try BrokerAddress(parsing: "localhost") == BrokerAddress(host: "localhost", port: 9092))
        #expect(try BrokerAddress(parsing: "[::1]:9093") == BrokerAddress(host: "::1", port: 9093))
        for bad in ["", "h:0", "h:x", ":9", "a:b:c", "h:70000"] {
            #expect(throws: KafkaClientError.self, "\(bad)") { try BrokerAddress(parsing: bad) }
        }
    }

    @Test func versionChoiceIsTheHighestBothSidesSpeak() {
        let table = ApiVersionTable(broker: [
            ApiKey.produce.rawValue: 0...7,
            ApiKey.fetch.rawValue: 0...17,
            ApiKey.metadata.rawValue: 13...14,
        ])
        #expect(table.version(for: .produce) == 7)
        // Fetch 13+ names topics by id; the client stays at 12 even when the broker goes higher.
        #expect(table.version(for: .fetch) == 12)
        // No overlap, and an API the broker does not list: nothing to speak.
        #expect(table.version(for: .metadata) == nil)
        #expect(table.version(for: .joinGroup) == nil)
    }

    @Test func errorNamesAndRetriability() {
        #expect(ErrorCode.unknownTopicOrPartition.name == "UNKNOWN_TOPIC_OR_PARTITION")
        #expect(ErrorCode.notLeaderOrFollower.isRetriable)
        #expect(!ErrorCode.topicAlreadyExists.isRetriable)
        #expect(KafkaClientError.check(0, "x") == nil)
        let e = KafkaClientError.check(36, "creating topic 't'", message: "exists")
        #expect(e?.errorCode == .topicAlreadyExists)
        #expect("\(e!)" == "creating topic 't': TOPIC_ALREADY_EXISTS: exists")
        #expect(KafkaClientError.check(9999, "x")?.errorCode == nil)
    }
}
