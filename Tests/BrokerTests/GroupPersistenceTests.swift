@testable import Broker
import KafkaProtocol
import Logging
import LogStorage
import NIOCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct GroupPersistenceTests {
    @Test func recordsRoundTripInKafkasFormats() throws {
        let offset = OffsetsTopicRecord.offset(group: "g", TopicPartition("orders", 3),
                                               CommittedOffset(offset: 42, leaderEpoch: 7, metadata: "m", commitTimestampMs: 1234))
        // Key version 1: int16 1, "g", "orders", partition 3.
        var key = offset.key
        #expect(key.readInteger(as: Int16.self) == 1)
        #expect(key.readInteger(as: Int16.self) == 1)
        #expect(key.readString(length: 1) == "g")
        #expect(key.readInteger(as: Int16.self) == 6)
        #expect(key.readString(length: 6) == "orders")
        #expect(key.readInteger(as: Int32.self) == 3)
        #expect(key.readableBytes == 0)
        #expect(try OffsetsTopicRecord.decode(key: offset.key, value: offset.value) == offset)

        let expiring = OffsetsTopicRecord.offset(group: "g", TopicPartition("t", 0),
                                                 CommittedOffset(offset: 1, metadata: "", commitTimestampMs: 10, expireTimestampMs: 99))
        #expect(expiring.value?.getInteger(at: 0, as: Int16.self) == 1, "an explicit expiry needs value version 1")
        #expect(try OffsetsTopicRecord.decode(key: expiring.key, value: expiring.value) == expiring)

        let group = OffsetsTopicRecord.group("g", .init(
            protocolType: "consumer", generationId: 4, protocolName: "range", leaderId: "m1", stateTimestampMs: 77,
            members: [.init(memberId: "m1", groupInstanceId: "i1", clientId: "c", clientHost: "/127.0.0.1", rebalanceTimeoutMs: 300,
                            sessionTimeoutMs: 100, subscription: ByteBuffer(string: "sub"), assignment: ByteBuffer(string: "asg"))]))
        #expect(group.key.getInteger(at: 0, as: Int16.self) == 2)
        #expect(try OffsetsTopicRecord.decode(key: group.key, value: group.value) == group)
        let tombstone = OffsetsTopicRecord.group("g", nil)
        #expect(try OffsetsTopicRecord.decode(key: tombstone.key, value: nil) == tombstone)
    }

    @Test func truncatedOrHostileRecordsThrowInsteadOfCrashing() {
        let group = OffsetsTopicRecord.group("g", .init(
            protocolType: "consumer", generationId: 1, protocolName: nil, leaderId: nil, stateTimestampMs: 0,
            members: [.init(memberId: "m", groupInstanceId: nil, clientId: "c", clientHost: "h", rebalanceTimeoutMs: 1,
                            sessionTimeoutMs: 1, subscription: ByteBuffer(), assignment: ByteBuffer())]))
        let value = group.value!
        for cut in 0..<value.readableBytes {
            #expect(throws: (any Error).self) { try OffsetsTopicRecord.decode(key: group.key, value: value.getSlice(at: 0, length: cut)) }
        }
        var huge = ByteBuffer()
        huge.writeInteger(Int16(3)); huge.writeInteger(Int16(0)); huge.writeInteger(Int32(1))
        huge.writeInteger(Int16(-1)); huge.writeInteger(Int16(-1)); huge.writeInteger(Int64(0)); huge.writeInteger(Int32.max)
        #expect(throws: (any Error).self) { try OffsetsTopicRecord.decode(key: group.key, value: huge) }
        var unknownKey = ByteBuffer()
        unknownKey.writeInteger(Int16(11))
        #expect((try? OffsetsTopicRecord.decode(key: unknownKey, value: nil)) == .some(nil), "newer record types are skipped")
    }

    @Test func groupPartitionFollowsJavaStringHash() {
        // Values from Java's String.hashCode, masked to non-negative, modulo 50 (Kafka's default).
        #expect(OffsetsTopic.partitionIndex("my-group", count: 50) == 36)
        #expect(OffsetsTopic.partitionIndex("console-consumer-1234", count: 50) == 9)
        #expect(OffsetsTopic.partitionIndex("test-group-42", count: 50) == 17)
        #expect(OffsetsTopic.partitionIndex("anything", count: 1) == 0)
    }

    static func tempDirectory() -> String {
        var template = Array("/tmp/tributary-groups-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
    }

    @Test func committedOffsetsAndMembershipSurviveARestart() throws {
        let dir = Self.tempDirectory()
        defer { _ = try? FileSystem.removeTree(dir) }
        var config = BrokerConfig()
        try config.set("log.dirs", dir)
        let logger = Logger(label: "test")
        let clock: @Sendable () -> Int64 = { 5_000_000 }

        do {
            let registry = try TopicRegistry(config: config, clock: clock)
            _ = try registry.create(name: "orders", partitions: 2, overrides: [:])
            let coordinator = try GroupCoordinator(config: GroupConfig(broker: config), registry: registry, logger: logger, clock: clock)
            // A group through a full rebalance, run by the coordinator so its records get written.
            var gc = GroupConfig()
            gc.initialRebalanceDelayMs = 0
            let join = JoinRequest(memberId: "", groupInstanceId: "inst", clientId: "c", sessionTimeoutMs: 10_000,
                                   rebalanceTimeoutMs: 10_000, protocolType: "consumer", protocols: GroupDriver.protocols(), version: 7)
            let memberId: String = coordinator.withGroup("g1", create: true, loop: nil) { g in
                let actions = g!.join(join, waiter: ParkedRequest(id: 1, version: 7), newMemberSuffix: "x", config: gc, nowMs: clock())
                return (g!.memberOrder.first ?? "", actions)
            }
            coordinator.withGroup("g1", create: false, loop: nil) { g -> ((), [GroupAction]) in
                ((), g!.sync(memberId: memberId, groupInstanceId: "inst", generationId: 1, protocolType: nil, protocolName: nil,
                             assignments: [(memberId, ByteBuffer(string: "p0,p1"))], waiter: ParkedRequest(id: 2, version: 5), nowMs: clock()))
            }
            let commit = CommittedOffset(offset: 17, leaderEpoch: 0, metadata: "meta", commitTimestampMs: clock())
            _ = try coordinator.offsetsTopic.append([.offset(group: "g1", TopicPartition("orders", 1), commit)], groupId: "g1", nowMs: clock())
            _ = try coordinator.offsetsTopic.append([.offset(group: "standalone", TopicPartition("orders", 0),
                                                             CommittedOffset(offset: 3, commitTimestampMs: clock()))], groupId: "standalone", nowMs: clock())
            _ = try coordinator.offsetsTopic.append([.offset(group: "standalone", TopicPartition("orders", 0), nil)], groupId: "standalone", nowMs: clock())
            coordinator.shutdown()
        }

        let registry = try TopicRegistry(config: config, clock: clock)
        #expect(registry.topic("__consumer_offsets")?.overrides["cleanup.policy"] == "compact")
        let reloaded = try GroupCoordinator(config: GroupConfig(broker: config), registry: registry, logger: logger, clock: clock)
        let g = try #require(reloaded.group("g1"))
        #expect(g.offsets[TopicPartition("orders", 1)]?.offset == 17)
        #expect(g.offsets[TopicPartition("orders", 1)]?.metadata == "meta")
        #expect(g.state == .stable)
        #expect(g.generationId == 1)
        #expect(g.staticMembers["inst"] != nil)
        #expect(g.members.values.first?.assignment == ByteBuffer(string: "p0,p1"))
        #expect(reloaded.group("standalone") == nil, "a tombstone removed the only offset")
    }
}

/// A clock a test can move.
final class TestClock: @unchecked Sendable {
    private var ms: Int64
    init(_ ms: Int64) { self.ms = ms }
    var now: Int64 { ms }
    func advance(_ by: Int64) { ms += by }
}

@Suite struct GroupRetentionTests {
    @Test func expiredOffsetsAreTombstonedAndTheirGroupForgottenAcrossRestarts() throws {
        let dir = GroupPersistenceTests.tempDirectory()
        defer { _ = try? FileSystem.removeTree(dir) }
        var config = BrokerConfig()
        try config.set("log.dirs", dir)
        try config.set("offsets.retention.minutes", "1")
        let logger = Logger(label: "test")
        let time = TestClock(10_000_000)
        let clock: @Sendable () -> Int64 = { time.now }

        let registry = try TopicRegistry(config: config, clock: clock)
        _ = try registry.create(name: "t", partitions: 1, overrides: [:])
        let coordinator = try GroupCoordinator(config: GroupConfig(broker: config), registry: registry, logger: logger, clock: clock)
        #expect(coordinator.config.offsetsRetentionMs == 60_000)
        for (group, committedAt) in [("old", time.now), ("new", time.now + 50_000)] {
            let o = CommittedOffset(offset: 1, commitTimestampMs: committedAt)
            _ = try coordinator.offsetsTopic.append([.offset(group: group, TopicPartition("t", 0), o)], groupId: group, nowMs: committedAt)
            coordinator.withGroup(group, create: true, loop: nil) { g -> ((), [GroupAction]) in
                g!.store(TopicPartition("t", 0), o)
                return ((), [])
            }
        }
        time.advance(60_000)
        coordinator.expireOffsets()
        #expect(coordinator.group("old") == nil)
        #expect(coordinator.group("new")?.offsets.count == 1)

        let reloaded = try GroupCoordinator(config: GroupConfig(broker: config), registry: try TopicRegistry(config: config, clock: clock),
                                            logger: logger, clock: clock)
        #expect(reloaded.group("old") == nil, "the tombstone was persisted")
        #expect(reloaded.group("new")?.offsets[TopicPartition("t", 0)]?.offset == 1)
    }
}

@Suite struct GroupDeletedTopicTests {
    @Test func offsetsOfADeletedTopicAreForgotten() throws {
        let dir = GroupPersistenceTests.tempDirectory()
        defer { _ = try? FileSystem.removeTree(dir) }
        var config = BrokerConfig()
        try config.set("log.dirs", dir)
        let clock: @Sendable () -> Int64 = { 1_000 }
        let registry = try TopicRegistry(config: config, clock: clock)
        let coordinator = try GroupCoordinator(config: GroupConfig(broker: config), registry: registry, logger: Logger(label: "test"), clock: clock)
        coordinator.withGroup("g", create: true, loop: nil) { g -> ((), [GroupAction]) in
            g!.store(TopicPartition("gone", 0), CommittedOffset(offset: 1, commitTimestampMs: 1_000))
            g!.store(TopicPartition("kept", 0), CommittedOffset(offset: 2, commitTimestampMs: 1_000))
            return ((), [])
        }
        coordinator.removeOffsets(ofTopic: "gone")
        #expect(coordinator.group("g")?.offsets.keys.map(\.topic) == ["kept"])
        coordinator.removeOffsets(ofTopic: "kept")
        #expect(coordinator.group("g") == nil, "a group left with nothing is forgotten")
    }
}
