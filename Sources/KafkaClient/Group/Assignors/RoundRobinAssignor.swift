/// The Java client's round-robin assignor: all partitions in (topic, partition) order are dealt to the
/// members in order, skipping members not subscribed to a partition's topic.
public struct RoundRobinAssignor: PartitionAssignor {
    public init() {}
    public var name: String { "roundrobin" }
    public var isCooperative: Bool { false }

    public func assign(members: [MemberSubscription], partitionsPerTopic: [String: Int]) -> [String: [TopicPartition]] {
        var out: [String: [TopicPartition]] = [:]
        for m in members { out[m.memberId] = [] }
        let ordered = members.sorted(by: MemberSubscription.javaOrder)
        guard !ordered.isEmpty else { return out }
        var next = 0
        for topic in partitionsPerTopic.keys.sorted() {
            let count = partitionsPerTopic[topic] ?? 0
            guard ordered.contains(where: { $0.subscription.topics.contains(topic) }) else { continue }
            for p in 0..<count {
                while !ordered[next % ordered.count].subscription.topics.contains(topic) { next += 1 }
                out[ordered[next % ordered.count].memberId, default: []].append(TopicPartition(topic, Int32(p)))
                next += 1
            }
        }
        return out
    }
}
