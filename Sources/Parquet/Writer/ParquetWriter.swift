import Columnar

/// Writes `RecordBatch`es to a Parquet file with flat (top-level, non-nested) columns.
///
/// Rows are buffered until a row group is full (`options.rowGroupRows`), then every column chunk is
/// encoded (dictionary with PLAIN fallback, statistics, compression) and written. `close()` writes the
/// page index and the footer. Types are annotated as Spark writes them, so Spark, pyarrow and DuckDB
/// read the columns back with the same types.
public final class ParquetWriter {
    private let sink: FileSink
    private let columns: [WriterColumn]
    private let options: ParquetWriteOptions
    private let schema: Schema
    private var values: [DecodedValues]
    private var levels: [[UInt8]]
    private var bufferedRows = 0
    private var rowGroups: [RowGroup] = []
    private var columnIndexes: [[ColumnIndex?]] = []
    private var offsetIndexes: [[OffsetIndex]] = []
    private var totalRows = 0
    private var closed = false

    /// The `created_by` string written to footers.
    public static let createdBy = "tributary version 0.1.0"

    /// Creates (or truncates) `path` and writes the leading magic.
    public init(path: String, schema: Schema, options: ParquetWriteOptions = ParquetWriteOptions()) throws {
        guard options.rowGroupRows > 0, options.pageBytes > 0, options.pageRowsMax > 0 else {
            throw ParquetError(.invalidArgument, "row group and page sizes must be positive")
        }
        self.columns = try schema.fields.map { try WriterColumn(field: $0) }
        self.schema = schema
        self.options = options
        self.sink = try FileSink(path: path)
        self.values = columns.map { DecodedValues(physicalType: $0.physicalType, width: $0.width) }
        self.levels = columns.map { _ in [] }
        try sink.write(Array("PAR1".utf8))
    }

    /// Appends the rows of `batch`, whose schema must match the writer's (names and types).
    public func write(_ batch: RecordBatch) throws {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is closed", at: ParquetLocation(file: sink.path)) }
        guard batch.columns.count == columns.count else {
            throw ParquetError(.invalidArgument, "batch has \(batch.columns.count) columns, the file \(columns.count)",
                               at: ParquetLocation(file: sink.path))
        }
        var start = 0
        while start < batch.rowCount {
            let take = min(batch.rowCount - start, options.rowGroupRows - bufferedRows)
            let slice = start == 0 && take == batch.rowCount ? batch.columns : batch.columns.map { $0.slice(start..<(start + take)) }
            for (index, column) in columns.enumerated() {
                try withLocation(ParquetLocation(file: sink.path, column: column.field.name)) {
                    try column.append(slice[index], values: &values[index], levels: &levels[index])
                }
            }
            bufferedRows += take
            start += take
            if bufferedRows == options.rowGroupRows { try flushRowGroup() }
        }
    }

    /// Writes the buffered rows, the page index and the footer, and syncs the file.
    @discardableResult
    public func close() throws -> FileMetaData {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is closed", at: ParquetLocation(file: sink.path)) }
        if bufferedRows > 0 || rowGroups.isEmpty { try flushRowGroup() }
        closed = true
        if options.pageIndex { try writePageIndex() }
        var elements = [SchemaElement(name: "spark_schema", numChildren: Int32(columns.count))]
        elements.append(contentsOf: columns.map(\.element))
        let footer = FileMetaData(
            version: 1, schema: elements, numRows: Int64(totalRows), rowGroups: rowGroups,
            createdBy: Self.createdBy, columnOrders: columns.map { _ in .typeDefined })
        let bytes = footer.encode()
        try sink.write(bytes)
        let length = UInt32(bytes.count)
        try sink.write(withUnsafeBytes(of: length.littleEndian) { Array($0) } + Array("PAR1".utf8))
        try sink.finish()
        return footer
    }

    private func flushRowGroup() throws {
        let groupIndex = rowGroups.count
        let groupStart = sink.position
        var chunks: [ColumnChunk] = []
        var groupColumnIndexes: [ColumnIndex?] = []
        var groupOffsetIndexes: [OffsetIndex] = []
        var uncompressed: Int64 = 0
        for (index, column) in columns.enumerated() {
            let chunkOffset = sink.position
            let location = ParquetLocation(file: sink.path, rowGroup: groupIndex, column: column.field.name)
            let output = try withLocation(location) {
                try ColumnChunkWriter(column: column, options: options).write(
                    values: values[index], levels: levels[index], rows: bufferedRows, chunkOffset: chunkOffset)
            }
            try sink.write(output.bytes)
            chunks.append(ColumnChunk(fileOffset: Int64(chunkOffset), metaData: output.metaData, isEncrypted: false))
            uncompressed += output.metaData.totalUncompressedSize
            groupColumnIndexes.append(output.columnIndex)
            groupOffsetIndexes.append(OffsetIndex(pageLocations: output.pageLocations.map {
                PageLocation(offset: $0.offset + Int64(chunkOffset), compressedPageSize: $0.compressedPageSize,
                             firstRowIndex: $0.firstRowIndex)
            }))
            values[index] = DecodedValues(physicalType: column.physicalType, width: column.width)
            levels[index].removeAll(keepingCapacity: true)
        }
        rowGroups.append(RowGroup(
            columns: chunks, totalByteSize: uncompressed, numRows: Int64(bufferedRows), fileOffset: Int64(groupStart),
            totalCompressedSize: Int64(sink.position - groupStart), ordinal: Int16(truncatingIfNeeded: groupIndex)))
        columnIndexes.append(groupColumnIndexes)
        offsetIndexes.append(groupOffsetIndexes)
        totalRows += bufferedRows
        bufferedRows = 0
    }

    /// Column indexes of every chunk, then offset indexes, as parquet-mr lays them out.
    private func writePageIndex() throws {
        for group in 0..<rowGroups.count {
            for column in 0..<columns.count {
                guard let index = columnIndexes[group][column] else { continue }
                let bytes = index.encode()
                rowGroups[group].columns[column].columnIndexOffset = Int64(sink.position)
                rowGroups[group].columns[column].columnIndexLength = Int32(bytes.count)
                try sink.write(bytes)
            }
        }
        for group in 0..<rowGroups.count {
            for column in 0..<columns.count {
                let bytes = offsetIndexes[group][column].encode()
                rowGroups[group].columns[column].offsetIndexOffset = Int64(sink.position)
                rowGroups[group].columns[column].offsetIndexLength = Int32(bytes.count)
                try sink.write(bytes)
            }
        }
    }
}
