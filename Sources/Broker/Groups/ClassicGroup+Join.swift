import KafkaProtocol
import NIOCore

/// A JoinGroup as the state machine sees it.
public struct JoinRequest: Sendable {
    public var memberId: String
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    public var sessionTimeoutMs: Int32
    public var rebalanceTimeoutMs: Int32
    public var protocolType: String
    public var protocols: [MemberProtocol]
    /// The request's API version (v4+ must learn their member id first: MEMBER_ID_REQUIRED).
    public var version: Int16

    public init(
        memberId: String, groupInstanceId: String? = nil, clientId: String, clientHost: String = "",
        sessionTimeoutMs: Int32, rebalanceTimeoutMs: Int32, protocolType: String, protocols: [MemberProtocol], version: Int16
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.sessionTimeoutMs = sessionTimeoutMs
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.protocolType = protocolType
        self.protocols = protocols
        self.version = version
    }
}

extension ClassicGroup {
    /// Characters of the client id used at the start of a member id.
    static let memberIdPrefixLengthMax = 200

    /// Handles a JoinGroup. `waiter` identifies the request; it is answered through an
    /// `.answerJoin` action, now or when the join phase ends. `newMemberSuffix` is a fresh unique
    /// string for a member id the coordinator may have to hand out.
    public mutating func join(
        _ request: JoinRequest, waiter: ParkedRequest, newMemberSuffix: String, config: GroupConfig, nowMs: Int64
    ) -> [GroupAction] {
        initialDelayMs = config.initialRebalanceDelayMs
        func fail(_ code: ErrorCode, memberId: String = request.memberId) -> [GroupAction] {
            [.answerJoin(waiter, Self.joinError(code, memberId: memberId, version: waiter.version))]
        }
        if state == .dead { return fail(.coordinatorNotAvailable) }
        if request.protocolType.isEmpty || request.protocols.isEmpty { return fail(.inconsistentGroupProtocol) }
        let protocolNames = request.protocols.map(\.name)
        if Set(protocolNames).count != protocolNames.count { return fail(.inconsistentGroupProtocol) }

        if request.memberId.isEmpty {
            return joinNew(request, waiter: waiter, suffix: newMemberSuffix, config: config, nowMs: nowMs)
        }
        if pendingMembers[request.memberId] != nil {
            pendingMembers[request.memberId] = nil
            guard supports(protocolType: request.protocolType, protocols: request.protocols) else {
                return fail(.inconsistentGroupProtocol)
            }
            if members.count >= config.groupSizeMax { return fail(.groupMaxSizeReached) }
            return addMember(request, id: request.memberId, waiter: waiter, nowMs: nowMs)
        }
        if isFenced(groupInstanceId: request.groupInstanceId, memberId: request.memberId) { return fail(.fencedInstanceId) }
        guard var member = members[request.memberId] else { return fail(.unknownMemberId) }
        guard supports(protocolType: request.protocolType, protocols: request.protocols) else { return fail(.inconsistentGroupProtocol) }

        var actions: [GroupAction] = []
        if let old = member.awaitingJoin {
            // A repeated JoinGroup: the earlier one must still get an answer (responses on a
            // connection go out in order) — it is superseded.
            actions.append(.answerJoin(old, Self.joinError(.rebalanceInProgress, memberId: request.memberId, version: old.version)))
            member.awaitingJoin = nil
            members[request.memberId] = member
        }
        let unchanged = member.sameProtocols(as: request.protocols)
        switch state {
        case .preparingRebalance:
            actions += updateMember(request, waiter: waiter, nowMs: nowMs)
            actions += completeJoinIfReady(nowMs: nowMs)
        case .completingRebalance where unchanged:
            // The member missed our answer: send it again.
            touch(request.memberId, nowMs: nowMs)
            actions.append(.answerJoin(waiter, joinResponse(for: request.memberId, version: waiter.version,
                                                             includeMembers: request.memberId == leaderId)))
        case .stable where unchanged && request.memberId != leaderId:
            // A follower rejoining with nothing new gets the current generation back.
            touch(request.memberId, nowMs: nowMs)
            actions.append(.answerJoin(waiter, joinResponse(for: request.memberId, version: waiter.version, includeMembers: false)))
        case .completingRebalance, .stable:
            // The leader rejoining, or new subscriptions: everyone rebalances.
            actions += updateMember(request, waiter: waiter, nowMs: nowMs)
            actions += prepareRebalance(nowMs: nowMs)
            actions += completeJoinIfReady(nowMs: nowMs)
        case .empty, .dead:
            actions += fail(.unknownMemberId)
        }
        return actions
    }

    /// A JoinGroup without a member id.
    private mutating func joinNew(
        _ request: JoinRequest, waiter: ParkedRequest, suffix: String, config: GroupConfig, nowMs: Int64
    ) -> [GroupAction] {
        func fail(_ code: ErrorCode) -> [GroupAction] {
            [.answerJoin(waiter, Self.joinError(code, version: waiter.version))]
        }
        guard supports(protocolType: request.protocolType, protocols: request.protocols) else { return fail(.inconsistentGroupProtocol) }
        // The id goes back in a string field of at most Int16.max bytes: a long client id is cut.
        let newId = (request.groupInstanceId ?? String(request.clientId.prefix(Self.memberIdPrefixLengthMax))) + "-" + suffix
        if let instance = request.groupInstanceId, let oldId = staticMembers[instance], members[oldId] != nil {
            return replaceStaticMember(request, oldId: oldId, newId: newId, waiter: waiter, nowMs: nowMs)
        }
        if members.count + pendingMembers.count >= config.groupSizeMax { return fail(.groupMaxSizeReached) }
        if request.groupInstanceId == nil && request.version >= 4 {
            // KIP-394: the member learns its id first, so a lost answer leaves no ghost member.
            pendingMembers[newId] = nowMs + Int64(request.sessionTimeoutMs)
            return [.answerJoin(waiter, Self.joinError(.memberIdRequired, memberId: newId, version: waiter.version))]
        }
        return addMember(request, id: newId, waiter: waiter, nowMs: nowMs)
    }

    private mutating func addMember(_ request: JoinRequest, id: String, waiter: ParkedRequest, nowMs: Int64) -> [GroupAction] {
        var member = GroupMember(
            memberId: id, groupInstanceId: request.groupInstanceId, clientId: request.clientId, clientHost: request.clientHost,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs, sessionTimeoutMs: request.sessionTimeoutMs,
            protocolType: request.protocolType, protocols: request.protocols, lastHeartbeatMs: nowMs)
        member.awaitingJoin = waiter
        if members.isEmpty { protocolType = request.protocolType }
        members[id] = member
        memberOrder.append(id)
        if let instance = request.groupInstanceId { staticMembers[instance] = id }
        if leaderId == nil { leaderId = id }
        if state == .preparingRebalance && initialDelay != nil && generationId == 0 { newMemberAdded = true }
        var actions = maybePrepareRebalance(nowMs: nowMs)
        actions += completeJoinIfReady(nowMs: nowMs)
        return actions
    }

    private mutating func updateMember(_ request: JoinRequest, waiter: ParkedRequest, nowMs: Int64) -> [GroupAction] {
        guard var m = members[request.memberId] else { return [] }
        m.protocols = request.protocols
        m.sessionTimeoutMs = request.sessionTimeoutMs
        m.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        m.clientId = request.clientId
        m.clientHost = request.clientHost
        m.awaitingJoin = waiter
        m.lastHeartbeatMs = nowMs
        members[request.memberId] = m
        return []
    }

    mutating func touch(_ memberId: String, nowMs: Int64) {
        members[memberId]?.lastHeartbeatMs = nowMs
    }

    /// A static member came back with a new member id (its client restarted): the new id takes the
    /// old one's place and assignment; the old id is fenced. In a stable group nothing else
    /// changes (KIP-345: no rebalance for the others).
    private mutating func replaceStaticMember(
        _ request: JoinRequest, oldId: String, newId: String, waiter: ParkedRequest, nowMs: Int64
    ) -> [GroupAction] {
        guard var member = members.removeValue(forKey: oldId) else { return [] }
        var actions: [GroupAction] = []
        // The old incarnation's parked requests are answered: it is fenced now.
        if let w = member.awaitingJoin { actions.append(.answerJoin(w, Self.joinError(.fencedInstanceId, memberId: oldId, version: w.version))) }
        if let w = member.awaitingSync { actions.append(.answerSync(w, Self.syncError(.fencedInstanceId))) }
        member.awaitingJoin = nil
        member.awaitingSync = nil
        let protocolsChanged = !member.sameProtocols(as: request.protocols)
        member.memberId = newId
        member.clientId = request.clientId
        member.clientHost = request.clientHost
        member.sessionTimeoutMs = request.sessionTimeoutMs
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
        member.protocols = request.protocols
        member.lastHeartbeatMs = nowMs
        members[newId] = member
        if let i = memberOrder.firstIndex(of: oldId) { memberOrder[i] = newId }
        staticMembers[request.groupInstanceId ?? ""] = newId
        let wasLeader = leaderId == oldId
        if wasLeader { leaderId = newId }

        switch state {
        case .stable where !protocolsChanged || selectProtocol() == protocolName:
            // Answer with the old leader id so that a returning leader does not compute an
            // assignment a stable group would never distribute; SyncGroup then hands back the
            // member's existing assignment.
            actions.append(.persistGroup)
            actions.append(.answerJoin(waiter, joinResponse(for: newId, version: waiter.version, includeMembers: false,
                                                            leaderOverride: wasLeader ? oldId : nil)))
        case .preparingRebalance:
            members[newId]?.awaitingJoin = waiter
            actions += completeJoinIfReady(nowMs: nowMs)
        default:
            members[newId]?.awaitingJoin = waiter
            actions += prepareRebalance(nowMs: nowMs)
            actions += completeJoinIfReady(nowMs: nowMs)
        }
        return actions
    }
}
