/// A sticky, balanced assignor for cooperative rebalancing ("cooperative-sticky").
///
/// Members keep the partitions they own (from the subscription's owned partitions; when two claim
/// one, the higher generation wins), new and orphaned partitions go to the least-loaded eligible
/// member, then partitions move from the most- to the least-loaded eligible member until counts differ
/// by at most one. A partition that moves away from a current owner is left out of this round: the
/// owner first revokes it and rejoins, and the follow-up rebalance hands it over (KIP-429).
public struct CooperativeStickyAssignor: PartitionAssignor {
    public init() {}
    public var name: String { "cooperative-sticky" }
    public var isCooperative: Bool { true }

    public func assign(members: [MemberSubscription], partitionsPerTopic: [String: Int]) -> [String: [TopicPartition]] {
        let ordered = members.sorted(by: MemberSubscription.javaOrder)
        var subscribed: [String: Set<String>] = [:]
        for m in ordered { subscribed[m.memberId] = Set(m.subscription.topics) }
        func eligible(_ member: String, _ tp: TopicPartition) -> Bool { subscribed[member]?.contains(tp.topic) == true }

        var all: [TopicPartition] = []
        for topic in partitionsPerTopic.keys.sorted() where ordered.contains(where: { eligible($0.memberId, TopicPartition(topic, 0)) }) {
            for p in 0..<(partitionsPerTopic[topic] ?? 0) { all.append(TopicPartition(topic, Int32(p))) }
        }
        let existing = Set(all)

        // Current owners: the claim with the highest generation wins.
        var previousOwner: [TopicPartition: (member: String, generation: Int32)] = [:]
        for m in ordered {
            for tp in TopicPartitions.flatten(m.subscription.ownedPartitions) where existing.contains(tp) && eligible(m.memberId, tp) {
                if let current = previousOwner[tp], current.generation >= m.subscription.generationId { continue }
                previousOwner[tp] = (m.memberId, m.subscription.generationId)
            }
        }
        var assignment: [String: [TopicPartition]] = [:]
        for m in ordered { assignment[m.memberId] = [] }
        for (tp, owner) in previousOwner { assignment[owner.member, default: []].append(tp) }
        for k in assignment.keys { assignment[k]?.sort() }

        func leastLoaded(for tp: TopicPartition) -> String? {
            ordered.map(\.memberId).filter { eligible($0, tp) }.min { (assignment[$0]?.count ?? 0) < (assignment[$1]?.count ?? 0) }
        }
        for tp in all where previousOwner[tp] == nil {
            if let m = leastLoaded(for: tp) { assignment[m, default: []].append(tp) }
        }

        // Balance: move from the most loaded to a less loaded eligible member while that narrows the gap.
        var moved = true
        var guardSteps = all.count * max(1, ordered.count)
        while moved && guardSteps > 0 {
            moved = false
            guardSteps -= 1
            let byLoad = ordered.map(\.memberId).sorted { (assignment[$0]?.count ?? 0) > (assignment[$1]?.count ?? 0) }
            outer: for donor in byLoad {
                let donorCount = assignment[donor]?.count ?? 0
                for tp in (assignment[donor] ?? []).reversed() {
                    if let target = leastLoaded(for: tp), target != donor, (assignment[target]?.count ?? 0) + 1 < donorCount {
                        assignment[donor]?.removeAll { $0 == tp }
                        assignment[target, default: []].append(tp)
                        moved = true
                        break outer
                    }
                }
            }
        }

        // Cooperative: a partition changing owner is withheld until its owner has let go.
        for (member, tps) in assignment {
            assignment[member] = tps.filter { tp in
                guard let owner = previousOwner[tp] else { return true }
                return owner.member == member
            }.sorted()
        }
        return assignment
    }
}
