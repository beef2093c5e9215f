import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// One consumer's membership in a classic group: JoinGroup/SyncGroup (running the assignor when it is
/// the leader), a heartbeat in the background, and LeaveGroup.
final class GroupMembership: @unchecked Sendable {
    let cluster: KafkaCluster
    let groupId: String
    let config: ConsumerConfig
    private let state = NIOLockedValueBox(State())

    struct State {
        var memberId = ""
        var generationId: Int32 = -1
        var protocolName: String?
        var needsRejoin = true
        var heartbeat: Task<Void, Never>?
        var lastHeartbeatError: KafkaClientError?
    }

    /// The result of a completed rebalance.
    struct Assignment {
        var partitions: [TopicPartition]
        var generationId: Int32
        var memberId: String
        var cooperative: Bool
    }

    init(cluster: KafkaCluster, groupId: String, config: ConsumerConfig) {
        self.cluster = cluster
        self.groupId = groupId
        self.config = config
    }

    var needsRejoin: Bool { state.withLockedValue { $0.needsRejoin } }
    var generation: (id: Int32, memberId: String) { state.withLockedValue { ($0.generationId, $0.memberId) } }

    /// Whether the protocol the group settled on is cooperative.
    var isCooperative: Bool {
        let name = state.withLockedValue { $0.protocolName }
        return config.assignors.first { $0.name == name }?.isCooperative ?? false
    }

    func requestRejoin() { state.withLockedValue { $0.needsRejoin = true } }

    /// Joins (or rejoins) the group and returns this member's assignment.
    func join(topics: [String], owned: [TopicPartition]) async throws -> Assignment {
        var attempt = 0
        while true {
            attempt += 1
            do {
                if let a = try await joinOnce(topics: topics, owned: owned) { return a }
            } catch let e as KafkaClientError where e.isRetriable && attempt <= cluster.config.retriesMax * 4 {
                cluster.logger.debug("join of group \(groupId) failed: \(e); retrying")
            }
            try await Task.sleep(nanoseconds: UInt64(cluster.config.backoffMs(attempt: min(attempt, 4))) * 1_000_000)
        }
    }

    /// One JoinGroup + SyncGroup round; nil when it must be repeated (new member id, rebalance).
    private func joinOnce(topics: [String], owned: [TopicPartition]) async throws -> Assignment? {
        let c = try await cluster.coordinator(forGroup: groupId)
        let (memberId, generationId) = state.withLockedValue { ($0.memberId, $0.generationId) }
        var join = JoinGroupRequest()
        join.groupId = groupId
        join.sessionTimeoutMs = config.sessionTimeoutMs
        join.rebalanceTimeoutMs = config.rebalanceTimeoutMs
        join.memberId = memberId
        join.groupInstanceId = config.groupInstanceId
        join.protocolType = "consumer"
        join.protocols = try config.assignors.map { a in
            var p = JoinGroupRequest.JoinGroupRequestProtocol()
            p.name = a.name
            p.metadata = try ConsumerSubscription(
                topics: topics, ownedPartitions: a.isCooperative ? owned : [], generationId: generationId).encoded()
            return p
        }
        let joined = try await c.request(join, timeoutMs: Int64(config.rebalanceTimeoutMs) + 5_000)
        switch ErrorCode(rawValue: joined.errorCode) {
        case .none?:
            break
        case .memberIdRequired?:
            state.withLockedValue { $0.memberId = joined.memberId }
            return nil
        case .unknownMemberId?, .illegalGeneration?:
            state.withLockedValue { $0.memberId = ""; $0.generationId = -1 }
            return nil
        case .rebalanceInProgress?:
            return nil
        case .notCoordinator?, .coordinatorNotAvailable?, .coordinatorLoadInProgress?:
            throw KafkaClientError.check(joined.errorCode, "joining group '\(groupId)'")!
        default:
            throw KafkaClientError.check(joined.errorCode, "joining group '\(groupId)'")
                ?? .unknownErrorCode(joined.errorCode, context: "joining group '\(groupId)'")
        }
        let protocolName = joined.protocolName ?? ""
        state.withLockedValue {
            $0.memberId = joined.memberId
            $0.generationId = joined.generationId
            $0.protocolName = protocolName
        }

        var sync = SyncGroupRequest()
        sync.groupId = groupId
        sync.generationId = joined.generationId
        sync.memberId = joined.memberId
        sync.groupInstanceId = config.groupInstanceId
        sync.protocolType = "consumer"
        sync.protocolName = protocolName
        if joined.leader == joined.memberId && !joined.skipAssignment {
            sync.assignments = try await leaderAssign(protocolName: protocolName, members: joined.members)
        }
        let synced = try await c.request(sync, timeoutMs: Int64(config.rebalanceTimeoutMs) + 5_000)
        switch ErrorCode(rawValue: synced.errorCode) {
        case .none?:
            break
        case .rebalanceInProgress?:
            return nil
        case .unknownMemberId?, .illegalGeneration?:
            state.withLockedValue { $0.memberId = ""; $0.generationId = -1 }
            return nil
        default:
            throw KafkaClientError.check(synced.errorCode, "syncing group '\(groupId)'")
                ?? .unknownErrorCode(synced.errorCode, context: "syncing group '\(groupId)'")
        }
        let assignment = try ConsumerAssignment.decode(synced.assignment)
        state.withLockedValue { $0.needsRejoin = false }
        startHeartbeat()
        let cooperative = config.assignors.first { $0.name == protocolName }?.isCooperative ?? false
        return Assignment(partitions: assignment.partitions, generationId: joined.generationId, memberId: joined.memberId,
                          cooperative: cooperative)
    }

    /// The leader's part: decode every member's subscription, run the chosen assignor, encode.
    private func leaderAssign(protocolName: String, members: [JoinGroupResponse.JoinGroupResponseMember]) async throws
        -> [SyncGroupRequest.SyncGroupRequestAssignment] {
        guard let assignor = config.assignors.first(where: { $0.name == protocolName }) else {
            throw KafkaClientError.invalidArgument("group '\(groupId)' chose assignor '\(protocolName)', which this member does not have")
        }
        let subscriptions = try members.map {
            MemberSubscription(memberId: $0.memberId, groupInstanceId: $0.groupInstanceId,
                               subscription: try ConsumerSubscription.decode($0.metadata))
        }
        let topics = Set(subscriptions.flatMap(\.subscription.topics))
        var counts: [String: Int] = [:]
        let md = try await cluster.refreshMetadata(topics: Array(topics))
        for t in topics { if let n = md.partitionCount(t) { counts[t] = n } }
        let plan = assignor.assign(members: subscriptions, partitionsPerTopic: counts)
        return try subscriptions.map { m in
            var a = SyncGroupRequest.SyncGroupRequestAssignment()
            a.memberId = m.memberId
            a.assignment = try ConsumerAssignment(plan[m.memberId] ?? []).encoded()
            return a
        }
    }

    private func startHeartbeat() {
        let interval = UInt64(config.heartbeatIntervalMs) * 1_000_000
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: interval)
                guard let self, !Task.isCancelled else { return }
                if await !self.heartbeatOnce() { return }
            }
        }
        state.withLockedValue { s in
            s.heartbeat?.cancel()
            s.heartbeat = task
        }
    }

    /// Sends one heartbeat; false when the member must rejoin (the heartbeat loop then stops).
    private func heartbeatOnce() async -> Bool {
        let (generationId, memberId) = generation
        do {
            let c = try await cluster.coordinator(forGroup: groupId)
            var request = HeartbeatRequest()
            request.groupId = groupId
            request.generationId = generationId
            request.memberId = memberId
            request.groupInstanceId = config.groupInstanceId
            let response = try await c.request(request)
            switch ErrorCode(rawValue: response.errorCode) {
            case .none?:
                return true
            case .rebalanceInProgress?:
                requestRejoin()
                return false
            case .unknownMemberId?, .illegalGeneration?, .fencedInstanceId?:
                state.withLockedValue { $0.needsRejoin = true; $0.memberId = ""; $0.generationId = -1 }
                return false
            default:
                return true
            }
        } catch {
            // The coordinator may be moving; the next heartbeat finds it again.
            return true
        }
    }

    /// Leaves the group (best effort) and stops heartbeating.
    func leave() async {
        let (memberId, task) = state.withLockedValue { s -> (String, Task<Void, Never>?) in
            let r = (s.memberId, s.heartbeat)
            s.heartbeat = nil
            return r
        }
        task?.cancel()
        guard !memberId.isEmpty, let c = try? await cluster.coordinator(forGroup: groupId) else { return }
        var request = LeaveGroupRequest()
        request.groupId = groupId
        request.memberId = memberId
        var identity = LeaveGroupRequest.MemberIdentity()
        identity.memberId = memberId
        identity.groupInstanceId = config.groupInstanceId
        identity.reason = "the consumer is closing"
        request.members = [identity]
        _ = try? await c.request(request)
        state.withLockedValue { $0.memberId = ""; $0.generationId = -1; $0.needsRejoin = true }
    }
}
