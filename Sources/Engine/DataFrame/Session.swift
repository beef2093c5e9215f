import Columnar
import Foundation

/// Settings of a session.
public struct SessionConfig: Sendable {
    /// Workers in the pool (default: one per core).
    public var workerCount: Int
    /// The most bytes one query may hold in operator state.
    public var queryMemoryBytesMax: Int
    /// Rows per batch produced by sources.
    public var batchRows: Int

    /// Defaults: one worker per core, 8 GiB per query, 8192-row batches.
    public init(workerCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                queryMemoryBytesMax: Int = 8 << 30, batchRows: Int = 8192) {
        self.workerCount = workerCount
        self.queryMemoryBytesMax = queryMemoryBytesMax
        self.batchRows = batchRows
    }
}

/// The entry point of the engine (Spark's SparkSession): reads data, holds temp views, runs
/// queries on a fixed worker pool.
public final class Session: @unchecked Sendable {
    /// The settings.
    public let config: SessionConfig
    /// Temporary views, shared with SQL.
    public let catalog = Catalog()
    /// The worker pool shared by all queries of the session.
    public let pool: WorkerPool
    /// Cached DataFrames.
    public let cacheManager = CacheManager()
    /// Settable configuration (`spark.sql.session.timeZone`, …).
    public let conf = RuntimeConfig()

    /// The session time zone: how timestamps are shown and how text without a zone is read.
    public var timeZone: SessionTimeZone { conf.timeZone }

    /// Creates a session.
    public init(config: SessionConfig = SessionConfig()) {
        self.config = config
        pool = WorkerPool(workerCount: config.workerCount)
    }

    /// Readers for files (`session.read.option("header", "true").csv(path)`).
    public var read: DataFrameReader { DataFrameReader(session: self) }

    /// A DataFrame over a registered view.
    public func table(_ name: String) throws -> DataFrame {
        try DataFrame(session: self, plan: .unresolvedRelation(name.split(separator: ".").map(String.init)))
    }

    /// A DataFrame over a plan built elsewhere (e.g. by the SQL front end); the plan is analyzed
    /// now, so name and type errors surface here.
    public func dataFrame(_ plan: LogicalPlan) throws -> DataFrame {
        try DataFrame(session: self, plan: plan)
    }

    /// A DataFrame over in-memory rows of a schema.
    public func createDataFrame(_ rows: [[Scalar]], schema: Schema) throws -> DataFrame {
        var builders = schema.fields.map { ColumnBuilder(type: $0.type, capacity: rows.count) }
        for (r, row) in rows.enumerated() {
            guard row.count == schema.count else {
                throw EngineError.analysis("row \(r) has \(row.count) values but the schema has \(schema.count) columns",
                                           position: nil)
            }
            for c in 0..<row.count { builders[c].append(row[c]) }
        }
        let batch = RecordBatch(schema: schema, columns: builders.indices.map { builders[$0].finish() },
                                rowCount: rows.count)
        return try createDataFrame([batch], schema: schema)
    }

    /// A DataFrame over in-memory batches.
    public func createDataFrame(_ batches: [RecordBatch], schema: Schema) throws -> DataFrame {
        let output = schema.fields.map { Attribute(name: $0.name, type: $0.type, nullable: $0.nullable) }
        return try DataFrame(session: self, plan: .localRelation(output: output, data: LocalData(batches)))
    }

    /// Analyzes a plan against this session's catalog.
    public func analyze(_ plan: LogicalPlan) throws -> LogicalPlan {
        try Analyzer(catalog: catalog, timeZone: timeZone).analyze(plan)
    }

    /// The optimizer with the rules this session's settings enable.
    public func makeOptimizer() -> Optimizer {
        Optimizer(batches: Optimizer.batches(
            eagerAggregation: conf.get(RuntimeConfig.eagerAggregationKey)?.lowercased() != "false"))
    }

    /// A fresh execution context for one query.
    public func makeContext() -> ExecutionContext {
        ExecutionContext(pool: pool, memory: MemoryTracker(limitBytes: config.queryMemoryBytesMax),
                         batchRows: config.batchRows,
                         runtimeKeyFilters: conf.get(RuntimeConfig.runtimeKeyFilterKey)?.lowercased() != "false")
    }
}
