import KafkaProtocol
import NIOCore

/// The records of `__consumer_offsets`, in Kafka's own key and value formats so Kafka's tools
/// can read them: offset commits (key version 1: group, topic, partition) and group metadata
/// (key version 2: group). A null value is a tombstone.
public enum OffsetsTopicRecord: Sendable, Equatable {
    case offset(group: String, TopicPartition, CommittedOffset?)
    case group(String, GroupMetadataValue?)

    /// What went wrong decoding a record; loading skips the record and says so.
    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The group metadata as persisted (GroupMetadataValue version 3).
    public struct GroupMetadataValue: Sendable, Equatable {
        public var protocolType: String
        public var generationId: Int32
        public var protocolName: String?
        public var leaderId: String?
        public var stateTimestampMs: Int64
        public var members: [Member]

        public struct Member: Sendable, Equatable {
            public var memberId: String
            public var groupInstanceId: String?
            public var clientId: String
            public var clientHost: String
            public var rebalanceTimeoutMs: Int32
            public var sessionTimeoutMs: Int32
            public var subscription: ByteBuffer
            public var assignment: ByteBuffer
        }
    }

    // MARK: Encoding

    /// The record's key bytes.
    public var key: ByteBuffer {
        var b = ByteBuffer()
        switch self {
        case .offset(let group, let tp, _):
            b.writeInteger(Int16(1))
            Self.writeString(group, &b)
            Self.writeString(tp.topic, &b)
            b.writeInteger(tp.partition)
        case .group(let group, _):
            b.writeInteger(Int16(2))
            Self.writeString(group, &b)
        }
        return b
    }

    /// The record's value bytes; nil for a tombstone.
    public var value: ByteBuffer? {
        switch self {
        case .offset(_, _, nil), .group(_, nil): return nil
        case .offset(_, _, let o?):
            var b = ByteBuffer()
            if let expire = o.expireTimestampMs {
                // Only version 1 can carry an explicit expiry.
                b.writeInteger(Int16(1))
                b.writeInteger(o.offset)
                Self.writeString(o.metadata, &b)
                b.writeInteger(o.commitTimestampMs)
                b.writeInteger(expire)
            } else {
                b.writeInteger(Int16(3))
                b.writeInteger(o.offset)
                b.writeInteger(o.leaderEpoch)
                Self.writeString(o.metadata, &b)
                b.writeInteger(o.commitTimestampMs)
            }
            return b
        case .group(_, let g?):
            var b = ByteBuffer()
            b.writeInteger(Int16(3))
            Self.writeString(g.protocolType, &b)
            b.writeInteger(g.generationId)
            Self.writeNullableString(g.protocolName, &b)
            Self.writeNullableString(g.leaderId, &b)
            b.writeInteger(g.stateTimestampMs)
            b.writeInteger(Int32(g.members.count))
            for m in g.members {
                Self.writeString(m.memberId, &b)
                Self.writeNullableString(m.groupInstanceId, &b)
                Self.writeString(m.clientId, &b)
                Self.writeString(m.clientHost, &b)
                b.writeInteger(m.rebalanceTimeoutMs)
                b.writeInteger(m.sessionTimeoutMs)
                b.writeInteger(Int32(m.subscription.readableBytes))
                b.writeImmutableBuffer(m.subscription)
                b.writeInteger(Int32(m.assignment.readableBytes))
                b.writeImmutableBuffer(m.assignment)
            }
            return b
        }
    }

    private static func writeString(_ s: String, _ b: inout ByteBuffer) {
        // Strings we persist come from requests whose codec bounded them to Int16.max bytes.
        b.writeInteger(Int16(truncatingIfNeeded: s.utf8.count))
        b.writeString(s)
    }

    private static func writeNullableString(_ s: String?, _ b: inout ByteBuffer) {
        guard let s else { b.writeInteger(Int16(-1)); return }
        writeString(s, &b)
    }

    // MARK: Decoding

    /// Decodes a record of the offsets topic. Keys of versions this broker does not know (for
    /// example KIP-848's consumer-group records) are reported as nil, not as errors.
    public static func decode(key keyBytes: ByteBuffer, value valueBytes: ByteBuffer?) throws -> OffsetsTopicRecord? {
        var key = keyBytes
        let keyVersion = try readInt16(&key)
        switch keyVersion {
        case 0, 1:
            let group = try readString(&key)
            let topic = try readString(&key)
            let partition = try readInt32(&key)
            let tp = TopicPartition(topic, partition)
            guard var v = valueBytes else { return .offset(group: group, tp, nil) }
            return .offset(group: group, tp, try decodeOffset(&v))
        case 2:
            let group = try readString(&key)
            guard var v = valueBytes else { return .group(group, nil) }
            return .group(group, try decodeGroup(&v))
        default:
            return nil
        }
    }

    private static func decodeOffset(_ v: inout ByteBuffer) throws -> CommittedOffset {
        let version = try readInt16(&v)
        guard (0...3).contains(version) else { throw FormatError(description: "offset commit value version \(version) is not supported") }
        let offset = try readInt64(&v)
        let epoch = version >= 3 ? try readInt32(&v) : -1
        let metadata = try readString(&v)
        let commitTs = try readInt64(&v)
        let expireTs = version == 1 ? try readInt64(&v) : -1
        return CommittedOffset(offset: offset, leaderEpoch: epoch, metadata: metadata, commitTimestampMs: commitTs,
                               expireTimestampMs: expireTs >= 0 ? expireTs : nil)
    }

    private static func decodeGroup(_ v: inout ByteBuffer) throws -> GroupMetadataValue {
        let version = try readInt16(&v)
        guard (0...3).contains(version) else { throw FormatError(description: "group metadata value version \(version) is not supported") }
        let protocolType = try readString(&v)
        let generation = try readInt32(&v)
        let protocolName = try readNullableString(&v)
        let leader = try readNullableString(&v)
        let stateTs = version >= 2 ? try readInt64(&v) : -1
        let count = try readInt32(&v)
        // A member takes at least 20 bytes: the count cannot exceed what the value holds.
        guard count >= 0, Int(count) <= v.readableBytes / 20 else { throw FormatError(description: "group metadata member count \(count)") }
        var members: [GroupMetadataValue.Member] = []
        members.reserveCapacity(Int(count))
        for _ in 0..<count {
            let memberId = try readString(&v)
            let instance = version >= 3 ? try readNullableString(&v) : nil
            let clientId = try readString(&v)
            let clientHost = try readString(&v)
            let rebalanceTimeout = version >= 1 ? try readInt32(&v) : 0
            let sessionTimeout = try readInt32(&v)
            let subscription = try readBytes(&v)
            let assignment = try readBytes(&v)
            members.append(.init(memberId: memberId, groupInstanceId: instance, clientId: clientId, clientHost: clientHost,
                                 rebalanceTimeoutMs: version >= 1 ? rebalanceTimeout : sessionTimeout,
                                 sessionTimeoutMs: sessionTimeout, subscription: subscription, assignment: assignment))
        }
        return GroupMetadataValue(protocolType: protocolType, generationId: generation, protocolName: protocolName,
                                  leaderId: leader, stateTimestampMs: stateTs, members: members)
    }

    private static func readInt16(_ b: inout ByteBuffer) throws -> Int16 {
        guard let n = b.readInteger(as: Int16.self) else { throw FormatError(description: "truncated int16") }
        return n
    }

    private static func readInt32(_ b: inout ByteBuffer) throws -> Int32 {
        guard let n = b.readInteger(as: Int32.self) else { throw FormatError(description: "truncated int32") }
        return n
    }

    private static func readInt64(_ b: inout ByteBuffer) throws -> Int64 {
        guard let n = b.readInteger(as: Int64.self) else { throw FormatError(description: "truncated int64") }
        return n
    }

    private static func readNullableString(_ b: inout ByteBuffer) throws -> String? {
        let n = Int(try readInt16(&b))
        if n < 0 { return nil }
        guard let s = b.readString(length: n) else { throw FormatError(description: "string of \(n) bytes runs past the record") }
        return s
    }

    private static func readString(_ b: inout ByteBuffer) throws -> String {
        guard let s = try readNullableString(&b) else { throw FormatError(description: "null where a string is required") }
        return s
    }

    private static func readBytes(_ b: inout ByteBuffer) throws -> ByteBuffer {
        let n = Int(try readInt32(&b))
        guard n >= 0, let slice = b.readSlice(length: n) else { throw FormatError(description: "bytes of \(n) run past the record") }
        return slice
    }
}
