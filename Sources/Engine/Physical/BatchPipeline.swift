import Columnar

/// Operators that can run as one pipeline with the scan below them: each batch the scan makes
/// goes through the operators above it on the worker that made it (see `PipelinedTableProvider`).
protocol BatchPipeline: PhysicalOperator {
    /// Runs the operator with `then` applied to each of its output batches where the batch is
    /// made; nil when the operator (or the scan below it) cannot run that way.
    func executePipelined(_ context: ExecutionContext, then: @escaping (RecordBatch) throws -> RecordBatch?) throws
        -> [RecordBatch]?
}

extension ScanExec: BatchPipeline {
    func executePipelined(_ context: ExecutionContext, then: @escaping (RecordBatch) throws -> RecordBatch?) throws
        -> [RecordBatch]? {
        guard let source = relation.table.provider as? any PipelinedTableProvider else { return nil }
        let schema = self.schema
        return try source.scan(columns: relation.columns, filters: relation.filters, context: context) { batch in
            // Sources return their own column names; give batches the plan's schema.
            try then(RecordBatch(schema: schema, columns: batch.columns, rowCount: batch.rowCount))
        }
    }
}

extension FilterProjectExec: BatchPipeline {
    func executePipelined(_ context: ExecutionContext, then: @escaping (RecordBatch) throws -> RecordBatch?) throws
        -> [RecordBatch]? {
        guard let below = child as? any BatchPipeline else { return nil }
        return try below.executePipelined(context) { batch in
            try self.apply(batch).flatMap(then)
        }
    }
}
