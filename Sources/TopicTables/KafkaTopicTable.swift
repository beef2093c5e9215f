import Columnar
import Engine
import KafkaClient
import NIOCore

/// A batch read of Kafka topics as a table, with Spark's Kafka source schema and options.
///
/// The offset ranges are resolved once, when the table is opened (at planning); a scan narrows
/// them with the pushed-down predicates on partition, offset and timestamp, then reads every
/// partition range as its own task on the engine's workers.
public final class KafkaTopicTable: PipelinedTableProvider, @unchecked Sendable {
    public let schema: Schema
    let cluster: KafkaCluster
    let options: KafkaSourceOptions
    /// The ranges resolved at planning.
    let ranges: [PartitionRange]

    /// Offsets per read task: a partition with more is split so that every worker gets work.
    static let taskOffsetsMin: Int64 = 65_536
    /// Tasks whose first Fetch is sent when the scan starts (each answer is held until its task
    /// runs, so this bounds the memory of the early answers).
    static let earlyFetchesMax = 8

    /// Opens the source: checks the options and resolves the offset ranges now.
    init(cluster: KafkaCluster, options: KafkaSourceOptions) throws {
        self.cluster = cluster
        self.options = options
        schema = KafkaSourceSchema.schema(includeHeaders: options.includeHeaders)
        ranges = try blocking("resolving Kafka offsets") { try await OffsetRangeResolver.resolve(options, cluster: cluster) }
    }

    public var description: String {
        switch options.selection {
        case let .subscribe(t): return "kafka [\(t.joined(separator: ","))]"
        case let .pattern(p): return "kafka [pattern \(p)]"
        case let .assign(tps): return "kafka [\(tps.map { "\($0.topic)-\($0.partition)" }.joined(separator: ","))]"
        }
    }

    public var statistics: Engine.Statistics {
        Engine.Statistics(rowCount: Int(ranges.reduce(0) { $0 + $1.count }))
    }

    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [Columnar.RecordBatch] {
        try scan(columns: columns, filters: filters, context: context, transform: { $0 })
    }

    /// Reads the ranges as tasks on the workers; each batch goes through `transform` on the worker
    /// that decoded it, while that task's next Fetch is already on the wire.
    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext,
                     transform: (Columnar.RecordBatch) throws -> Columnar.RecordBatch?) throws -> [Columnar.RecordBatch] {
        let narrowing = RangeNarrowing(filters)
        let wanted = try narrow(ranges, narrowing)
        let tasks = split(wanted, workers: context.pool.workerCount)
        let outSchema = Schema(columns.map { schema.fields[$0] })
        if tasks.isEmpty { return [] }
        let leaders = try blocking("finding partition leaders") { [cluster] in
            let md = try await cluster.metadata(for: Array(Set(tasks.map(\.tp.topic))))
            var out: [TopicPartition: Int32] = [:]
            for r in tasks {
                guard let leader = md.leader(of: r.tp) else {
                    throw EngineError.execution("partition \(r.tp.topic)-\(r.tp.partition) has no leader")
                }
                out[r.tp] = leader
            }
            return (out, md.brokers)
        }
        // Connections of the scan's own, a few per leader, so that the broker serves the tasks'
        // fetches side by side instead of one after another on the client's shared connection.
        let early = min(tasks.count, Self.earlyFetchesMax)
        let pool = ConnectionPool(cluster: cluster, brokers: leaders.1,
                                  perBroker: min(tasks.count, max(context.pool.workerCount, early)))
        defer { pool.closeAll() }
        let failOnDataLoss = options.failOnDataLoss
        let checkCRCs = options.checkCRCs
        let fetchBytes = options.partitionFetchBytes
        func reader(_ i: Int, _ c: BrokerConnection) -> PartitionRangeReader {
            var r = PartitionRangeReader(range: tasks[i], connection: c, columns: columns, schema: outSchema,
                                         batchRows: context.batchRows, failOnDataLoss: failOnDataLoss)
            r.checkCRCs = checkCRCs
            r.partitionFetchBytes = fetchBytes
            return r
        }
        // The first Fetch of the first tasks goes out now, each on its own connection, so the broker
        // prepares them side by side while the workers decode; the rest start when a worker does.
        var perLeader: [Int32: Int] = [:]
        for i in 0..<early { if let leader = leaders.0[tasks[i].tp] { perLeader[leader, default: 0] += 1 } }
        try pool.open(perLeader)
        var firstFetches: [EventLoopFuture<ByteBuffer>?] = Array(repeating: nil, count: tasks.count)
        var taken: [(BrokerConnection, Int32)] = []
        for i in 0..<early {
            guard let leader = leaders.0[tasks[i].tp] else { continue }
            let c = try pool.take(leader)
            taken.append((c, leader))
            let r = reader(i, c)
            firstFetches[i] = try r.send(at: tasks[i].from, bytes: r.partitionFetchBytes, version: try c.version(for: .fetch))
        }
        for (c, leader) in taken { pool.give(c, leader) }
        let perTask = try context.pool.map(tasks.count) { i -> [Columnar.RecordBatch] in
            let r = tasks[i]
            guard let leader = leaders.0[r.tp] else { throw EngineError.execution("no leader for \(r.tp)") }
            let c = try pool.take(leader)
            defer { pool.give(c, leader) }
            var task = reader(i, c)
            task.firstFetch = firstFetches[i]
            return try task.read(transform)
        }
        return perTask.flatMap { $0 }
    }

    /// Applies the predicate bounds; a timestamp bound is looked up with ListOffsets now.
    func narrow(_ ranges: [PartitionRange], _ n: RangeNarrowing) throws -> [PartitionRange] {
        var out: [PartitionRange] = []
        for var r in ranges {
            if let ps = n.partitions, !ps.contains(r.tp.partition) { continue }
            if let f = n.offsetFrom { r.from = max(r.from, f) }
            if let u = n.offsetUntil { r.until = min(r.until, u) }
            if r.count > 0 { out.append(r) }
        }
        guard let ms = n.timestampFromMs, !out.isEmpty else { return out }
        let cluster = self.cluster
        let tps = out.map(\.tp)
        let found = try blocking("looking up offsets by timestamp") {
            try await KafkaAdmin(cluster: cluster).listOffsets(tps, spec: .timestamp(ms))
        }
        return out.compactMap { r in
            var r = r
            let o = found[r.tp]?.offset ?? -1
            // No record at or after the time: nothing in this partition can match.
            if o < 0 { return nil }
            r.from = max(r.from, o)
            return r.count > 0 ? r : nil
        }
    }

    /// Splits large ranges so that the tasks outnumber the workers.
    func split(_ ranges: [PartitionRange], workers: Int) -> [PartitionRange] {
        let total = ranges.reduce(0) { $0 + $1.count }
        let piece = max(Self.taskOffsetsMin, total / Int64(max(1, workers * 2)))
        var out: [PartitionRange] = []
        for r in ranges {
            var from = r.from
            while from < r.until {
                let until = min(r.until, from + piece)
                out.append(PartitionRange(tp: r.tp, from: from, until: until))
                from = until
            }
        }
        return out
    }
}
