import KafkaProtocol
import NIOCore

extension Broker {
    /// ListGroups: every live group, optionally filtered by state (v4+) and type (v5+).
    func handleListGroups(_ request: ListGroupsRequest, _ ctx: RequestContext) {
        var response = ListGroupsResponse()
        let states = Set(request.statesFilter.map { $0.lowercased() })
        let types = Set(request.typesFilter.map { $0.lowercased() })
        response.groups = groups.allGroups.compactMap { g in
            if ctx.version >= 4, !states.isEmpty, !states.contains(g.state.rawValue.lowercased()) { return nil }
            if ctx.version >= 5, !types.isEmpty, !types.contains("classic") { return nil }
            var l = ListGroupsResponse.ListedGroup()
            l.groupId = g.groupId
            l.protocolType = g.protocolType ?? ""
            l.groupState = g.state.rawValue
            l.groupType = "classic"
            return l
        }
        ctx.reply(response)
    }

    /// DescribeGroups: state, protocol and members; member metadata and assignments only when
    /// the group is Stable, as Kafka does. An unknown group reads as Dead.
    func handleDescribeGroups(_ request: DescribeGroupsRequest, _ ctx: RequestContext) {
        var response = DescribeGroupsResponse()
        response.groups = request.groups.map { id in
            var d = DescribeGroupsResponse.DescribedGroup()
            d.groupId = id
            // No authorizer: every operation a group supports (READ 3, DELETE 6, DESCRIBE 8) is allowed.
            if request.includeAuthorizedOperations { d.authorizedOperations = (1 << 3) | (1 << 6) | (1 << 8) }
            guard !id.isEmpty else {
                d.errorCode = ErrorCode.invalidGroupId.rawValue
                return d
            }
            guard let g = groups.group(id) else {
                d.groupState = GroupState.dead.rawValue
                return d
            }
            d.groupState = g.state.rawValue
            d.protocolType = g.protocolType ?? ""
            let stable = g.state == .stable
            d.protocolData = stable ? (g.protocolName ?? "") : ""
            d.members = g.memberOrder.compactMap { mid in
                guard let m = g.members[mid] else { return nil }
                var dm = DescribeGroupsResponse.DescribedGroupMember()
                dm.memberId = mid
                dm.groupInstanceId = m.groupInstanceId
                dm.clientId = m.clientId
                dm.clientHost = m.clientHost
                if stable {
                    dm.memberMetadata = g.protocolName.flatMap { m.metadata(for: $0) } ?? ByteBuffer()
                    dm.memberAssignment = m.assignment
                }
                return dm
            }
            return d
        }
        ctx.reply(response)
    }

    /// DeleteGroups: removes empty groups and their committed offsets (tombstones in the
    /// offsets topic); groups with members are refused with NON_EMPTY_GROUP.
    func handleDeleteGroups(_ request: DeleteGroupsRequest, _ ctx: RequestContext) {
        var response = DeleteGroupsResponse()
        let now = groups.now
        response.results = request.groupsNames.map { id in
            var r = DeleteGroupsResponse.DeletableGroupResult()
            r.groupId = id
            guard !id.isEmpty else {
                r.errorCode = ErrorCode.invalidGroupId.rawValue
                return r
            }
            let code = groups.withGroup(id, create: false, loop: ctx.eventLoop) { group -> (ErrorCode, [GroupAction]) in
                guard group != nil, group!.state != .dead else { return (.groupIdNotFound, []) }
                guard group!.state == .empty, group!.members.isEmpty else { return (.nonEmptyGroup, []) }
                var tombstones = group!.offsets.keys.sorted().map { OffsetsTopicRecord.offset(group: id, $0, nil) }
                tombstones.append(.group(id, nil))
                do {
                    _ = try groups.offsetsTopic.append(tombstones, groupId: id, nowMs: now)
                } catch {
                    logger.error("deleting group \(id) failed: \(error)")
                    return (.kafkaStorageError, [])
                }
                let actions = group!.markDead(nowMs: now)
                group = nil
                return (.none, actions)
            }
            r.errorCode = code.rawValue
            return r
        }
        ctx.reply(response)
    }
}
