import Columnar

/// A source whose scan can run the work just above it — filters and projections — on each batch
/// as soon as that batch is read, on the worker that read it.
///
/// For a source that waits on I/O (a topic read with Fetch requests), this overlaps the work on
/// the batches already read with the reads still in flight, and lets every raw batch go as soon
/// as its projection is made instead of holding them all until the scan ends.
public protocol PipelinedTableProvider: TableProvider {
    /// Reads like `scan(columns:filters:context:)`, handing every batch to `transform` where it
    /// is made and returning what `transform` returns (nil drops the batch). `transform` may run
    /// on several workers at once; an error it throws ends the scan with that error.
    func scan(columns: [Int], filters: [Expr], context: ExecutionContext,
              transform: (RecordBatch) throws -> RecordBatch?) throws -> [RecordBatch]
}
