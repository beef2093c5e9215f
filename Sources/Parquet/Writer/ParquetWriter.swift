import Columnar

/// Writes `RecordBatch`es to a Parquet file, flat and nested (array, struct, map) columns alike.
///
/// Rows are buffered until a row group is full (`options.rowGroupRows`), then every column chunk is
/// encoded (dictionary with PLAIN fallback, statistics, compression) and written. `close()` writes the
/// page index and the footer. Types are annotated as Spark writes them, so Spark, pyarrow and DuckDB
/// read the columns back with the same types; nested fields are shredded into definition and
/// repetition levels (`NestedShredder`).
public final class ParquetWriter {
    private let sink: FileSink
    /// The layout of each top-level field.
    private let fields: [WriterFieldLayout]
    /// Every leaf column in schema order, with the field it belongs to.
    private let columns: [(field: Int, leaf: WriterFieldLayout.Leaf)]
    private let options: ParquetWriteOptions
    private let schema: Schema
    private var values: [DecodedValues]
    private var levels: [[UInt8]]
    private var repetitions: [[UInt8]]
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
        let fields = try schema.fields.map { try WriterFieldLayout(field: $0) }
        self.fields = fields
        self.columns = fields.enumerated().flatMap { index, field in field.leaves.map { (field: index, leaf: $0) } }
        self.schema = schema
        self.options = options
        self.sink = try FileSink(path: path)
        self.values = columns.map { DecodedValues(physicalType: $0.leaf.column.physicalType, width: $0.leaf.column.width) }
        self.levels = columns.map { _ in [] }
        self.repetitions = columns.map { _ in [] }
        try sink.write(Array("PAR1".utf8))
    }

    /// Appends the rows of `batch`, whose schema must match the writer's (names and types).
    public func write(_ batch: RecordBatch) throws {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is closed", at: ParquetLocation(file: sink.path)) }
        guard batch.columns.count == fields.count else {
            throw ParquetError(.invalidArgument, "batch has \(batch.columns.count) columns, the file \(fields.count)",
                               at: ParquetLocation(file: sink.path))
        }
        var start = 0
        while start < batch.rowCount {
            let take = min(batch.rowCount - start, options.rowGroupRows - bufferedRows)
            let slice = start == 0 && take == batch.rowCount ? batch.columns : batch.columns.map { $0.slice(start..<(start + take)) }
            var leaf = 0
            for (index, field) in fields.enumerated() {
                try withLocation(ParquetLocation(file: sink.path, column: field.field.name)) {
                    if field.isFlat {
                        try field.leaves[0].column.append(slice[index], values: &values[leaf], levels: &levels[leaf])
                    } else {
                        try appendNested(field, slice[index], firstLeaf: leaf)
                    }
                }
                leaf += field.leaves.count
            }
            bufferedRows += take
            start += take
            if bufferedRows == options.rowGroupRows { try flushRowGroup() }
        }
    }

    /// Shreds a nested field's rows into its leaves' levels and dense values.
    private func appendNested(_ field: WriterFieldLayout, _ vector: ColumnVector, firstLeaf: Int) throws {
        guard vector.type == field.field.type else {
            throw ParquetError(.invalidArgument, "column \(field.field.name) is \(vector.type), the schema says \(field.field.type)")
        }
        var shredder = NestedShredder(layout: field)
        try shredder.shred(vector)
        for (offset, leaf) in field.leaves.enumerated() {
            let index = firstLeaf + offset
            let shredded = shredder.leaves[offset]
            if let source = shredder.leafVectors[offset], !shredded.present.isEmpty {
                // Leaf values as one vector without nulls; the flat appender's levels are not needed.
                var ignored: [UInt8] = []
                try leaf.column.append(source.take(shredded.present), values: &values[index], levels: &ignored)
            }
            if leaf.maxDefinitionLevel > 0 { levels[index].append(contentsOf: shredded.definitionLevels) }
            if leaf.maxRepetitionLevel > 0 { repetitions[index].append(contentsOf: shredded.repetitionLevels) }
        }
    }

    /// Writes the buffered rows, the page index and the footer, and syncs the file.
    @discardableResult
    public func close() throws -> FileMetaData {
        guard !closed else { throw ParquetError(.invalidArgument, "writer is closed", at: ParquetLocation(file: sink.path)) }
        if bufferedRows > 0 || rowGroups.isEmpty { try flushRowGroup() }
        closed = true
        if options.pageIndex { try writePageIndex() }
        var elements = [SchemaElement(name: "spark_schema", numChildren: Int32(fields.count))]
        elements.append(contentsOf: fields.flatMap(\.elements))
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
        for (index, entry) in columns.enumerated() {
            let leaf = entry.leaf
            let chunkOffset = sink.position
            let location = ParquetLocation(file: sink.path, rowGroup: groupIndex, column: leaf.path.joined(separator: "."))
            let output = try withLocation(location) {
                try ColumnChunkWriter(column: leaf.column, options: options, path: leaf.path,
                                      maxDefinitionLevel: leaf.maxDefinitionLevel,
                                      maxRepetitionLevel: leaf.maxRepetitionLevel).write(
                    values: values[index], levels: levels[index], repetition: repetitions[index], rows: bufferedRows,
                    chunkOffset: chunkOffset)
            }
            try sink.write(output.bytes)
            chunks.append(ColumnChunk(fileOffset: Int64(chunkOffset), metaData: output.metaData, isEncrypted: false))
            uncompressed += output.metaData.totalUncompressedSize
            groupColumnIndexes.append(output.columnIndex)
            groupOffsetIndexes.append(OffsetIndex(pageLocations: output.pageLocations.map {
                PageLocation(offset: $0.offset + Int64(chunkOffset), compressedPageSize: $0.compressedPageSize,
                             firstRowIndex: $0.firstRowIndex)
            }))
            values[index] = DecodedValues(physicalType: leaf.column.physicalType, width: leaf.column.width)
            levels[index].removeAll(keepingCapacity: true)
            repetitions[index].removeAll(keepingCapacity: true)
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
