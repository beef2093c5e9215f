import NIOCore
@testable import KafkaProtocol

/// A small deterministic generator (SplitMix64), so failures replay from a printed seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A `WireCoder` that walks a message's declaration and puts random, mostly non-default values in
/// exactly the fields that exist at `version`. Encoding the result and decoding it must give it back.
struct FillingCoder: WireCoder {
    let version: Int16
    let flexible: Bool
    var rng: SplitMix64

    init(version: Int16, flexible: Bool, seed: UInt64) {
        self.version = version
        self.flexible = flexible
        self.rng = SplitMix64(seed: seed)
    }

    private mutating func chance(_ oneIn: UInt64) -> Bool { rng.next() % oneIn == 0 }

    mutating func bool(_ value: inout Bool) throws { value = rng.next() & 1 == 1 }
    mutating func int8(_ value: inout Int8) throws { value = Int8(truncatingIfNeeded: rng.next() | 1) }
    mutating func int16(_ value: inout Int16) throws { value = Int16(truncatingIfNeeded: rng.next() | 1) }
    mutating func uint16(_ value: inout UInt16) throws { value = UInt16(truncatingIfNeeded: rng.next() | 1) }
    mutating func int32(_ value: inout Int32) throws { value = Int32(truncatingIfNeeded: rng.next() | 1) }
    mutating func uint32(_ value: inout UInt32) throws { value = UInt32(truncatingIfNeeded: rng.next() | 1) }
    mutating func int64(_ value: inout Int64) throws { value = Int64(bitPattern: rng.next() | 1) }
    mutating func float64(_ value: inout Double) throws { value = Double(rng.next() % 1_000_000) / 7 }
    mutating func uuid(_ value: inout Uuid) throws { value = Uuid(high: rng.next(), low: rng.next()) }
    mutating func uvarint(_ value: inout UInt32) throws { value = UInt32(truncatingIfNeeded: rng.next()) }

    private mutating func randomString() -> String {
        let words = ["topic", "é", "group-1", "", "日本", "consumer", "x"]
        var s = ""
        for _ in 0..<(1 + rng.next() % 3) { s += words[Int(rng.next() % UInt64(words.count))] }
        return s
    }

    private mutating func randomBytes() -> ByteBuffer {
        var b = ByteBuffer()
        for _ in 0..<(rng.next() % 12) { b.writeInteger(UInt8(truncatingIfNeeded: rng.next())) }
        return b
    }

    mutating func string(_ value: inout String) throws { value = randomString() }
    mutating func nullableString(_ value: inout String?) throws { value = chance(4) ? nil : randomString() }
    mutating func bytes(_ value: inout ByteBuffer) throws { value = randomBytes() }
    mutating func nullableBytes(_ value: inout ByteBuffer?) throws { value = chance(4) ? nil : randomBytes() }

    mutating func array<T: WireDefault>(_ value: inout [T], _ element: (inout FillingCoder, inout T) throws -> Void) throws {
        var out: [T] = []
        for _ in 0..<(1 + rng.next() % 2) {
            var e = T()
            try element(&self, &e)
            out.append(e)
        }
        value = out
    }

    mutating func nullableArray<T: WireDefault>(
        _ value: inout [T]?, _ element: (inout FillingCoder, inout T) throws -> Void
    ) throws {
        if chance(4) { value = nil; return }
        var a: [T] = []
        try array(&a, element)
        value = a
    }

    mutating func beginTags() throws {}
    mutating func tagged(_ tag: UInt32, present: Bool, _ body: (inout FillingCoder) throws -> Void) throws {
        // Tagged fields only exist on the wire in flexible versions.
        guard flexible else { return }
        try body(&self)
    }
    mutating func endTags() throws {}
}

/// Every message type the codec declares, requests and responses.
let allMessageTypes: [any (KafkaMessage & Equatable).Type] = [
    ProduceRequest.self, ProduceResponse.self, FetchRequest.self, FetchResponse.self,
    ListOffsetsRequest.self, ListOffsetsResponse.self, MetadataRequest.self, MetadataResponse.self,
    OffsetCommitRequest.self, OffsetCommitResponse.self, OffsetFetchRequest.self, OffsetFetchResponse.self,
    FindCoordinatorRequest.self, FindCoordinatorResponse.self, JoinGroupRequest.self, JoinGroupResponse.self,
    HeartbeatRequest.self, HeartbeatResponse.self, LeaveGroupRequest.self, LeaveGroupResponse.self,
    SyncGroupRequest.self, SyncGroupResponse.self, DescribeGroupsRequest.self, DescribeGroupsResponse.self,
    ListGroupsRequest.self, ListGroupsResponse.self, ApiVersionsRequest.self, ApiVersionsResponse.self,
    CreateTopicsRequest.self, CreateTopicsResponse.self, DeleteTopicsRequest.self, DeleteTopicsResponse.self,
    DeleteRecordsRequest.self, DeleteRecordsResponse.self, InitProducerIdRequest.self, InitProducerIdResponse.self,
    OffsetForLeaderEpochRequest.self, OffsetForLeaderEpochResponse.self,
    DescribeConfigsRequest.self, DescribeConfigsResponse.self, AlterConfigsRequest.self, AlterConfigsResponse.self,
    CreatePartitionsRequest.self, CreatePartitionsResponse.self, DeleteGroupsRequest.self, DeleteGroupsResponse.self,
    IncrementalAlterConfigsRequest.self, IncrementalAlterConfigsResponse.self,
    OffsetDeleteRequest.self, OffsetDeleteResponse.self, DescribeClusterRequest.self, DescribeClusterResponse.self,
]

/// A message of type `T` filled with random values for `version`.
func filled<T: KafkaMessage>(_: T.Type, version: Int16, seed: UInt64) throws -> T {
    var coder = FillingCoder(version: version, flexible: T.apiKey.versions.isFlexible(version), seed: seed)
    var value = T()
    try value.serde(&coder)
    return value
}

/// Every (version, seed) pair the round-trip tests use for an API.
func versions(of key: ApiKey) -> ClosedRange<Int16> { key.versions.min...key.versions.max }
