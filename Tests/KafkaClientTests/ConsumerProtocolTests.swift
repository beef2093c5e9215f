import KafkaClient
import NIOCore
import Testing

/// Golden bytes written by kafka-python's ConsumerProtocolSubscription / ConsumerProtocolAssignment.
struct ConsumerProtocolTests {
    static func bytes(_ hex: String) -> ByteBuffer {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() { out.append(UInt8(String([a, b]), radix: 16)!) }
        return ByteBuffer(bytes: out)
    }

    @Test func decodesSubscriptionV0FromAnotherClient() throws {
        let s = try ConsumerSubscription.decode(Self.bytes("00000000000200066576656e747300066f7264657273ffffffff"))
        #expect(s.topics == ["events", "orders"])
        #expect(s.userData == nil)
        #expect(s.ownedPartitions.isEmpty)
    }

    @Test func encodesSubscriptionV0LikeAnotherClient() throws {
        let s = ConsumerSubscription(topics: ["orders", "events"])
        #expect(try s.encoded(version: 0) == Self.bytes("00000000000200066576656e747300066f7264657273ffffffff"))
    }

    @Test func decodesSubscriptionV1OwnedPartitions() throws {
        let s = try ConsumerSubscription.decode(
            Self.bytes("00010000000100066576656e7473000000000000000100066576656e7473000000020000000000000002"))
        #expect(s.topics == ["events"])
        #expect(s.ownedPartitions == [TopicPartitions(topic: "events", partitions: [0, 2])])
    }

    @Test func assignmentMatchesAnotherClient() throws {
        let golden = Self.bytes("00000000000200066576656e747300000002000000000000000200066f72646572730000000100000001ffffffff")
        let a = try ConsumerAssignment.decode(golden)
        #expect(a.partitions == [TopicPartition("events", 0), TopicPartition("events", 2), TopicPartition("orders", 1)])
        #expect(try ConsumerAssignment(a.partitions).encoded(version: 0) == golden)
    }

    @Test func roundTripsEveryVersion() throws {
        for v: Int16 in 0...3 {
            var s = ConsumerSubscription(topics: ["a", "b"], ownedPartitions: [TopicPartition("a", 1)], generationId: 7)
            s.rackId = "r1"
            let back = try ConsumerSubscription.decode(try s.encoded(version: v))
            #expect(back.topics == ["a", "b"])
            #expect(back.ownedPartitions == (v >= 1 ? [TopicPartitions(topic: "a", partitions: [1])] : []))
            #expect(back.generationId == (v >= 2 ? 7 : -1))
            #expect(back.rackId == (v >= 3 ? "r1" : nil))
        }
    }

    @Test func newerVersionsAreReadByTheirKnownFields() throws {
        // Version 9 with the v3 layout plus trailing bytes a future version might add.
        var b = try ConsumerSubscription(topics: ["t"]).encoded(version: 3)
        b.setInteger(Int16(9), at: b.readerIndex)
        b.writeBytes([1, 2, 3])
        #expect(try ConsumerSubscription.decode(b).topics == ["t"])
    }

    @Test func truncatedDataThrows() throws {
        let golden = Self.bytes("00000000000200066576656e747300066f7264657273ffffffff")
        for cut in [1, 3, 8, 12] {
            #expect(throws: KafkaClientError.self) {
                try ConsumerSubscription.decode(golden.getSlice(at: 0, length: cut)!)
            }
        }
        #expect(try ConsumerAssignment.decode(ByteBuffer()).partitions.isEmpty)
    }
}
