import Columnar

/// Spark's `range(start, end, step)`: one non-null `bigint` column `id` counting from `start`
/// (inclusive) towards `end` (exclusive) by `step`.
///
/// Batches are made on the workers as the scan asks for them, and each goes through the
/// consumer's transform at once, so `SELECT count(*) FROM range(1000000000)` holds one batch
/// per worker at a time, not the billion values.
public final class RangeTable: PipelinedTableProvider, @unchecked Sendable {
    public let start: Int64
    public let end: Int64
    public let step: Int64
    /// The number of values.
    public let count: Int

    /// A range; throws for a zero step.
    public init(start: Int64, end: Int64, step: Int64) throws {
        guard step != 0 else { throw EngineError.analysis("the step of range must not be 0", position: nil) }
        self.start = start
        self.end = end
        self.step = step
        let span = step > 0 ? Int128(end) - Int128(start) : Int128(start) - Int128(end)
        let magnitude = Int128(step.magnitude)
        count = span <= 0 ? 0 : Int(clamping: (span + magnitude - 1) / magnitude)
    }

    public var schema: Schema { Schema([Field("id", .int64, nullable: false)]) }
    public var description: String { "range(\(start), \(end), \(step))" }
    public var statistics: Statistics { Statistics(rowCount: count, sizeBytes: count * 8) }

    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        try scan(columns: columns, filters: filters, context: context) { $0 }
    }

    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext,
                     transform: (RecordBatch) throws -> RecordBatch?) throws -> [RecordBatch] {
        let rows = max(1, context.batchRows)
        let batchCount = (count + rows - 1) / rows
        let outSchema = Schema(columns.map { schema.fields[$0] })
        return try context.pool.map(batchCount) { b -> RecordBatch? in
            let first = b * rows, n = min(rows, count - first)
            let base = start &+ Int64(first) &* step
            let ids = (0..<n).map { base &+ Int64($0) &* step }
            let column = ColumnVector(type: .int64, count: n, storage: .int64(ids), validity: nil)
            return try transform(RecordBatch(schema: outSchema, columns: columns.map { _ in column }, rowCount: n))
        }.compactMap { $0 }
    }
}
