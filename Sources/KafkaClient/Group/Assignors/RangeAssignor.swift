/// The Java client's range assignor: per topic, the subscribed members in order each take a
/// contiguous range; the first `partitions % members` take one extra.
public struct RangeAssignor: PartitionAssignor {
    public init() {}
    public var name: String { "range" }
    public var isCooperative: Bool { false }

    public func assign(members: [MemberSubscription], partitionsPerTopic: [String: Int]) -> [String: [TopicPartition]] {
        var out: [String: [TopicPartition]] = [:]
        for m in members { out[m.memberId] = [] }
        let ordered = members.sorted(by: MemberSubscription.javaOrder)
        for topic in partitionsPerTopic.keys.sorted() {
            guard let count = partitionsPerTopic[topic], count > 0 else { continue }
            let subscribed = ordered.filter { $0.subscription.topics.contains(topic) }
            guard !subscribed.isEmpty else { continue }
            let per = count / subscribed.count
            let extra = count % subscribed.count
            for (i, m) in subscribed.enumerated() {
                let start = per * i + min(i, extra)
                let length = per + (i < extra ? 1 : 0)
                for p in start..<(start + length) { out[m.memberId, default: []].append(TopicPartition(topic, Int32(p))) }
            }
        }
        return out
    }
}
