import KafkaProtocol

/// The versions this client can speak, per API, and the choice of one version per API against a
/// broker's ApiVersions answer: the highest version both sides implement.
public struct ApiVersionTable: Sendable {
    /// The broker's ranges, by API key.
    public private(set) var broker: [Int16: ClosedRange<Int16>]

    public init(broker: [Int16: ClosedRange<Int16>]) {
        self.broker = broker
    }

    /// The highest version of `api` whose semantics this client implements. Lower than the codec's
    /// maximum where newer versions change meaning: Fetch 13+ names topics by id, OffsetCommit 9 and
    /// JoinGroup/ListGroups past these belong to the new group protocol.
    public static func clientMax(_ api: ApiKey) -> Int16 {
        let codecMax = api.versions.max
        let cap: Int16
        switch api {
        case .fetch: cap = 12
        case .offsetCommit: cap = 8
        case .findCoordinator: cap = 5
        default: cap = codecMax
        }
        return min(cap, codecMax)
    }

    /// The lowest version this client sends.
    public static func clientMin(_ api: ApiKey) -> Int16 { api.versions.min }

    /// The version to use for `api`: min(our max, broker max), provided it is within both ranges.
    /// Returns nil when the ranges do not meet.
    public func version(for api: ApiKey) -> Int16? {
        guard let range = broker[api.rawValue] else { return nil }
        let v = min(Self.clientMax(api), range.upperBound)
        guard v >= max(Self.clientMin(api), range.lowerBound) else { return nil }
        return v
    }

    /// Builds the table from an ApiVersions response.
    public init(_ response: ApiVersionsResponse) {
        var map: [Int16: ClosedRange<Int16>] = [:]
        for k in response.apiKeys where k.minVersion <= k.maxVersion {
            map[k.apiKey] = k.minVersion...k.maxVersion
        }
        self.broker = map
    }
}
