import KafkaProtocol
import NIOCore

extension Broker {
    /// The consumer-group APIs, served by the group coordinator.
    func handleGroupRequest(_ api: ApiKey, body: ByteBuffer, _ ctx: RequestContext) throws {
        func decode<T: WireStruct>(_: T.Type) throws -> T {
            try WireDecoder.decode(T.self, from: body, version: ctx.version, flexible: ctx.flexible)
        }
        switch api {
        case .findCoordinator: handleFindCoordinator(try decode(FindCoordinatorRequest.self), ctx)
        case .joinGroup: handleJoinGroup(try decode(JoinGroupRequest.self), ctx)
        case .syncGroup: handleSyncGroup(try decode(SyncGroupRequest.self), ctx)
        case .heartbeat: handleHeartbeat(try decode(HeartbeatRequest.self), ctx)
        case .leaveGroup: handleLeaveGroup(try decode(LeaveGroupRequest.self), ctx)
        case .offsetCommit: handleOffsetCommit(try decode(OffsetCommitRequest.self), ctx)
        case .offsetFetch: handleOffsetFetch(try decode(OffsetFetchRequest.self), ctx)
        case .offsetDelete: handleOffsetDelete(try decode(OffsetDeleteRequest.self), ctx)
        case .listGroups: handleListGroups(try decode(ListGroupsRequest.self), ctx)
        case .describeGroups: handleDescribeGroups(try decode(DescribeGroupsRequest.self), ctx)
        case .deleteGroups: handleDeleteGroups(try decode(DeleteGroupsRequest.self), ctx)
        default:
            throw RequestError(description: "\(api) is not a group API")
        }
    }

    /// FindCoordinator: this broker coordinates every group (and would every transactional id).
    func handleFindCoordinator(_ request: FindCoordinatorRequest, _ ctx: RequestContext) {
        let host = advertised.host == "0.0.0.0" ? "127.0.0.1" : advertised.host
        let port = Int32(advertised.port)
        // 0 = group, 1 = transaction; anything else is a malformed request.
        let keyTypeError: ErrorCode = (0...1).contains(request.keyType) ? .none : .invalidRequest
        var response = FindCoordinatorResponse()
        if ctx.version >= 4 {
            response.coordinators = request.coordinatorKeys.map { key in
                var c = FindCoordinatorResponse.Coordinator()
                c.key = key
                c.errorCode = keyTypeError.rawValue
                c.errorMessage = keyTypeError == .none ? nil : "key type \(request.keyType) is neither group (0) nor transaction (1)"
                if keyTypeError == .none {
                    c.nodeId = config.nodeId
                    c.host = host
                    c.port = port
                } else {
                    c.nodeId = -1
                }
                return c
            }
        } else {
            response.errorCode = keyTypeError.rawValue
            response.errorMessage = keyTypeError == .none ? nil : "key type \(request.keyType) is neither group (0) nor transaction (1)"
            response.nodeId = keyTypeError == .none ? config.nodeId : -1
            response.host = keyTypeError == .none ? host : ""
            response.port = keyTypeError == .none ? port : -1
        }
        ctx.reply(response)
    }
}
