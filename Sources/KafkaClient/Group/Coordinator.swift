import KafkaProtocol

extension KafkaCluster {
    /// The connection to the coordinator of consumer group `groupId` (FindCoordinator, retried while
    /// the coordinator is loading or moving).
    public func coordinator(forGroup groupId: String) async throws -> BrokerConnection {
        try await withRetry("FindCoordinator") {
            let c = try await anyConnection()
            let version = try c.version(for: .findCoordinator)
            var request = FindCoordinatorRequest()
            request.keyType = 0
            if version >= 4 { request.coordinatorKeys = [groupId] } else { request.key = groupId }
            let r = try await c.request(request, version: version)
            let (code, message, node, host, port): (Int16, String?, Int32, String, Int32)
            if version >= 4 {
                guard let co = r.coordinators.first else {
                    throw KafkaClientError.protocolViolation(broker: "\(c.address)", detail: "FindCoordinator answered no key")
                }
                (code, message, node, host, port) = (co.errorCode, co.errorMessage, co.nodeId, co.host, co.port)
            } else {
                (code, message, node, host, port) = (r.errorCode, r.errorMessage, r.nodeId, r.host, r.port)
            }
            if let e = KafkaClientError.check(code, "finding the coordinator of group '\(groupId)'", message: message) {
                throw e
            }
            if cachedMetadata.brokers[node] == nil {
                addBroker(node, BrokerAddress(host: host, port: Int(port)))
            }
            return try await connection(toNode: node)
        }
    }
}
