@testable import Broker
import KafkaProtocol
import NIOCore

/// Drives one `ClassicGroup` the way the coordinator does, keeping the answers it produces.
struct GroupDriver {
    var group: ClassicGroup
    var config = GroupConfig()
    var nowMs: Int64 = 1_000_000
    var nextWaiter: UInt64 = 0
    var suffix = 0
    var joinAnswers: [UInt64: JoinGroupResponse] = [:]
    var syncAnswers: [UInt64: SyncGroupResponse] = [:]
    var persisted = 0

    init(initialDelayMs: Int64 = 100) {
        group = ClassicGroup(groupId: "g", nowMs: nowMs)
        config.initialRebalanceDelayMs = initialDelayMs
    }

    mutating func record(_ actions: [GroupAction]) {
        for a in actions {
            switch a {
            case .answerJoin(let w, let r):
                precondition(joinAnswers[w.id] == nil, "request \(w.id) answered twice")
                joinAnswers[w.id] = r
            case .answerSync(let w, let r):
                precondition(syncAnswers[w.id] == nil, "request \(w.id) answered twice")
                syncAnswers[w.id] = r
            case .persistGroup: persisted += 1
            }
        }
    }

    static func protocols(_ names: [String] = ["range"], topics: [String] = ["t"]) -> [MemberProtocol] {
        names.map { MemberProtocol(name: $0, metadata: subscription(topics)) }
    }

    /// A consumer-protocol subscription (version 0: topics, user data).
    static func subscription(_ topics: [String]) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int16(0))
        b.writeInteger(Int32(topics.count))
        for t in topics {
            b.writeInteger(Int16(t.utf8.count))
            b.writeString(t)
        }
        b.writeInteger(Int32(-1))
        return b
    }

    /// Sends a JoinGroup; returns the waiter id (look its answer up in `joinAnswers`).
    @discardableResult
    mutating func join(
        _ memberId: String = "", instance: String? = nil, client: String = "c", version: Int16 = 7,
        protocols: [MemberProtocol] = GroupDriver.protocols(), protocolType: String = "consumer",
        sessionTimeoutMs: Int32 = 10_000, rebalanceTimeoutMs: Int32 = 30_000
    ) -> UInt64 {
        nextWaiter += 1
        suffix += 1
        let request = JoinRequest(memberId: memberId, groupInstanceId: instance, clientId: client, sessionTimeoutMs: sessionTimeoutMs,
                                  rebalanceTimeoutMs: rebalanceTimeoutMs, protocolType: protocolType, protocols: protocols, version: version)
        let actions = group.join(request, waiter: ParkedRequest(id: nextWaiter, version: version), newMemberSuffix: "s\(suffix)",
                                 config: config, nowMs: nowMs)
        record(actions)
        return nextWaiter
    }

    /// Joins as a new v4+ member: MEMBER_ID_REQUIRED, then the join with the id; returns (id, waiter).
    mutating func joinNew(client: String = "c", protocols: [MemberProtocol] = GroupDriver.protocols()) -> (String, UInt64) {
        let first = join(client: client, protocols: protocols)
        let id = joinAnswers[first]!.memberId
        return (id, join(id, client: client, protocols: protocols))
    }

    @discardableResult
    mutating func sync(_ memberId: String, generation: Int32, assignments: [(String, String)] = [], instance: String? = nil) -> UInt64 {
        nextWaiter += 1
        let given = assignments.map { (memberId: $0.0, assignment: ByteBuffer(string: $0.1)) }
        record(group.sync(memberId: memberId, groupInstanceId: instance, generationId: generation, protocolType: "consumer",
                          protocolName: nil, assignments: given, waiter: ParkedRequest(id: nextWaiter, version: 5), nowMs: nowMs))
        return nextWaiter
    }

    mutating func advance(toMs t: Int64) {
        nowMs = t
        group.initialDelayMs = config.initialRebalanceDelayMs
        record(group.tick(nowMs: nowMs))
    }

    /// Moves time through the join phase's deadlines (the initial delay may be extended) until
    /// the phase ends.
    mutating func runNextDeadline() {
        for _ in 0..<20 {
            guard group.state == .preparingRebalance, let d = group.joinDeadlineMs else { return }
            advance(toMs: max(d, nowMs))
        }
    }
}
