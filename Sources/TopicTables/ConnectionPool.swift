import Engine
import Foundation
import KafkaClient
import NIOPosix

/// Connections a scan opens for itself, handed to one task at a time and closed when the scan
/// ends. Opened on first use, at most `perBroker` to each broker.
final class ConnectionPool: @unchecked Sendable {
    private let cluster: KafkaCluster
    private let brokers: [Int32: BrokerAddress]
    private let perBroker: Int
    private let lock = NSLock()
    private var idle: [Int32: [BrokerConnection]] = [:]
    private var opened: [BrokerConnection] = []

    init(cluster: KafkaCluster, brokers: [Int32: BrokerAddress], perBroker: Int) {
        self.cluster = cluster
        self.brokers = brokers
        self.perBroker = max(1, perBroker)
    }

    /// An idle connection to `node`, or a new one. Tasks never outnumber `perBroker` per broker
    /// at once, because no more workers run them.
    func take(_ node: Int32) throws -> BrokerConnection {
        lock.lock()
        if var list = idle[node], let c = list.popLast() {
            idle[node] = list
            lock.unlock()
            if c.isActive { return c }
            return try take(node)
        }
        lock.unlock()
        guard let address = brokers[node] else {
            throw EngineError.execution("broker \(node) is not in the cluster metadata")
        }
        let config = cluster.config
        let c = try blocking("connecting to broker \(node) at \(address)") {
            try await BrokerConnection.connect(to: address, nodeId: node, config: config,
                                               group: MultiThreadedEventLoopGroup.singleton)
        }
        lock.lock()
        opened.append(c)
        lock.unlock()
        return c
    }

    /// Opens `counts[node]` connections to each node side by side (each costs a round trip for the
    /// connection and one for ApiVersions) and keeps them idle for the tasks to take.
    func open(_ counts: [Int32: Int]) throws {
        var wanted: [(Int32, BrokerAddress)] = []
        for (node, n) in counts.sorted(by: { $0.key < $1.key }) {
            guard let address = brokers[node] else {
                throw EngineError.execution("broker \(node) is not in the cluster metadata")
            }
            wanted += Array(repeating: (node, address), count: min(n, perBroker))
        }
        if wanted.isEmpty { return }
        let config = cluster.config
        let made = try blocking("connecting to the partition leaders") { [wanted] in
            try await withThrowingTaskGroup(of: (Int32, BrokerConnection).self) { group in
                for (node, address) in wanted {
                    group.addTask {
                        (node, try await BrokerConnection.connect(to: address, nodeId: node, config: config,
                                                                  group: MultiThreadedEventLoopGroup.singleton))
                    }
                }
                var out: [(Int32, BrokerConnection)] = []
                do {
                    for try await c in group { out.append(c) }
                } catch {
                    for (_, c) in out { c.close() }
                    throw error
                }
                return out
            }
        }
        lock.lock()
        for (node, c) in made {
            opened.append(c)
            idle[node, default: []].append(c)
        }
        lock.unlock()
    }

    /// Returns a connection for the next task.
    func give(_ c: BrokerConnection, _ node: Int32) {
        lock.lock()
        if (idle[node]?.count ?? 0) < perBroker { idle[node, default: []].append(c) }
        lock.unlock()
    }

    /// Closes every connection opened.
    func closeAll() {
        lock.lock()
        let all = opened
        opened = []
        idle = [:]
        lock.unlock()
        for c in all { c.close() }
    }
}
