import NIOCore

/// The kind of a control record (a transaction marker), from its key.
public enum ControlRecordType: Int16, Sendable {
    case abort = 0
    case commit = 1
}

/// Control records end transactions: a batch with the control and transactional bits set holds one
/// record whose key is (version int16 = 0, type int16) and whose value is the end-transaction marker
/// (version int16 = 0, coordinatorEpoch int32).
public enum ControlRecord {
    /// The key of a control record of `type`.
    public static func key(_ type: ControlRecordType) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int16(0))
        b.writeInteger(type.rawValue)
        return b
    }

    /// Reads the type from a control record's key.
    public static func type(fromKey key: ByteBuffer?) throws -> ControlRecordType {
        guard var key, let version = key.readInteger(as: Int16.self), let raw = key.readInteger(as: Int16.self) else {
            throw ProtocolError(.invalid, "control record key shorter than 4 bytes")
        }
        guard version >= 0 else { throw ProtocolError(.invalid, "control record key version \(version)") }
        guard let type = ControlRecordType(rawValue: raw) else {
            throw ProtocolError(.invalid, "unknown control record type \(raw)")
        }
        return type
    }

    /// The value of an end-transaction marker.
    public static func endTransactionValue(coordinatorEpoch: Int32) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int16(0))
        b.writeInteger(coordinatorEpoch)
        return b
    }

    /// Reads the coordinator epoch from an end-transaction marker's value.
    public static func coordinatorEpoch(fromValue value: ByteBuffer?) throws -> Int32 {
        guard var value, value.readInteger(as: Int16.self) != nil, let epoch = value.readInteger(as: Int32.self) else {
            throw ProtocolError(.invalid, "end transaction marker shorter than 6 bytes")
        }
        return epoch
    }

    /// A whole control batch holding one commit or abort marker for a producer.
    public static func markerBatch(
        _ type: ControlRecordType, producerId: Int64, producerEpoch: Int16, coordinatorEpoch: Int32,
        timestamp: Int64, baseOffset: Int64 = 0, partitionLeaderEpoch: Int32 = -1
    ) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(
            baseOffset: baseOffset, producerId: producerId, producerEpoch: producerEpoch,
            partitionLeaderEpoch: partitionLeaderEpoch, isTransactional: true)
        builder.header.isControl = true
        let value = endTransactionValue(coordinatorEpoch: coordinatorEpoch)
        builder.append(key: key(type), value: value, timestamp: timestamp)
        return try builder.build()
    }
}
