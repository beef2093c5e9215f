import KafkaProtocol
import NIOCore

extension ClassicGroup {
    /// Whether a member may commit offsets now (Kafka's rules): a commit with no generation is
    /// an admin or standalone commit and needs an empty group; a member's commit needs the
    /// current generation and is refused while the leader's assignment is awaited.
    public mutating func validateCommit(memberId: String, groupInstanceId: String?, generationId: Int32, nowMs: Int64) -> ErrorCode {
        if state == .dead { return .coordinatorNotAvailable }
        if generationId < 0 && memberId.isEmpty && state == .empty { return .none }
        if isFenced(groupInstanceId: groupInstanceId, memberId: memberId) { return .fencedInstanceId }
        guard members[memberId] != nil else { return .unknownMemberId }
        if generationId != self.generationId { return .illegalGeneration }
        if state == .completingRebalance { return .rebalanceInProgress }
        touch(memberId, nowMs: nowMs)
        return .none
    }

    /// Stores a committed offset (after it is written to the offsets topic).
    public mutating func store(_ tp: TopicPartition, _ offset: CommittedOffset) {
        offsets[tp] = offset
    }

    /// Forgets committed offsets (OffsetDelete); returns those that existed.
    public mutating func deleteOffsets(_ tps: [TopicPartition]) -> [TopicPartition] {
        tps.filter { offsets.removeValue(forKey: $0) != nil }
    }

    /// The topics the members are assigned or subscribed to cannot be decoded without knowing the
    /// assignor's format; Kafka only knows it for the "consumer" protocol type. For OffsetDelete
    /// we refuse while the group has members (GROUP_SUBSCRIBED_TO_TOPIC would need the decoding).
    public var hasActiveMembers: Bool { !members.isEmpty }

    /// Offsets past their retention (Kafka's rules since 2.1): a group's offsets expire once the
    /// group has been empty for the retention period; offsets committed with an explicit
    /// retention time expire at that time; a group that never had members (standalone commits)
    /// expires each offset a retention period after its commit.
    public func expiredOffsets(nowMs: Int64, retentionMs: Int64) -> [TopicPartition] {
        var out: [TopicPartition] = []
        for (tp, o) in offsets {
            if let explicit = o.expireTimestampMs {
                if explicit <= nowMs { out.append(tp) }
                continue
            }
            switch state {
            case .empty:
                let base = protocolType == nil ? o.commitTimestampMs : max(stateTimestampMs, o.commitTimestampMs)
                if base + retentionMs <= nowMs { out.append(tp) }
            case .dead:
                out.append(tp)
            default:
                break
            }
        }
        return out.sorted()
    }

    /// Whether nothing is left of the group: it can be forgotten.
    public var isForgettable: Bool {
        (state == .empty || state == .dead) && members.isEmpty && pendingMembers.isEmpty && offsets.isEmpty
    }
}

extension ClassicGroup {
    /// The topics the members subscribe to, read from the "consumer" protocol's subscription
    /// (version int16, topic count int32, then the topic names); nil when members speak a
    /// protocol whose subscriptions this broker cannot read.
    public var subscribedTopics: Set<String>? {
        if members.isEmpty { return [] }
        guard protocolType == "consumer" else { return nil }
        var topics = Set<String>()
        for m in members.values {
            guard var meta = protocolName.flatMap({ m.metadata(for: $0) }) ?? m.protocols.first?.metadata else { continue }
            guard meta.readInteger(as: Int16.self) != nil, let count = meta.readInteger(as: Int32.self),
                  count >= 0, Int(count) <= meta.readableBytes / 2 else { return nil }
            for _ in 0..<count {
                guard let n = meta.readInteger(as: Int16.self), n >= 0, let name = meta.readString(length: Int(n)) else { return nil }
                topics.insert(name)
            }
        }
        return topics
    }
}
