import KafkaProtocol

extension KafkaAdmin {
    /// Every consumer group of the cluster (ListGroups asked of every broker).
    public func listGroups() async throws -> [GroupListing] {
        let md = try await cluster.refreshMetadata(topics: [])
        var out: [String: GroupListing] = [:]
        let nodes = md.brokers.keys.sorted()
        for node in nodes {
            let response = try await cluster.withRetry("ListGroups") { () -> ListGroupsResponse in
                let c = try await cluster.connection(toNode: node)
                return try await c.request(ListGroupsRequest())
            }
            if let e = KafkaClientError.check(response.errorCode, "listing groups on node \(node)") { throw e }
            for g in response.groups {
                out[g.groupId] = GroupListing(groupId: g.groupId, protocolType: g.protocolType, state: g.groupState)
            }
        }
        return out.values.sorted { $0.groupId < $1.groupId }
    }

    /// A group's state, assignor and members (DescribeGroups at its coordinator).
    public func describeGroup(_ groupId: String) async throws -> GroupDescription {
        try await cluster.withRetry("DescribeGroups") {
            let c = try await cluster.coordinator(forGroup: groupId)
            var request = DescribeGroupsRequest()
            request.groups = [groupId]
            let response = try await c.request(request)
            guard let g = response.groups.first else {
                throw KafkaClientError.protocolViolation(broker: "\(c.address)", detail: "DescribeGroups answered no group")
            }
            if let e = KafkaClientError.check(g.errorCode, "describing group '\(groupId)'") { throw e }
            let members = g.members.map { m in
                GroupMemberDescription(
                    memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
                    assignment: g.protocolType == "consumer" ? ((try? ConsumerAssignment.decode(m.memberAssignment))?.partitions ?? []) : [])
            }
            return GroupDescription(groupId: g.groupId, state: g.groupState, protocolType: g.protocolType,
                                    protocolName: g.protocolData, members: members, coordinator: c.nodeId ?? -1)
        }
    }

    /// Deletes groups (they must have no members).
    public func deleteGroups(_ groupIds: [String]) async throws {
        for groupId in groupIds {
            let response = try await cluster.withRetry("DeleteGroups") { () -> DeleteGroupsResponse in
                let c = try await cluster.coordinator(forGroup: groupId)
                var request = DeleteGroupsRequest()
                request.groupsNames = [groupId]
                let r = try await c.request(request)
                for g in r.results where g.errorCode == ErrorCode.notCoordinator.rawValue
                    || g.errorCode == ErrorCode.coordinatorLoadInProgress.rawValue {
                    throw KafkaClientError.check(g.errorCode, "deleting group '\(groupId)'")!
                }
                return r
            }
            for g in response.results {
                if let e = KafkaClientError.check(g.errorCode, "deleting group '\(g.groupId)'") { throw e }
            }
        }
    }

    /// A group's committed offsets (all partitions it has committed for when `partitions` is nil).
    public func committedOffsets(group groupId: String, partitions: [TopicPartition]? = nil) async throws -> [TopicPartition: Int64] {
        try await GroupOffsets.fetch(cluster: cluster, groupId: groupId, partitions: partitions)
    }

    /// Commits offsets for a group with no active members (a reset); the group must be empty.
    public func resetOffsets(group groupId: String, to offsets: [TopicPartition: Int64]) async throws {
        try await GroupOffsets.commit(cluster: cluster, groupId: groupId, generationId: -1, memberId: "", offsets: offsets)
    }

    /// Committed offset, log end offset and lag for every partition of the topics the group has
    /// committed for, with the member consuming each when the group is active.
    public func groupLag(_ groupId: String) async throws -> [PartitionLag] {
        let committed = try await committedOffsets(group: groupId)
        let description = try? await describeGroup(groupId)
        var owner: [TopicPartition: GroupMemberDescription] = [:]
        for m in description?.members ?? [] { for tp in m.assignment { owner[tp] = m } }
        var topics = Set(committed.keys.map(\.topic))
        topics.formUnion(owner.keys.map(\.topic))
        var partitions: [TopicPartition] = []
        for t in topics.sorted() {
            guard let meta = try? await describeTopic(t) else { continue }
            partitions += meta.partitions.map { TopicPartition(t, $0.partition) }
        }
        let ends = try await listOffsets(partitions, spec: .latest)
        return partitions.map { tp in
            PartitionLag(tp: tp, committedOffset: committed[tp], logEndOffset: ends[tp]?.offset ?? -1,
                         memberId: owner[tp]?.memberId, clientId: owner[tp]?.clientId)
        }
    }
}
