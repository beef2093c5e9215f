/// Settings of `ParquetWriter`.
public struct ParquetWriteOptions: Sendable {
    /// Page compression (SNAPPY by default, as Spark writes).
    public var compression: ParquetCompression = .snappy
    /// Rows per row group; a row group is buffered in memory before it is written.
    public var rowGroupRows = 1_048_576
    /// Target size of a data page before compression.
    public var pageBytes = 1024 * 1024
    /// The most rows in one data page (parquet-mr's page row count limit).
    public var pageRowsMax = 20_000
    /// Dictionary-encode columns whose distinct values fit `dictionaryPageBytesMax`.
    public var dictionary = true
    /// Beyond this many bytes of distinct values a column chunk falls back to PLAIN.
    public var dictionaryPageBytesMax = 1024 * 1024
    /// Write min/max/null-count statistics for column chunks.
    public var statistics = true
    /// Write the page index (column and offset indexes) for page-level pruning.
    public var pageIndex = true

    /// The defaults: snappy, dictionary, statistics and page index on.
    public init() {}
}
