import NIOCore

extension ClassicGroup {
    /// The group's metadata record: generation, protocol, leader and each member with the
    /// metadata of the chosen protocol and its assignment.
    var metadataValue: OffsetsTopicRecord.GroupMetadataValue {
        let chosen = protocolName
        return .init(
            protocolType: protocolType ?? "", generationId: generationId, protocolName: chosen, leaderId: leaderId,
            stateTimestampMs: stateTimestampMs,
            members: memberOrder.compactMap { id in
                guard let m = members[id] else { return nil }
                return .init(memberId: id, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
                             rebalanceTimeoutMs: m.rebalanceTimeoutMs, sessionTimeoutMs: m.sessionTimeoutMs,
                             subscription: chosen.flatMap { m.metadata(for: $0) } ?? ByteBuffer(), assignment: m.assignment)
            })
    }

    /// Takes the membership of a metadata record read back at start. A group with members comes
    /// back Stable, as in Kafka: its members keep heartbeating with the same generation, and
    /// those that do not expire after their session timeout from `nowMs`.
    mutating func restore(_ value: OffsetsTopicRecord.GroupMetadataValue, nowMs: Int64) {
        forgetMembership(nowMs: nowMs)
        protocolType = value.protocolType.isEmpty ? nil : value.protocolType
        generationId = value.generationId
        protocolName = value.protocolName
        leaderId = value.leaderId
        for m in value.members where members[m.memberId] == nil {
            var member = GroupMember(
                memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
                rebalanceTimeoutMs: m.rebalanceTimeoutMs, sessionTimeoutMs: m.sessionTimeoutMs,
                protocolType: value.protocolType,
                protocols: [MemberProtocol(name: value.protocolName ?? "", metadata: m.subscription)], lastHeartbeatMs: nowMs)
            member.assignment = m.assignment
            members[m.memberId] = member
            memberOrder.append(m.memberId)
            if let instance = m.groupInstanceId { staticMembers[instance] = m.memberId }
        }
        if leaderId.map({ members[$0] == nil }) ?? true { leaderId = memberOrder.first }
        state = members.isEmpty ? .empty : .stable
        stateTimestampMs = value.stateTimestampMs >= 0 ? value.stateTimestampMs : nowMs
    }

    /// Drops members and generation (a group tombstone); committed offsets stay.
    mutating func forgetMembership(nowMs: Int64) {
        members.removeAll()
        memberOrder.removeAll()
        staticMembers.removeAll()
        pendingMembers.removeAll()
        leaderId = nil
        protocolName = nil
        protocolType = nil
        joinDeadlineMs = nil
        initialDelay = nil
        state = .empty
        stateTimestampMs = nowMs
    }
}
