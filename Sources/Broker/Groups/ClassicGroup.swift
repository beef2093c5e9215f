import KafkaProtocol
import NIOCore

/// The state of a classic group, as Kafka names them (DescribeGroups and ListGroups show these).
public enum GroupState: String, Sendable {
    /// No members; the group may still hold committed offsets.
    case empty = "Empty"
    /// A rebalance started: waiting for members to (re)join.
    case preparingRebalance = "PreparingRebalance"
    /// Every member joined: waiting for the leader's assignment in SyncGroup.
    case completingRebalance = "CompletingRebalance"
    /// Members hold their assignments and heartbeat.
    case stable = "Stable"
    /// Deleted (or expired); a new group of the same id starts from Empty.
    case dead = "Dead"
}

/// What the coordinator must do after a transition of a group.
public enum GroupAction: Sendable {
    /// Answer a parked JoinGroup.
    case answerJoin(ParkedRequest, JoinGroupResponse)
    /// Answer a parked SyncGroup.
    case answerSync(ParkedRequest, SyncGroupResponse)
    /// Write the group's metadata record (generation, members, assignments) to the offsets topic.
    case persistGroup
}

/// A topic partition, as offsets are keyed.
public struct TopicPartition: Hashable, Sendable, Comparable {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition
    }
}

/// A committed offset with what the client stored beside it.
public struct CommittedOffset: Sendable, Equatable {
    public var offset: Int64
    public var leaderEpoch: Int32
    public var metadata: String
    public var commitTimestampMs: Int64
    /// Set only when the client asked for a retention time (OffsetCommit v2–v4).
    public var expireTimestampMs: Int64?

    public init(offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestampMs: Int64, expireTimestampMs: Int64? = nil) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestampMs = commitTimestampMs
        self.expireTimestampMs = expireTimestampMs
    }
}

/// One classic consumer group: the membership state machine of Kafka's group coordinator
/// (two-phase join, leader election, protocol selection, generations and fencing, static members)
/// and the group's committed offsets.
///
/// Sans-IO: every method takes the current time and returns the actions to carry out (answers to
/// parked requests, a metadata record to persist). The deadlines it depends on are given by
/// `nextDeadlineMs`; the owner calls `tick(nowMs:)` when one passes.
public struct ClassicGroup: Sendable {
    public let groupId: String
    public internal(set) var state: GroupState = .empty
    /// When `state` last changed (persisted; offset retention counts from it).
    public internal(set) var stateTimestampMs: Int64
    public internal(set) var generationId: Int32 = 0
    /// The protocol type the members share ("consumer" for consumers); nil for a group that only
    /// stores offsets.
    public internal(set) var protocolType: String?
    /// The protocol (assignor) chosen for the current generation.
    public internal(set) var protocolName: String?
    public internal(set) var leaderId: String?
    /// Members by id, and the order they joined (the leader is chosen from the oldest).
    public internal(set) var members: [String: GroupMember] = [:]
    public internal(set) var memberOrder: [String] = []
    /// Static members: group.instance.id → current member id.
    public internal(set) var staticMembers: [String: String] = [:]
    /// Member ids handed out with MEMBER_ID_REQUIRED, not yet used to join, with their deadlines.
    public internal(set) var pendingMembers: [String: Int64] = [:]
    public internal(set) var offsets: [TopicPartition: CommittedOffset] = [:]

    /// When the join phase ends at the latest (PreparingRebalance only).
    public internal(set) var joinDeadlineMs: Int64?
    /// The first rebalance of an empty group waits for more members (group.initial.rebalance.delay.ms).
    var initialDelay: (delayMs: Int64, remainingMs: Int64)?
    /// A member joined during the initial delay: the delay is extended once more.
    var newMemberAdded = false

    public init(groupId: String, nowMs: Int64) {
        self.groupId = groupId
        self.stateTimestampMs = nowMs
    }

    mutating func transition(to newState: GroupState, nowMs: Int64) {
        state = newState
        stateTimestampMs = nowMs
    }

    public var isEmpty: Bool { members.isEmpty }

    // MARK: Protocols

    /// The protocols every member supports.
    var candidateProtocols: Set<String> {
        var result: Set<String>?
        for m in members.values {
            let names = Set(m.protocols.map(\.name))
            result = result.map { $0.intersection(names) } ?? names
        }
        return result ?? []
    }

    /// Whether a member with these protocols may join (Kafka's supportsProtocols): the first
    /// member sets the type; later ones must share the type and at least one protocol.
    func supports(protocolType: String, protocols: [MemberProtocol]) -> Bool {
        if members.isEmpty { return !protocolType.isEmpty && !protocols.isEmpty }
        guard self.protocolType == protocolType || self.protocolType == nil else { return false }
        let candidates = candidateProtocols
        return protocols.contains { candidates.contains($0.name) }
    }

    /// The protocol for the next generation: each member votes for its most preferred candidate;
    /// the most votes win, ties going to the one the oldest member prefers.
    func selectProtocol() -> String? {
        let candidates = candidateProtocols
        guard !candidates.isEmpty else { return nil }
        var votes: [String: Int] = [:]
        for m in members.values {
            if let choice = m.protocols.first(where: { candidates.contains($0.name) }) { votes[choice.name, default: 0] += 1 }
        }
        let best = votes.values.max() ?? 0
        let oldest = memberOrder.first.flatMap { members[$0] }
        if let preferred = oldest?.protocols.first(where: { votes[$0.name] == best }) { return preferred.name }
        return votes.first { $0.value == best }?.key
    }

    /// Whether `groupInstanceId` belongs to a different member than `memberId` (a zombie of a
    /// static member that was replaced).
    func isFenced(groupInstanceId: String?, memberId: String) -> Bool {
        guard let instance = groupInstanceId, let current = staticMembers[instance] else { return false }
        return current != memberId
    }

    // MARK: Deadlines

    /// The earliest moment something must happen without a request: a join phase ending, a
    /// session or a pending member id expiring.
    public var nextDeadlineMs: Int64? {
        var next = joinDeadlineMs
        func consider(_ t: Int64?) { if let t, next == nil || t < next! { next = t } }
        for deadline in pendingMembers.values { consider(deadline) }
        if state != .dead { for m in members.values { consider(m.sessionDeadlineMs) } }
        return next
    }

    /// Carries out what is due at `nowMs`.
    public mutating func tick(nowMs: Int64) -> [GroupAction] {
        var actions: [GroupAction] = []
        for (id, deadline) in pendingMembers where deadline <= nowMs { pendingMembers[id] = nil }
        let expired = memberOrder.filter { id in members[id]?.sessionDeadlineMs.map { $0 <= nowMs } ?? false }
        for id in expired { actions += removeMember(id, nowMs: nowMs) }
        if state == .preparingRebalance, let deadline = joinDeadlineMs, deadline <= nowMs {
            if let delay = initialDelay, newMemberAdded, delay.remainingMs > 0 {
                // Members are still arriving: wait once more, within the rebalance timeout.
                newMemberAdded = false
                let step = min(delay.delayMs, delay.remainingMs)
                initialDelay = (delay.delayMs, max(delay.remainingMs - step, 0))
                joinDeadlineMs = nowMs + step
            } else {
                actions += completeJoin(nowMs: nowMs, timedOut: true)
            }
        }
        return actions
    }

    // MARK: Rebalancing

    /// Starts a rebalance: members must rejoin within the longest rebalance timeout.
    mutating func prepareRebalance(nowMs: Int64) -> [GroupAction] {
        var actions: [GroupAction] = []
        if state == .completingRebalance {
            // Assignments of the generation being formed are void; tell those waiting for them.
            for id in memberOrder {
                guard var m = members[id] else { continue }
                m.assignment = ByteBuffer()
                if let waiter = m.awaitingSync {
                    m.awaitingSync = nil
                    actions.append(.answerSync(waiter, Self.syncError(.rebalanceInProgress)))
                }
                members[id] = m
            }
        }
        let rebalanceTimeoutMs = Int64(members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
        if state == .empty && initialDelayMs > 0 {
            initialDelay = (initialDelayMs, max(rebalanceTimeoutMs - initialDelayMs, 0))
            newMemberAdded = false
            joinDeadlineMs = nowMs + initialDelayMs
        } else {
            initialDelay = nil
            joinDeadlineMs = nowMs + rebalanceTimeoutMs
        }
        transition(to: .preparingRebalance, nowMs: nowMs)
        return actions
    }

    /// Set by the coordinator from its configuration before each call that may start a rebalance.
    var initialDelayMs: Int64 = 0

    mutating func maybePrepareRebalance(nowMs: Int64) -> [GroupAction] {
        switch state {
        case .stable, .completingRebalance, .empty: return prepareRebalance(nowMs: nowMs)
        case .preparingRebalance, .dead: return []
        }
    }

    /// Whether the join phase can end now: every member rejoined and no member id is pending.
    var allMembersJoined: Bool {
        pendingMembers.isEmpty && members.values.allSatisfy { $0.awaitingJoin != nil }
    }

    /// Ends the join phase early when everyone is in (never during the initial delay).
    mutating func completeJoinIfReady(nowMs: Int64) -> [GroupAction] {
        guard state == .preparingRebalance, initialDelay == nil, allMembersJoined else { return [] }
        return completeJoin(nowMs: nowMs, timedOut: false)
    }

    /// Ends the join phase: drops dynamic members that did not rejoin, starts the next generation,
    /// and answers every parked JoinGroup (the leader gets the member list).
    mutating func completeJoin(nowMs: Int64, timedOut: Bool) -> [GroupAction] {
        var actions: [GroupAction] = []
        for id in memberOrder where members[id]?.awaitingJoin == nil && members[id]?.groupInstanceId == nil {
            actions += detach(id)
        }
        joinDeadlineMs = nil
        initialDelay = nil
        if members.isEmpty {
            generationId &+= 1
            protocolName = nil
            leaderId = nil
            transition(to: .empty, nowMs: nowMs)
            actions.append(.persistGroup)
            return actions
        }
        // The leader must be a member that rejoined; if none did (static members only), wait on.
        if leaderId.flatMap({ members[$0]?.awaitingJoin }) == nil {
            guard let joined = memberOrder.first(where: { members[$0]?.awaitingJoin != nil }) else {
                joinDeadlineMs = nowMs + Int64(members.values.map(\.rebalanceTimeoutMs).max() ?? 0)
                return actions
            }
            leaderId = joined
        }
        generationId &+= 1
        protocolName = selectProtocol()
        transition(to: .completingRebalance, nowMs: nowMs)
        for id in memberOrder {
            guard var m = members[id], let waiter = m.awaitingJoin else { continue }
            m.awaitingJoin = nil
            m.lastHeartbeatMs = nowMs
            members[id] = m
            actions.append(.answerJoin(waiter, joinResponse(for: id, version: waiter.version, includeMembers: id == leaderId)))
        }
        return actions
    }

    /// The JoinGroup answer of the current generation for `memberId`.
    func joinResponse(for memberId: String, version: Int16, includeMembers: Bool, leaderOverride: String? = nil) -> JoinGroupResponse {
        var r = JoinGroupResponse()
        r.generationId = generationId
        r.protocolType = protocolType
        r.protocolName = protocolName ?? (version >= 7 ? nil : "")
        r.leader = leaderOverride ?? leaderId ?? ""
        r.memberId = memberId
        if includeMembers, let chosen = protocolName {
            r.members = memberOrder.compactMap { id in
                guard let m = members[id] else { return nil }
                var entry = JoinGroupResponse.JoinGroupResponseMember()
                entry.memberId = id
                entry.groupInstanceId = m.groupInstanceId
                entry.metadata = m.metadata(for: chosen) ?? ByteBuffer()
                return entry
            }
        }
        return r
    }

    static func joinError(_ code: ErrorCode, memberId: String = "", version: Int16) -> JoinGroupResponse {
        var r = JoinGroupResponse()
        r.errorCode = code.rawValue
        r.generationId = -1
        r.protocolName = version >= 7 ? nil : ""
        r.memberId = memberId
        return r
    }

    static func syncError(_ code: ErrorCode) -> SyncGroupResponse {
        var r = SyncGroupResponse()
        r.errorCode = code.rawValue
        return r
    }

    /// Removes a member from the tables, answering its parked requests; no state change.
    mutating func detach(_ id: String) -> [GroupAction] {
        guard let m = members.removeValue(forKey: id) else { return [] }
        memberOrder.removeAll { $0 == id }
        var actions: [GroupAction] = []
        if let waiter = m.awaitingJoin { actions.append(.answerJoin(waiter, Self.joinError(.unknownMemberId, memberId: id, version: waiter.version))) }
        if let waiter = m.awaitingSync { actions.append(.answerSync(waiter, Self.syncError(.unknownMemberId))) }
        if let instance = m.groupInstanceId, staticMembers[instance] == id { staticMembers[instance] = nil }
        if leaderId == id {
            leaderId = memberOrder.first { members[$0]?.awaitingJoin != nil } ?? memberOrder.first
        }
        return actions
    }

    /// Removes a member (left, expired or fenced) and rebalances the rest.
    mutating func removeMember(_ id: String, nowMs: Int64) -> [GroupAction] {
        guard members[id] != nil else { return [] }
        var actions = detach(id)
        switch state {
        case .stable, .completingRebalance:
            actions += prepareRebalance(nowMs: nowMs)
            actions += completeJoinIfReady(nowMs: nowMs)
        case .preparingRebalance: actions += completeJoinIfReady(nowMs: nowMs)
        case .empty, .dead: break
        }
        return actions
    }

    /// Marks the group deleted and answers everything parked.
    mutating func markDead(nowMs: Int64) -> [GroupAction] {
        var actions: [GroupAction] = []
        for id in memberOrder {
            guard let m = members[id] else { continue }
            if let w = m.awaitingJoin { actions.append(.answerJoin(w, Self.joinError(.coordinatorNotAvailable, memberId: id, version: w.version))) }
            if let w = m.awaitingSync { actions.append(.answerSync(w, Self.syncError(.coordinatorNotAvailable))) }
        }
        members.removeAll()
        memberOrder.removeAll()
        staticMembers.removeAll()
        pendingMembers.removeAll()
        offsets.removeAll()
        joinDeadlineMs = nil
        initialDelay = nil
        transition(to: .dead, nowMs: nowMs)
        return actions
    }
}
