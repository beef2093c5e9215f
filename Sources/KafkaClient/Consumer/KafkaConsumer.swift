import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// A Kafka consumer: partitions assigned by hand or through a consumer group, positions that can be
/// moved (`seek`), pausing, commits, and the records as an `AsyncSequence`.
///
/// ```swift
/// let consumer = try KafkaConsumer(brokers: "127.0.0.1:9092", config: ConsumerConfig(groupId: "g"))
/// try consumer.subscribe(["events"])
/// for try await record in consumer.records() { print(record.valueString ?? "") }
/// ```
///
/// `poll` and the record sequence are meant for one task at a time; `seek`, `pause`, `resume` and
/// `commit` may be called from any task.
public final class KafkaConsumer: @unchecked Sendable {
    public let cluster: KafkaCluster
    public let config: ConsumerConfig
    let ownsCluster: Bool
    let membership: GroupMembership?
    let state = NIOLockedValueBox(ConsumerState())

    /// A consumer on an existing cluster connection set.
    public init(cluster: KafkaCluster, config: ConsumerConfig) {
        self.cluster = cluster
        self.config = config
        self.ownsCluster = false
        self.membership = config.groupId.map { GroupMembership(cluster: cluster, groupId: $0, config: config) }
    }

    /// A consumer with its own connections to `brokers` (`host:port,...`).
    public convenience init(brokers: String, clientId: String = "tributary-consumer", config: ConsumerConfig) throws {
        var clientConfig = try ClientConfig(brokers: brokers)
        clientConfig.clientId = clientId
        self.init(cluster: KafkaCluster(config: clientConfig), config: config, ownsCluster: true)
    }

    private init(cluster: KafkaCluster, config: ConsumerConfig, ownsCluster: Bool) {
        self.cluster = cluster
        self.config = config
        self.ownsCluster = ownsCluster
        self.membership = config.groupId.map { GroupMembership(cluster: cluster, groupId: $0, config: config) }
    }

    // MARK: assignment

    /// Reads exactly these partitions (no group membership; commits still work with a group id).
    public func assign(_ partitions: [TopicPartition]) {
        state.withLockedValue { s in
            s.subscription = nil
            s.setAssignment(partitions)
        }
    }

    /// Joins the group and reads the partitions it assigns, for these topics.
    public func subscribe(_ topics: [String]) throws {
        guard membership != nil else { throw KafkaClientError.groupRequired("subscribe") }
        state.withLockedValue { s in
            s.subscription = topics.sorted()
            s.setAssignment([])
        }
        membership?.requestRejoin()
    }

    /// The partitions currently assigned.
    public var assignment: [TopicPartition] { state.withLockedValue { $0.partitions.keys.sorted() } }

    /// The offset of the next record to be returned for `tp`, when known.
    public func position(_ tp: TopicPartition) -> Int64? {
        state.withLockedValue { s in
            if case let .offset(o) = s.partitions[tp]?.position { return o }
            return nil
        }
    }

    // MARK: positions

    /// Moves `tp` to `offset`; the next records returned start there.
    public func seek(_ tp: TopicPartition, to offset: Int64) throws {
        try setPosition(tp, .offset(offset))
    }

    /// Moves partitions to their first available offset.
    public func seekToBeginning(_ tps: [TopicPartition]) throws {
        for tp in tps { try setPosition(tp, .pending(.earliest)) }
    }

    /// Moves partitions to their end (only records produced from now on are returned).
    public func seekToEnd(_ tps: [TopicPartition]) throws {
        for tp in tps { try setPosition(tp, .pending(.latest)) }
    }

    /// Moves `tp` to the first record with a timestamp at or after `timestampMs` (the end when none).
    public func seek(_ tp: TopicPartition, toTimestamp timestampMs: Int64) throws {
        try setPosition(tp, .pending(.timestamp(timestampMs)))
    }

    private func setPosition(_ tp: TopicPartition, _ position: PartitionPosition) throws {
        try state.withLockedValue { s in
            guard s.partitions[tp] != nil else {
                throw KafkaClientError.invalidArgument("\(tp) is not assigned to this consumer")
            }
            s.partitions[tp]?.position = position
            s.fetchEpoch &+= 1
        }
    }

    /// Stops returning records of these partitions until `resume`.
    public func pause(_ tps: [TopicPartition]) {
        state.withLockedValue { s in for tp in tps { s.partitions[tp]?.paused = true } }
    }

    /// Returns records of these partitions again.
    public func resume(_ tps: [TopicPartition]) {
        state.withLockedValue { s in for tp in tps { s.partitions[tp]?.paused = false } }
    }

    /// The partitions currently paused.
    public var paused: [TopicPartition] { state.withLockedValue { $0.partitions.filter(\.value.paused).map(\.key).sorted() } }

    // MARK: commits

    /// Commits the current positions of all assigned partitions (or the given offsets) and waits.
    public func commit(_ offsets: [TopicPartition: Int64]? = nil) async throws {
        guard let membership, let groupId = config.groupId else { throw KafkaClientError.groupRequired("commit") }
        let toCommit = offsets ?? consumedPositions()
        let (generationId, memberId) = membership.generation
        let subscribed = state.withLockedValue { $0.subscription != nil }
        try await GroupOffsets.commit(
            cluster: cluster, groupId: groupId, generationId: subscribed ? generationId : -1,
            memberId: subscribed ? memberId : "", groupInstanceId: subscribed ? config.groupInstanceId : nil, offsets: toCommit)
    }

    /// Commits in the background; `completion` gets the outcome.
    public func commitAsync(_ offsets: [TopicPartition: Int64]? = nil,
                            completion: (@Sendable (KafkaClientError?) -> Void)? = nil) {
        let toCommit = offsets ?? consumedPositions()
        Task {
            do {
                try await self.commit(toCommit)
                completion?(nil)
            } catch {
                completion?(error as? KafkaClientError ?? .invalidArgument("\(error)"))
            }
        }
    }

    /// The group's committed offsets for partitions.
    public func committed(_ tps: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        guard let groupId = config.groupId else { throw KafkaClientError.groupRequired("committed") }
        return try await GroupOffsets.fetch(cluster: cluster, groupId: groupId, partitions: tps)
    }

    func consumedPositions() -> [TopicPartition: Int64] {
        state.withLockedValue { s in
            var out: [TopicPartition: Int64] = [:]
            for (tp, p) in s.partitions {
                if case let .offset(o) = p.position, p.consumedSomething { out[tp] = o }
            }
            return out
        }
    }

    // MARK: records

    /// The records, one at a time, fetched as the sequence is iterated.
    public func records() -> ConsumerRecordSequence { ConsumerRecordSequence(consumer: self) }

    /// Leaves the group (committing first when auto-commit is on) and closes owned connections.
    public func close() async {
        if config.enableAutoCommit, membership != nil { try? await commit() }
        await membership?.leave()
        state.withLockedValue { s in
            s.closed = true
            s.cancelPrefetches()
        }
        if ownsCluster { cluster.close() }
    }
}

/// The records of a consumer as an `AsyncSequence`. It ends only when the task is cancelled or the
/// consumer is closed; errors are thrown from `next()`.
public struct ConsumerRecordSequence: AsyncSequence, Sendable {
    public typealias Element = ConsumerRecord
    let consumer: KafkaConsumer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let consumer: KafkaConsumer
        var buffer: [ConsumerRecord] = []
        var index = 0

        public mutating func next() async throws -> ConsumerRecord? {
            while index >= buffer.count {
                if Task.isCancelled || consumer.isClosed { return nil }
                buffer = try await consumer.poll()
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
}
