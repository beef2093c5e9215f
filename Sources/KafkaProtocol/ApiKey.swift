/// The Kafka APIs Tributary knows, by their wire key.
public enum ApiKey: Int16, CaseIterable, Sendable {
    case produce = 0
    case fetch = 1
    case listOffsets = 2
    case metadata = 3
    case offsetCommit = 8
    case offsetFetch = 9
    case findCoordinator = 10
    case joinGroup = 11
    case heartbeat = 12
    case leaveGroup = 13
    case syncGroup = 14
    case describeGroups = 15
    case listGroups = 16
    case apiVersions = 18
    case createTopics = 19
    case deleteTopics = 20
    case deleteRecords = 21
    case initProducerId = 22
    case offsetForLeaderEpoch = 23
    case describeConfigs = 32
    case alterConfigs = 33
    case createPartitions = 37
    case deleteGroups = 42
    case incrementalAlterConfigs = 44
    case offsetDelete = 47
    case describeCluster = 60

}

/// The versions of one API that Tributary serves, and where its flexible versions begin.
public struct ApiVersionRange: Sendable {
    public let min: Int16
    public let max: Int16
    /// The first flexible version (KIP-482), or nil when the API has none.
    public let flexibleFrom: Int16?

    public func contains(_ version: Int16) -> Bool { version >= min && version <= max }
    public func isFlexible(_ version: Int16) -> Bool { flexibleFrom.map { version >= $0 } ?? false }
}

extension ApiKey {
    /// The one place the served version ranges are declared; ApiVersions reports exactly these.
    ///
    /// The flexible thresholds are the protocol's facts; the ranges are what our codecs implement.
    /// Produce and Fetch start at the first versions that carry RecordBatch v2 (magic 2) data.
    public var versions: ApiVersionRange {
        switch self {
        case .produce: ApiVersionRange(min: 3, max: 11, flexibleFrom: 9)
        case .fetch: ApiVersionRange(min: 4, max: 16, flexibleFrom: 12)
        case .listOffsets: ApiVersionRange(min: 0, max: 8, flexibleFrom: 6)
        case .metadata: ApiVersionRange(min: 0, max: 12, flexibleFrom: 9)
        case .offsetCommit: ApiVersionRange(min: 0, max: 9, flexibleFrom: 8)
        case .offsetFetch: ApiVersionRange(min: 0, max: 9, flexibleFrom: 6)
        case .findCoordinator: ApiVersionRange(min: 0, max: 5, flexibleFrom: 3)
        case .joinGroup: ApiVersionRange(min: 0, max: 9, flexibleFrom: 6)
        case .heartbeat: ApiVersionRange(min: 0, max: 4, flexibleFrom: 4)
        case .leaveGroup: ApiVersionRange(min: 0, max: 5, flexibleFrom: 4)
        case .syncGroup: ApiVersionRange(min: 0, max: 5, flexibleFrom: 4)
        case .describeGroups: ApiVersionRange(min: 0, max: 5, flexibleFrom: 5)
        case .listGroups: ApiVersionRange(min: 0, max: 5, flexibleFrom: 3)
        case .apiVersions: ApiVersionRange(min: 0, max: 4, flexibleFrom: 3)
        case .createTopics: ApiVersionRange(min: 0, max: 7, flexibleFrom: 5)
        case .deleteTopics: ApiVersionRange(min: 0, max: 6, flexibleFrom: 4)
        case .deleteRecords: ApiVersionRange(min: 0, max: 2, flexibleFrom: 2)
        case .initProducerId: ApiVersionRange(min: 0, max: 5, flexibleFrom: 2)
        case .offsetForLeaderEpoch: ApiVersionRange(min: 0, max: 4, flexibleFrom: 4)
        case .describeConfigs: ApiVersionRange(min: 0, max: 4, flexibleFrom: 4)
        case .alterConfigs: ApiVersionRange(min: 0, max: 2, flexibleFrom: 2)
        case .createPartitions: ApiVersionRange(min: 0, max: 3, flexibleFrom: 2)
        case .deleteGroups: ApiVersionRange(min: 0, max: 2, flexibleFrom: 2)
        case .incrementalAlterConfigs: ApiVersionRange(min: 0, max: 1, flexibleFrom: 1)
        case .offsetDelete: ApiVersionRange(min: 0, max: 0, flexibleFrom: nil)
        case .describeCluster: ApiVersionRange(min: 0, max: 1, flexibleFrom: 0)
        }
    }
}
