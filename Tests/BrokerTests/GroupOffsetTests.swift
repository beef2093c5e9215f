@testable import Broker
import KafkaProtocol
import NIOCore
import Testing

@Suite struct GroupOffsetTests {
    @Test func commitRulesFollowKafka() {
        var (d, a, b) = GroupSyncTests.stableGroupOfTwo()
        #expect(d.group.validateCommit(memberId: a, groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .none)
        #expect(d.group.validateCommit(memberId: a, groupInstanceId: nil, generationId: 0, nowMs: d.nowMs) == .illegalGeneration)
        #expect(d.group.validateCommit(memberId: "ghost", groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .unknownMemberId)
        #expect(d.group.validateCommit(memberId: "", groupInstanceId: nil, generationId: -1, nowMs: d.nowMs) == .unknownMemberId,
                "an admin commit to a group with members is refused")
        // During the join phase the current generation may still commit (revocation commits).
        _ = d.joinNew(client: "c")
        #expect(d.group.validateCommit(memberId: b, groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .none)

        var standalone = ClassicGroup(groupId: "s", nowMs: 0)
        #expect(standalone.validateCommit(memberId: "", groupInstanceId: nil, generationId: -1, nowMs: 0) == .none)
    }

    @Test func offsetsOfAnEmptyGroupExpireAfterRetention() {
        var g = ClassicGroup(groupId: "g", nowMs: 0)
        g.store(TopicPartition("t", 0), CommittedOffset(offset: 5, commitTimestampMs: 1_000))
        g.store(TopicPartition("t", 1), CommittedOffset(offset: 9, commitTimestampMs: 1_000, expireTimestampMs: 2_000))
        #expect(g.expiredOffsets(nowMs: 1_500, retentionMs: 10_000).isEmpty)
        #expect(g.expiredOffsets(nowMs: 2_000, retentionMs: 10_000) == [TopicPartition("t", 1)])
        #expect(g.expiredOffsets(nowMs: 11_000, retentionMs: 10_000) == [TopicPartition("t", 0), TopicPartition("t", 1)])
    }

    @Test func subscribedTopicsAreReadFromConsumerSubscriptions() {
        var d = GroupDriver()
        _ = d.joinNew(client: "a", protocols: GroupDriver.protocols(["range"], topics: ["orders", "users"]))
        d.runNextDeadline()
        #expect(d.group.subscribedTopics == ["orders", "users"])
    }
}
