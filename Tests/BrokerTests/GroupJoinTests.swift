@testable import Broker
import KafkaProtocol
import NIOCore
import Testing

@Suite struct GroupJoinTests {
    @Test func firstJoinOfV4MemberAsksForMemberIdThenCompletesAfterInitialDelay() {
        var d = GroupDriver(initialDelayMs: 3000)
        let first = d.join(client: "alice")
        let answer = d.joinAnswers[first]!
        #expect(answer.errorCode == ErrorCode.memberIdRequired.rawValue)
        #expect(answer.memberId.hasPrefix("alice-"))
        #expect(d.group.members.isEmpty)

        let second = d.join(answer.memberId, client: "alice")
        #expect(d.joinAnswers[second] == nil, "the join waits for the initial delay")
        #expect(d.group.state == .preparingRebalance)
        #expect(d.group.joinDeadlineMs == d.nowMs + 3000)

        d.advance(toMs: d.nowMs + 2999)
        #expect(d.joinAnswers[second] == nil)
        d.advance(toMs: d.nowMs + 1)
        let done = d.joinAnswers[second]!
        #expect(done.errorCode == 0)
        #expect(done.generationId == 1)
        #expect(done.leader == answer.memberId)
        #expect(done.protocolName == "range")
        #expect(done.members.map(\.memberId) == [answer.memberId])
        #expect(d.group.state == .completingRebalance)
    }

    @Test func membersArrivingDuringInitialDelayExtendItWithinRebalanceTimeout() {
        var d = GroupDriver(initialDelayMs: 1000)
        let (a, wa) = d.joinNew(client: "a")
        let start = d.nowMs
        d.advance(toMs: start + 500)
        let (b, wb) = d.joinNew(client: "b")
        d.advance(toMs: start + 1000)
        #expect(d.joinAnswers[wa] == nil, "a member arrived during the delay: it is extended")
        d.advance(toMs: start + 2000)
        let ra = d.joinAnswers[wa]!, rb = d.joinAnswers[wb]!
        #expect(ra.generationId == 1 && rb.generationId == 1)
        #expect(ra.leader == a && rb.leader == a)
        #expect(Set(ra.members.map(\.memberId)) == [a, b])
        #expect(rb.members.isEmpty, "only the leader gets the member list")
    }

    @Test func withoutInitialDelayAJoinCompletesAtOnceWhenEveryoneIsIn() {
        var d = GroupDriver(initialDelayMs: 0)
        let (a, wa) = d.joinNew(client: "a")
        #expect(d.joinAnswers[wa]?.generationId == 1, "a lone member is answered at once")
        d.sync(a, generation: 1, assignments: [(a, "all")])
        #expect(d.group.state == .stable)

        // A second member: the first learns of the rebalance from its heartbeat and rejoins.
        let (b, wb) = d.joinNew(client: "b")
        #expect(d.group.state == .preparingRebalance)
        #expect(d.group.heartbeat(memberId: a, groupInstanceId: nil, generationId: 1, nowMs: d.nowMs) == .rebalanceInProgress)
        #expect(d.joinAnswers[wb] == nil)
        let wa2 = d.join(a, client: "a")
        #expect(d.joinAnswers[wa2]?.generationId == 2, "everyone rejoined: no waiting for the timeout")
        #expect(d.joinAnswers[wb]?.generationId == 2)
        #expect(d.joinAnswers[wa2]?.leader == a, "the leader stays the oldest member")
        _ = b
    }

    @Test func protocolIsTheMostVotedCommonOne() {
        var d = GroupDriver()
        let (_, wa) = d.joinNew(client: "a", protocols: GroupDriver.protocols(["cooperative-sticky", "range"]))
        _ = wa
        let (_, wb) = d.joinNew(client: "b", protocols: GroupDriver.protocols(["range", "cooperative-sticky"]))
        let (_, wc) = d.joinNew(client: "c", protocols: GroupDriver.protocols(["range"]))
        d.runNextDeadline()
        #expect(d.joinAnswers[wb]?.protocolName == "range")
        #expect(d.joinAnswers[wc]?.protocolName == "range")
    }

    @Test func badJoinsGetKafkasErrorCodes() {
        var d = GroupDriver()
        let empty = d.join(protocols: [])
        #expect(d.joinAnswers[empty]?.errorCode == ErrorCode.inconsistentGroupProtocol.rawValue)
        let noType = d.join(protocolType: "")
        #expect(d.joinAnswers[noType]?.errorCode == ErrorCode.inconsistentGroupProtocol.rawValue)
        let ghost = d.join("nobody-123")
        #expect(d.joinAnswers[ghost]?.errorCode == ErrorCode.unknownMemberId.rawValue)

        let (a, _) = d.joinNew(client: "a")
        d.runNextDeadline()
        let otherType = d.join(protocolType: "connect")
        #expect(d.joinAnswers[otherType]?.errorCode == ErrorCode.inconsistentGroupProtocol.rawValue)
        let noCommon = d.join(protocols: GroupDriver.protocols(["roundrobin"]))
        #expect(d.joinAnswers[noCommon]?.errorCode == ErrorCode.inconsistentGroupProtocol.rawValue)
        #expect(d.group.members.keys.sorted() == [a])
    }

    @Test func oldClientsJoinWithoutTheMemberIdRoundTrip() {
        var d = GroupDriver()
        let w = d.join(version: 3)
        d.runNextDeadline()
        let r = d.joinAnswers[w]!
        #expect(r.errorCode == 0)
        #expect(r.generationId == 1)
        #expect(!r.memberId.isEmpty)
    }

    @Test func unusedPendingMemberIdExpiresAfterTheSessionTimeout() {
        var d = GroupDriver()
        let w = d.join(sessionTimeoutMs: 6000)
        let id = d.joinAnswers[w]!.memberId
        #expect(d.group.pendingMembers[id] != nil)
        d.advance(toMs: d.nowMs + 6000)
        #expect(d.group.pendingMembers.isEmpty)
        let late = d.join(id)
        #expect(d.joinAnswers[late]?.errorCode == ErrorCode.unknownMemberId.rawValue)
    }

    @Test func everyParkedJoinIsAnsweredExactlyOnceWhenRejoiningTwice() {
        var d = GroupDriver(initialDelayMs: 1000)
        let (a, w1) = d.joinNew(client: "a")
        let w2 = d.join(a, client: "a")
        #expect(d.joinAnswers[w1]?.errorCode == ErrorCode.rebalanceInProgress.rawValue)
        d.runNextDeadline()
        #expect(d.joinAnswers[w2]?.errorCode == 0)
    }
}
