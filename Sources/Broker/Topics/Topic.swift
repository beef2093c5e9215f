import KafkaProtocol
import LogStorage

/// A topic: its id, its partitions' logs, and the settings it overrides.
public final class Topic: @unchecked Sendable {
    public let name: String
    public let id: Uuid
    /// Guarded by the registry's lock; partitions are only ever added.
    public internal(set) var partitions: [PartitionLog]
    public internal(set) var overrides: [String: String]

    init(name: String, id: Uuid, partitions: [PartitionLog], overrides: [String: String]) {
        self.name = name
        self.id = id
        self.partitions = partitions
        self.overrides = overrides
    }

    public func partition(_ index: Int32) -> PartitionLog? {
        index >= 0 && Int(index) < partitions.count ? partitions[Int(index)] : nil
    }

    /// Kafka's rules for topic names: 1–249 characters of [a-zA-Z0-9._-], not "." or "..".
    public static func validateName(_ name: String) -> String? {
        if name.isEmpty { return "the topic name is empty" }
        if name == "." || name == ".." { return "'\(name)' is not a valid topic name" }
        if name.utf8.count > 249 { return "the topic name is longer than 249 characters" }
        let ok = name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        return ok ? nil : "topic '\(name)' has characters outside [a-zA-Z0-9._-]"
    }
}
