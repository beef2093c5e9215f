@testable import Broker
import KafkaProtocol
import NIOCore
import Testing

@Suite struct GroupSyncTests {
    /// Two members through one full rebalance; returns the driver and the member ids (leader first).
    static func stableGroupOfTwo() -> (GroupDriver, String, String) {
        var d = GroupDriver()
        let (a, _) = d.joinNew(client: "a")
        let (b, _) = d.joinNew(client: "b")
        d.runNextDeadline()
        d.sync(b, generation: 1)
        d.sync(a, generation: 1, assignments: [(a, "A"), (b, "B")])
        return (d, a, b)
    }

    @Test func leaderAssignmentReachesEveryMember() {
        var d = GroupDriver()
        let (a, _) = d.joinNew(client: "a")
        let (b, _) = d.joinNew(client: "b")
        d.runNextDeadline()
        let follower = d.sync(b, generation: 1)
        #expect(d.syncAnswers[follower] == nil, "the follower waits for the leader")
        let leader = d.sync(a, generation: 1, assignments: [(a, "A"), (b, "B")])
        #expect(d.syncAnswers[leader]?.assignment == ByteBuffer(string: "A"))
        #expect(d.syncAnswers[follower]?.assignment == ByteBuffer(string: "B"))
        #expect(d.group.state == .stable)
        #expect(d.persisted >= 1, "the assignment is persisted")
        // A member syncing again in a stable group gets its assignment back.
        let again = d.sync(b, generation: 1)
        #expect(d.syncAnswers[again]?.assignment == ByteBuffer(string: "B"))
    }

    @Test func syncErrors() {
        var (d, a, _) = Self.stableGroupOfTwo()
        let wrongGeneration = d.sync(a, generation: 7)
        #expect(d.syncAnswers[wrongGeneration]?.errorCode == ErrorCode.illegalGeneration.rawValue)
        let unknown = d.sync("ghost", generation: 1)
        #expect(d.syncAnswers[unknown]?.errorCode == ErrorCode.unknownMemberId.rawValue)
        _ = d.joinNew(client: "c")
        let during = d.sync(a, generation: 1)
        #expect(d.syncAnswers[during]?.errorCode == ErrorCode.rebalanceInProgress.rawValue)
    }

    @Test func heartbeatErrors() {
        var (d, a, _) = Self.stableGroupOfTwo()
        #expect(d.group.heartbeat(memberId: a, groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .none)
        #expect(d.group.heartbeat(memberId: a, groupInstanceId: nil, generationId: 0, nowMs: d.nowMs) == .illegalGeneration)
        #expect(d.group.heartbeat(memberId: "ghost", groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .unknownMemberId)
    }

    @Test func aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        var (d, a, b) = Self.stableGroupOfTwo()
        let start = d.nowMs
        // a heartbeats, b goes silent.
        for step in 1...3 {
            d.advance(toMs: start + Int64(step) * 3000)
            #expect(d.group.heartbeat(memberId: a, groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .none)
        }
        d.advance(toMs: start + 10_000)
        #expect(d.group.members[b] == nil, "b's 10 s session ran out")
        #expect(d.group.state == .preparingRebalance)
        let rejoin = d.join(a, client: "a")
        #expect(d.joinAnswers[rejoin]?.generationId == 2)
        #expect(d.joinAnswers[rejoin]?.members.map(\.memberId) == [a])
    }

    @Test func memberLeavingRebalancesAndTheLastLeavingEmptiesTheGroup() {
        var (d, a, b) = Self.stableGroupOfTwo()
        let (code, actions) = d.group.leave(memberId: a, groupInstanceId: nil, nowMs: d.nowMs)
        d.record(actions)
        #expect(code == .none)
        #expect(d.group.state == .preparingRebalance)
        let rejoin = d.join(b, client: "b")
        #expect(d.joinAnswers[rejoin]?.leader == b, "leadership passes to a remaining member")
        d.sync(b, generation: 2, assignments: [(b, "AB")])
        let (code2, actions2) = d.group.leave(memberId: b, groupInstanceId: nil, nowMs: d.nowMs)
        d.record(actions2)
        #expect(code2 == .none)
        #expect(d.group.state == .empty)
        #expect(d.group.generationId == 3)
        #expect(d.group.leave(memberId: "ghost", groupInstanceId: nil, nowMs: d.nowMs).0 == .unknownMemberId)
    }

    @Test func aRebalanceAnswersSyncsStillWaitingForTheLeader() {
        var d = GroupDriver()
        let (_, _) = d.joinNew(client: "a")
        let (b, _) = d.joinNew(client: "b")
        d.runNextDeadline()
        let waiting = d.sync(b, generation: 1)
        _ = d.joinNew(client: "c")
        #expect(d.syncAnswers[waiting]?.errorCode == ErrorCode.rebalanceInProgress.rawValue)
    }
}
