import KafkaProtocol
import NIOCore

// The "consumer" embedded protocol of classic groups: what members put in JoinGroup's protocol
// metadata (a subscription) and what the leader hands out in SyncGroup (an assignment). Both are
// classic (non-flexible) encodings that start with their own int16 version; newer versions only append
// fields, so a reader decodes the fields of the versions it knows and ignores the rest.

/// A member's subscription (versions 0–3).
public struct ConsumerSubscription: WireStruct, Sendable, Equatable {
    /// The newest subscription version we write.
    public static let versionMax: Int16 = 3

    public var topics: [String] = []
    public var userData: ByteBuffer? = nil
    /// Versions 1+: partitions the member owns now (cooperative rebalancing keeps them).
    public var ownedPartitions: [TopicPartitions] = []
    /// Versions 2+.
    public var generationId: Int32 = -1
    /// Versions 3+.
    public var rackId: String? = nil

    public init() {}

    public init(topics: [String], ownedPartitions: [TopicPartition] = [], generationId: Int32 = -1) {
        self.topics = topics.sorted()
        self.ownedPartitions = TopicPartitions.group(ownedPartitions)
        self.generationId = generationId
    }

    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.strings(&topics)
        try c.nullableBytes(&userData)
        if c.version >= 1 { try c.array(&ownedPartitions) }
        if c.version >= 2 { try c.int32(&generationId) }
        if c.version >= 3 { try c.nullableString(&rackId) }
    }

    /// Encodes with the version prefix.
    public func encoded(version: Int16 = versionMax) throws -> ByteBuffer {
        try ConsumerProtocolCodec.encode(self, version: version)
    }

    /// Decodes a subscription written by any client.
    public static func decode(_ bytes: ByteBuffer) throws -> ConsumerSubscription {
        try ConsumerProtocolCodec.decode(ConsumerSubscription.self, bytes, versionMax: versionMax)
    }
}

/// The partitions assigned to one member (versions 0–3; the layout is the same in all).
public struct ConsumerAssignment: WireStruct, Sendable, Equatable {
    public static let versionMax: Int16 = 3

    public var assignedPartitions: [TopicPartitions] = []
    public var userData: ByteBuffer? = nil

    public init() {}

    public init(_ partitions: [TopicPartition]) {
        assignedPartitions = TopicPartitions.group(partitions)
    }

    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.array(&assignedPartitions)
        try c.nullableBytes(&userData)
    }

    /// The assigned partitions, flattened and sorted.
    public var partitions: [TopicPartition] { TopicPartitions.flatten(assignedPartitions) }

    public func encoded(version: Int16 = versionMax) throws -> ByteBuffer {
        try ConsumerProtocolCodec.encode(self, version: version)
    }

    /// Decodes an assignment; an empty buffer (a member the leader gave nothing) is no partitions.
    public static func decode(_ bytes: ByteBuffer) throws -> ConsumerAssignment {
        if bytes.readableBytes == 0 { return ConsumerAssignment() }
        return try ConsumerProtocolCodec.decode(ConsumerAssignment.self, bytes, versionMax: versionMax)
    }
}

/// A topic and some of its partitions, as the consumer protocol nests them.
public struct TopicPartitions: WireStruct, Sendable, Equatable {
    public var topic: String = ""
    public var partitions: [Int32] = []

    public init() {}

    public init(topic: String, partitions: [Int32]) {
        self.topic = topic
        self.partitions = partitions
    }

    public mutating func serde<C: WireCoder>(_ c: inout C) throws {
        try c.string(&topic)
        try c.int32s(&partitions)
    }

    static func group(_ tps: [TopicPartition]) -> [TopicPartitions] {
        Dictionary(grouping: tps, by: \.topic).sorted { $0.key < $1.key }.map {
            TopicPartitions(topic: $0.key, partitions: $0.value.map(\.partition).sorted())
        }
    }

    static func flatten(_ list: [TopicPartitions]) -> [TopicPartition] {
        list.flatMap { t in t.partitions.map { TopicPartition(t.topic, $0) } }.sorted()
    }
}

enum ConsumerProtocolCodec {
    static func encode<T: WireStruct>(_ value: T, version: Int16) throws -> ByteBuffer {
        var out = ByteBuffer()
        out.writeInteger(version)
        try value.encode(into: &out, version: version, flexible: false)
        return out
    }

    static func decode<T: WireStruct>(_: T.Type, _ bytes: ByteBuffer, versionMax: Int16) throws -> T {
        var b = bytes
        guard let version = b.readInteger(as: Int16.self) else {
            throw KafkaClientError.invalidArgument("consumer protocol data shorter than its version")
        }
        guard version >= 0 else {
            throw KafkaClientError.invalidArgument("consumer protocol version \(version)")
        }
        do {
            return try WireDecoder.decode(T.self, from: b, version: min(version, versionMax), flexible: false)
        } catch {
            throw KafkaClientError.invalidArgument("unreadable consumer protocol data (version \(version)): \(error)")
        }
    }
}
