import TributaryCore
import NIOCore

/// How the producer picks a partition for a record that names none.
public enum Partitioner: Sendable, Equatable {
    /// The Java client's default: murmur2 of the key for keyed records; records without a key stick
    /// to one partition until its batch is sent, then move on (KIP-480).
    case murmur2
    /// librdkafka's `consistent_random`: CRC-32 of the key for keyed records, a random partition for
    /// records without a key.
    case consistentRandom

    /// Parses the names librdkafka and the Java client use.
    public init(name: String) throws {
        switch name.lowercased() {
        case "murmur2", "murmur2_random", "default": self = .murmur2
        case "consistent_random", "consistent-random", "consistent", "crc32": self = .consistentRandom
        default:
            throw KafkaClientError.invalidArgument("unknown partitioner '\(name)'; use murmur2 or consistent_random")
        }
    }

    /// The partition for a keyed record, or nil when the key is null (the caller then chooses).
    public func partition(forKey key: ByteBuffer?, partitionCount: Int) -> Int32? {
        guard let key, partitionCount > 0 else { return nil }
        switch self {
        case .murmur2:
            let h = key.withUnsafeReadableBytes { Murmur2.hash($0) }
            return Murmur2.partition(forKeyHash: h, partitionCount: partitionCount)
        case .consistentRandom:
            let h = key.withUnsafeReadableBytes { CRC32IEEE.checksum($0) }
            return Int32(Int(h) % partitionCount)
        }
    }
}
