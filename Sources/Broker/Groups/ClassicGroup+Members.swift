import KafkaProtocol
import NIOCore

extension ClassicGroup {
    /// Handles a SyncGroup; the answer comes as an `.answerSync` action, now or when the leader's
    /// assignment arrives.
    public mutating func sync(
        memberId: String, groupInstanceId: String?, generationId: Int32, protocolType: String?, protocolName: String?,
        assignments: [(memberId: String, assignment: ByteBuffer)], waiter: ParkedRequest, nowMs: Int64
    ) -> [GroupAction] {
        func fail(_ code: ErrorCode) -> [GroupAction] { [.answerSync(waiter, Self.syncError(code))] }
        if state == .dead { return fail(.coordinatorNotAvailable) }
        if isFenced(groupInstanceId: groupInstanceId, memberId: memberId) { return fail(.fencedInstanceId) }
        guard var member = members[memberId] else { return fail(.unknownMemberId) }
        if generationId != self.generationId { return fail(.illegalGeneration) }
        if let t = protocolType, t != self.protocolType { return fail(.inconsistentGroupProtocol) }
        if let p = protocolName, p != self.protocolName { return fail(.inconsistentGroupProtocol) }

        switch state {
        case .empty, .dead:
            return fail(.unknownMemberId)
        case .preparingRebalance:
            return fail(.rebalanceInProgress)
        case .stable:
            member.lastHeartbeatMs = nowMs
            members[memberId] = member
            return [.answerSync(waiter, syncAnswer(member.assignment))]
        case .completingRebalance:
            var actions: [GroupAction] = []
            if let old = member.awaitingSync { actions.append(.answerSync(old, Self.syncError(.rebalanceInProgress))) }
            member.awaitingSync = waiter
            member.lastHeartbeatMs = nowMs
            members[memberId] = member
            guard memberId == leaderId else { return actions }
            // The leader's assignment: members it left out get an empty one.
            var given: [String: ByteBuffer] = [:]
            for a in assignments { given[a.memberId] = a.assignment }
            for id in memberOrder { members[id]?.assignment = given[id] ?? ByteBuffer() }
            transition(to: .stable, nowMs: nowMs)
            actions.append(.persistGroup)
            for id in memberOrder {
                guard var m = members[id], let w = m.awaitingSync else { continue }
                m.awaitingSync = nil
                members[id] = m
                actions.append(.answerSync(w, syncAnswer(m.assignment)))
            }
            return actions
        }
    }

    private func syncAnswer(_ assignment: ByteBuffer) -> SyncGroupResponse {
        var r = SyncGroupResponse()
        r.protocolType = protocolType
        r.protocolName = protocolName
        r.assignment = assignment
        return r
    }

    /// Handles a Heartbeat: the member stays alive; the error tells it whether to rejoin.
    public mutating func heartbeat(memberId: String, groupInstanceId: String?, generationId: Int32, nowMs: Int64) -> ErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if isFenced(groupInstanceId: groupInstanceId, memberId: memberId) { return .fencedInstanceId }
        guard members[memberId] != nil else { return .unknownMemberId }
        if generationId != self.generationId { return .illegalGeneration }
        switch state {
        case .empty, .dead: return .unknownMemberId
        case .preparingRebalance:
            touch(memberId, nowMs: nowMs)
            return .rebalanceInProgress
        case .completingRebalance, .stable:
            touch(memberId, nowMs: nowMs)
            return .none
        }
    }

    /// Handles one member of a LeaveGroup. A static member may be named by instance id alone.
    public mutating func leave(memberId: String, groupInstanceId: String?, nowMs: Int64) -> (ErrorCode, [GroupAction]) {
        if state == .dead { return (.coordinatorNotAvailable, []) }
        var id = memberId
        if let instance = groupInstanceId {
            guard let current = staticMembers[instance] else { return (.unknownMemberId, []) }
            if !memberId.isEmpty && current != memberId { return (.fencedInstanceId, []) }
            id = current
        }
        if pendingMembers.removeValue(forKey: id) != nil { return (.none, []) }
        guard members[id] != nil else { return (.unknownMemberId, []) }
        return (.none, removeMember(id, nowMs: nowMs))
    }
}
