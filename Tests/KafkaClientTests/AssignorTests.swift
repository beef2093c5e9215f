import KafkaClient
import Testing

struct AssignorTests {
    static func member(_ id: String, _ topics: [String], owned: [TopicPartition] = [], generation: Int32 = -1) -> MemberSubscription {
        MemberSubscription(memberId: id, subscription: ConsumerSubscription(topics: topics, ownedPartitions: owned, generationId: generation))
    }

    static func tps(_ topic: String, _ ps: [Int32]) -> [TopicPartition] { ps.map { TopicPartition(topic, $0) } }

    @Test func rangeGivesContiguousRangesExtraToFirstMembers() {
        let plan = RangeAssignor().assign(
            members: [Self.member("m2", ["t"]), Self.member("m1", ["t"])], partitionsPerTopic: ["t": 5])
        #expect(plan["m1"] == Self.tps("t", [0, 1, 2]))
        #expect(plan["m2"] == Self.tps("t", [3, 4]))
    }

    @Test func rangeIsPerTopicAndRespectsSubscriptions() {
        let plan = RangeAssignor().assign(
            members: [Self.member("a", ["x", "y"]), Self.member("b", ["y"])], partitionsPerTopic: ["x": 2, "y": 3])
        #expect(plan["a"] == Self.tps("x", [0, 1]) + Self.tps("y", [0, 1]))
        #expect(plan["b"] == Self.tps("y", [2]))
    }

    @Test func roundRobinDealsInOrder() {
        let plan = RoundRobinAssignor().assign(
            members: [Self.member("a", ["x", "y"]), Self.member("b", ["x", "y"])], partitionsPerTopic: ["x": 3, "y": 2])
        #expect(plan["a"] == [TopicPartition("x", 0), TopicPartition("x", 2), TopicPartition("y", 1)])
        #expect(plan["b"] == [TopicPartition("x", 1), TopicPartition("y", 0)])
    }

    @Test func everyPartitionAssignedExactlyOnce() {
        let members = (0..<4).map { Self.member("m\($0)", ["x", "y"]) }
        for assignor in [RangeAssignor() as any PartitionAssignor, RoundRobinAssignor(), CooperativeStickyAssignor()] {
            let plan = assignor.assign(members: members, partitionsPerTopic: ["x": 7, "y": 5])
            let all = plan.values.flatMap { $0 }
            #expect(all.count == 12, "\(assignor.name)")
            #expect(Set(all).count == 12, "\(assignor.name)")
            let counts = plan.values.map(\.count)
            #expect(counts.max()! - counts.min()! <= (assignor.name == "range" ? 2 : 1), "\(assignor.name)")
        }
    }

    @Test func cooperativeStickyKeepsOwnedPartitions() {
        let owned1 = Self.tps("t", [0, 1, 2])
        let owned2 = Self.tps("t", [3, 4, 5])
        let plan = CooperativeStickyAssignor().assign(
            members: [Self.member("a", ["t"], owned: owned1, generation: 3), Self.member("b", ["t"], owned: owned2, generation: 3)],
            partitionsPerTopic: ["t": 6])
        #expect(plan["a"] == owned1)
        #expect(plan["b"] == owned2)
    }

    @Test func cooperativeStickyWithholdsPartitionsThatChangeOwner() {
        // A new member joins: two partitions should move to it, but only after their owners revoke them.
        let plan = CooperativeStickyAssignor().assign(
            members: [Self.member("a", ["t"], owned: Self.tps("t", [0, 1, 2, 3, 4, 5]), generation: 2),
                      Self.member("c", ["t"])],
            partitionsPerTopic: ["t": 6])
        #expect(plan["c"] == [])
        #expect(plan["a"]!.count == 3)
        // In the follow-up round a no longer owns the revoked three; c gets them.
        let next = CooperativeStickyAssignor().assign(
            members: [Self.member("a", ["t"], owned: plan["a"]!, generation: 3), Self.member("c", ["t"], generation: 3)],
            partitionsPerTopic: ["t": 6])
        #expect(next["a"] == plan["a"])
        #expect(next["c"]!.count == 3)
    }

    @Test func cooperativeStickyResolvesDoubleClaimsByGeneration() {
        let plan = CooperativeStickyAssignor().assign(
            members: [Self.member("old", ["t"], owned: Self.tps("t", [0]), generation: 1),
                      Self.member("new", ["t"], owned: Self.tps("t", [0]), generation: 4)],
            partitionsPerTopic: ["t": 2])
        #expect(plan["new"]!.contains(TopicPartition("t", 0)))
        #expect(!plan["old"]!.contains(TopicPartition("t", 0)))
    }

    @Test func assignorsByName() throws {
        #expect(try Assignors.named("range").name == "range")
        #expect(try Assignors.named("roundrobin").name == "roundrobin")
        #expect(try Assignors.named("cooperative-sticky").isCooperative)
        #expect(throws: KafkaClientError.self) { try Assignors.named("magic") }
    }
}
