import Engine
import Foundation
import KafkaClient

/// The offsets one read task covers: `[from, until)` of one partition.
struct PartitionRange: Hashable, Sendable {
    var tp: TopicPartition
    var from: Int64
    var until: Int64

    var count: Int64 { max(0, until - from) }
}

/// Resolves the source options into offset ranges once, at planning, with Metadata and ListOffsets.
enum OffsetRangeResolver {
    /// The partitions the selection names that exist now, sorted.
    static func partitions(_ selection: TopicSelection, cluster: KafkaCluster) async throws -> [TopicPartition] {
        switch selection {
        case let .subscribe(topics):
            let md = try await cluster.refreshMetadata(topics: topics)
            return topics.flatMap { t in partitionsOf(t, md) }.sorted()
        case let .pattern(pattern):
            let regex: NSRegularExpression
            do { regex = try NSRegularExpression(pattern: pattern) } catch {
                throw KafkaSourceOptions.error("subscribePattern '\(pattern)' is not a valid regular expression")
            }
            let md = try await cluster.refreshMetadata(topics: nil)
            let names = md.topics.values.filter { !$0.isInternal && $0.errorCode == 0 }.map(\.name).filter { name in
                // The whole name must match, as Java's Pattern.matches does.
                let whole = NSRange(name.startIndex..., in: name)
                return regex.firstMatch(in: name, options: [.anchored], range: whole).map { $0.range == whole } ?? false
            }
            return names.flatMap { partitionsOf($0, md) }.sorted()
        case let .assign(tps):
            let md = try await cluster.refreshMetadata(topics: Array(Set(tps.map(\.topic))))
            for tp in tps where !partitionsOf(tp.topic, md).contains(tp) {
                throw KafkaSourceOptions.error("assigned partition \(tp.topic)-\(tp.partition) does not exist")
            }
            return tps
        }
    }

    private static func partitionsOf(_ topic: String, _ md: ClusterMetadata) -> [TopicPartition] {
        guard let t = md.topics[topic], t.errorCode == 0 else { return [] }
        return t.partitions.map { TopicPartition(topic, $0.partition) }
    }

    /// The `[start, end)` range of every selected partition.
    static func resolve(_ options: KafkaSourceOptions, cluster: KafkaCluster) async throws -> [PartitionRange] {
        let tps = try await partitions(options.selection, cluster: cluster)
        if tps.isEmpty { return [] }
        let admin = KafkaAdmin(cluster: cluster)
        let earliest = try await admin.listOffsets(tps, spec: .earliest)
        let latest = try await admin.listOffsets(tps, spec: .latest)
        let starts = try await bounds(options.starting, tps, admin)
        let ends = try await bounds(options.ending, tps, admin)
        var out: [PartitionRange] = []
        for tp in tps {
            guard let low = earliest[tp]?.offset, let high = latest[tp]?.offset else {
                throw EngineError.execution("no offsets listed for \(tp.topic)-\(tp.partition)")
            }
            var from = try start(tp, starts[tp], low: low, high: high, options)
            let until = try end(tp, ends[tp], high: high)
            // An ending offset before the log start: everything asked for was deleted.
            if until < from && until < low && !options.failOnDataLoss { from = until }
            guard from <= until else {
                throw EngineError.analysis("Beginning offset \(from) is after the ending offset \(until) for topic "
                                           + "\(tp.topic) partition \(tp.partition).", position: nil)
            }
            out.append(PartitionRange(tp: tp, from: from, until: until))
        }
        return out
    }

    /// A resolved bound: an offset, or the end when a timestamp matched nothing.
    private enum Resolved {
        case earliest, latest, offset(Int64), timestampNoMatch(Int64)
    }

    private static func bounds(_ spec: BoundSpec, _ tps: [TopicPartition], _ admin: KafkaAdmin) async throws
        -> [TopicPartition: Resolved] {
        var wanted: [TopicPartition: OffsetBound] = [:]
        switch spec {
        case let .all(b):
            for tp in tps { wanted[tp] = b }
        case let .perPartition(map, option):
            let named = Set(map.keys)
            guard named == Set(tps) else {
                let show = { (s: [TopicPartition]) in s.sorted().map { "\($0.topic)-\($0.partition)" }.joined(separator: ", ") }
                throw KafkaSourceOptions.error("If \(option) contains specific offsets, you must specify all "
                    + "TopicPartitions. Use -1 for latest, -2 for earliest. Specified: \(show(Array(named))) "
                    + "Assigned: \(show(tps))")
            }
            wanted = map
        }
        var out: [TopicPartition: Resolved] = [:]
        var byTimestamp: [Int64: [TopicPartition]] = [:]
        for (tp, b) in wanted {
            switch b {
            case .earliest: out[tp] = .earliest
            case .latest: out[tp] = .latest
            case let .offset(o): out[tp] = .offset(o)
            case let .timestamp(t): byTimestamp[t, default: []].append(tp)
            }
        }
        for (t, group) in byTimestamp {
            let found = try await admin.listOffsets(group, spec: .timestamp(t))
            for tp in group {
                let o = found[tp]?.offset ?? -1
                out[tp] = o >= 0 ? .offset(o) : .timestampNoMatch(t)
            }
        }
        return out
    }

    private static func start(_ tp: TopicPartition, _ r: Resolved?, low: Int64, high: Int64,
                              _ options: KafkaSourceOptions) throws -> Int64 {
        switch r ?? .earliest {
        case .earliest: return low
        case .latest: return high
        case let .timestampNoMatch(t):
            if options.startAtLatestWhenNoTimestampMatch { return high }
            throw EngineError.execution("No offset matched from request of topic-partition \(tp.topic)-\(tp.partition) "
                                        + "and timestamp \(t).")
        case let .offset(o):
            if o < low {
                // The records before the log start were deleted (retention, DeleteRecords).
                if options.failOnDataLoss {
                    throw EngineError.execution("Cannot fetch offset \(o) of \(tp.topic)-\(tp.partition): the log "
                        + "starts at \(low). Some data may have been lost because they are not available in Kafka "
                        + "any more. If you want your query to continue, set the source option 'failOnDataLoss' to 'false'.")
                }
                return low
            }
            if o > high {
                throw EngineError.execution("starting offset \(o) of \(tp.topic)-\(tp.partition) is after its end offset \(high)")
            }
            return o
        }
    }

    private static func end(_ tp: TopicPartition, _ r: Resolved?, high: Int64) throws -> Int64 {
        switch r ?? .latest {
        case .latest, .timestampNoMatch: return high
        case .earliest: return 0
        case let .offset(o):
            if o > high {
                throw EngineError.execution("ending offset \(o) of \(tp.topic)-\(tp.partition) is after its end offset \(high)")
            }
            return o
        }
    }
}
