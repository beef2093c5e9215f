import Columnar
import Engine
import Parquet

/// A Parquet file or a directory of them (Hive-style partitions included), as an engine table
/// source, for `USING parquet` views and ``parquet.`path` `` queries.
final class ParquetTable: TableProvider, @unchecked Sendable {
    // The dataset is only read after construction, from any worker.
    private let dataset: ParquetDataset
    private let path: String

    /// Opens the dataset at `path`; fails when there is no Parquet file there.
    init(path: String) throws {
        self.path = path
        self.dataset = try ParquetDataset(path: path)
    }

    var schema: Schema { dataset.schema }

    var description: String { "parquet [\(path)]" }

    var statistics: Engine.Statistics { Engine.Statistics() }

    func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        // Filters are optional hints; the engine applies them again, so none are pushed here yet.
        let names = columns.map { dataset.schema.fields[$0].name }
        return try dataset.read(columns: names)
    }
}
