import KafkaProtocol
import NIOCore

extension Broker {
    /// A fresh suffix for member ids: a random UUID in its usual text form, as Kafka makes them.
    static func memberIdSuffix() -> String {
        let u = Uuid.random()
        let hex = String(u.high, radix: 16).leftPadded(16) + String(u.low, radix: 16).leftPadded(16)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    func handleJoinGroup(_ request: JoinGroupRequest, _ ctx: RequestContext) {
        func fail(_ code: ErrorCode) { ctx.reply(ClassicGroup.joinError(code, memberId: request.memberId, version: ctx.version)) }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        // Kafka checks a group.instance.id as it checks topic names (1–249 of [a-zA-Z0-9._-]).
        if ctx.version >= 5, let instance = request.groupInstanceId, Topic.validateName(instance) != nil {
            return fail(.invalidConfig)
        }
        let gc = groups.config
        guard request.sessionTimeoutMs >= gc.sessionTimeoutMinMs, request.sessionTimeoutMs <= gc.sessionTimeoutMaxMs else {
            return fail(.invalidSessionTimeout)
        }
        let join = JoinRequest(
            memberId: request.memberId, groupInstanceId: ctx.version >= 5 ? request.groupInstanceId : nil,
            clientId: ctx.header.clientId ?? "", clientHost: "",
            sessionTimeoutMs: request.sessionTimeoutMs,
            // v0 has no rebalance timeout: Kafka uses the session timeout.
            rebalanceTimeoutMs: ctx.version >= 1 && request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
            protocolType: request.protocolType,
            protocols: request.protocols.map { MemberProtocol(name: $0.name, metadata: $0.metadata) },
            version: ctx.version)
        let suffix = Self.memberIdSuffix()
        groups.withGroup(request.groupId, create: true, loop: ctx.eventLoop) { group in
            let waiter = groups.park(ctx)
            let actions = group!.join(join, waiter: waiter, newMemberSuffix: suffix, config: gc, nowMs: groups.now)
            return ((), actions)
        }
    }

    func handleSyncGroup(_ request: SyncGroupRequest, _ ctx: RequestContext) {
        func fail(_ code: ErrorCode) { ctx.reply(ClassicGroup.syncError(code)) }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        groups.withGroup(request.groupId, create: false, loop: ctx.eventLoop) { group in
            let waiter = groups.park(ctx)
            guard group != nil else { return ((), [.answerSync(waiter, ClassicGroup.syncError(.unknownMemberId))]) }
            let actions = group!.sync(
                memberId: request.memberId, groupInstanceId: ctx.version >= 3 ? request.groupInstanceId : nil,
                generationId: request.generationId,
                protocolType: ctx.version >= 5 ? request.protocolType : nil, protocolName: ctx.version >= 5 ? request.protocolName : nil,
                assignments: request.assignments.map { ($0.memberId, $0.assignment) }, waiter: waiter, nowMs: groups.now)
            return ((), actions)
        }
    }

    func handleHeartbeat(_ request: HeartbeatRequest, _ ctx: RequestContext) {
        var response = HeartbeatResponse()
        if request.groupId.isEmpty {
            response.errorCode = ErrorCode.invalidGroupId.rawValue
        } else {
            let code = groups.withGroup(request.groupId, create: false, loop: ctx.eventLoop) { group -> (ErrorCode, [GroupAction]) in
                guard group != nil else { return (.unknownMemberId, []) }
                return (group!.heartbeat(memberId: request.memberId, groupInstanceId: ctx.version >= 3 ? request.groupInstanceId : nil,
                                         generationId: request.generationId, nowMs: groups.now), [])
            }
            response.errorCode = code.rawValue
        }
        ctx.reply(response)
    }

    func handleLeaveGroup(_ request: LeaveGroupRequest, _ ctx: RequestContext) {
        var response = LeaveGroupResponse()
        let leaving: [(memberId: String, instance: String?)] = ctx.version >= 3
            ? request.members.map { ($0.memberId, $0.groupInstanceId) } : [(request.memberId, nil)]
        if request.groupId.isEmpty {
            response.errorCode = ErrorCode.invalidGroupId.rawValue
            ctx.reply(response)
            return
        }
        let results = groups.withGroup(request.groupId, create: false, loop: ctx.eventLoop) { group -> ([ErrorCode], [GroupAction]) in
            guard group != nil else { return (leaving.map { _ in .unknownMemberId }, []) }
            var codes: [ErrorCode] = []
            var actions: [GroupAction] = []
            for m in leaving {
                let (code, more) = group!.leave(memberId: m.memberId, groupInstanceId: m.instance, nowMs: groups.now)
                codes.append(code)
                actions += more
            }
            return (codes, actions)
        }
        if ctx.version >= 3 {
            response.members = zip(leaving, results).map { m, code in
                var r = LeaveGroupResponse.MemberResponse()
                r.memberId = m.memberId
                r.groupInstanceId = m.instance
                r.errorCode = code.rawValue
                return r
            }
        } else {
            response.errorCode = results.first?.rawValue ?? 0
        }
        ctx.reply(response)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
