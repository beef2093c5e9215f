@testable import Broker
import KafkaProtocol
import NIOCore
import Testing

@Suite struct GroupStaticMemberTests {
    @Test func restartedStaticMemberGetsItsAssignmentBackWithoutARebalance() {
        var d = GroupDriver()
        let wa = d.join(instance: "worker-1", client: "a")
        let wb = d.join(instance: "worker-2", client: "b")
        d.runNextDeadline()
        let a = d.joinAnswers[wa]!.memberId, b = d.joinAnswers[wb]!.memberId
        #expect(a.hasPrefix("worker-1-"), "static members skip MEMBER_ID_REQUIRED and are named after their instance")
        d.sync(b, generation: 1, instance: "worker-2")
        d.sync(a, generation: 1, assignments: [(a, "A"), (b, "B")], instance: "worker-1")
        #expect(d.group.state == .stable)

        // worker-2 restarts: a new JoinGroup without member id, same instance id.
        let rejoin = d.join(instance: "worker-2", client: "b")
        let r = d.joinAnswers[rejoin]!
        #expect(r.errorCode == 0)
        #expect(r.generationId == 1, "same generation: the others do not rebalance")
        #expect(r.memberId != b)
        #expect(d.group.state == .stable)
        let sync = d.sync(r.memberId, generation: 1, instance: "worker-2")
        #expect(d.syncAnswers[sync]?.assignment == ByteBuffer(string: "B"))
        // The old incarnation is fenced.
        #expect(d.group.heartbeat(memberId: b, groupInstanceId: "worker-2", generationId: 1, nowMs: d.nowMs) == .fencedInstanceId)
        #expect(d.group.heartbeat(memberId: a, groupInstanceId: "worker-1", generationId: 1, nowMs: d.nowMs) == .none)
    }

    @Test func restartedStaticLeaderIsNotToldItLeads() {
        var d = GroupDriver()
        let wa = d.join(instance: "leader", client: "a")
        d.runNextDeadline()
        let a = d.joinAnswers[wa]!.memberId
        d.sync(a, generation: 1, assignments: [(a, "A")], instance: "leader")
        let again = d.join(instance: "leader", client: "a")
        let r = d.joinAnswers[again]!
        #expect(r.leader == a, "the old leader id, so the returning leader computes no assignment a stable group would drop")
        #expect(r.memberId != a)
    }

    @Test func staticMemberLeavingByInstanceIdAndFencedLeave() {
        var d = GroupDriver()
        let wa = d.join(instance: "w1", client: "a")
        d.runNextDeadline()
        let a = d.joinAnswers[wa]!.memberId
        #expect(d.group.leave(memberId: "someone-else", groupInstanceId: "w1", nowMs: d.nowMs).0 == .fencedInstanceId)
        let (code, actions) = d.group.leave(memberId: "", groupInstanceId: "w1", nowMs: d.nowMs)
        d.record(actions)
        #expect(code == .none)
        #expect(d.group.members[a] == nil)
    }

    @Test func staticMembersThatDoNotRejoinStayThroughARebalance() {
        var d = GroupDriver()
        // A session longer than the rebalance timeout: the member is alive but slow to rejoin.
        let wa = d.join(instance: "s1", client: "a", sessionTimeoutMs: 60_000)
        let (b, _) = d.joinNew(client: "b")
        d.runNextDeadline()
        let a = d.joinAnswers[wa]!.memberId
        d.sync(a, generation: 1, assignments: [(a, "A"), (b, "B")], instance: "s1")
        let (code, actions) = d.group.leave(memberId: b, groupInstanceId: nil, nowMs: d.nowMs)
        d.record(actions)
        #expect(code == .none)
        // The static member is busy and misses the join phase: it is kept, not dropped.
        d.advance(toMs: d.group.joinDeadlineMs!)
        #expect(d.group.members[a] != nil)
    }
}
