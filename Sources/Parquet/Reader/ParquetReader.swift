import Columnar
import Dispatch

/// Reads a Parquet file: its footer, schema and row groups, and columns of row groups into
/// `RecordBatch`es, decoding columns (and row groups) in parallel.
///
/// Usage: `let reader = try ParquetReader(path: p)`, then `reader.schema` (Columnar fields of the
/// top-level columns), `reader.rowGroupCount`, and `try reader.readRowGroup(i, columns: [0, 2])`.
/// Errors name the file, row group, column and page.
public final class ParquetReader: @unchecked Sendable {
    // Immutable after init, so sharing across threads is safe.
    private let source: ParquetSource
    /// The decoded footer.
    public let metadata: FileMetaData
    /// The Parquet schema tree and leaf columns.
    public let parquetSchema: ParquetSchema

    /// Opens `path` and reads its footer.
    public convenience init(path: String) throws {
        try self.init(source: try ParquetSource(path: path))
    }

    /// Reads Parquet data held in memory; `name` appears in error messages.
    public convenience init(bytes: [UInt8], name: String = "<memory>") throws {
        try self.init(source: ParquetSource(bytes: bytes, name: name))
    }

    private init(source: ParquetSource) throws {
        self.source = source
        let location = ParquetLocation(file: source.name)
        let footer = try withLocation(location) { try Self.readFooter(source) }
        metadata = footer
        parquetSchema = try withLocation(location) { try ParquetSchema(elements: footer.schema) }
        for (index, group) in footer.rowGroups.enumerated() where group.columns.count != parquetSchema.columns.count {
            throw ParquetError(.corrupt, "row group has \(group.columns.count) columns, the schema \(parquetSchema.columns.count)",
                               at: ParquetLocation(file: source.name, rowGroup: index))
        }
    }

    private static let magic: [UInt8] = Array("PAR1".utf8)

    private static func readFooter(_ source: ParquetSource) throws -> FileMetaData {
        guard source.size >= 12 else { throw ParquetError.corrupt("file of \(source.size) bytes is too small for Parquet") }
        let head = try source.read(offset: 0, count: 4)
        let tail = try source.read(offset: source.size - 8, count: 8)
        guard head == magic else { throw ParquetError.corrupt("file does not start with PAR1") }
        guard Array(tail[4..<8]) == magic else {
            if Array(tail[4..<8]) == Array("PARE".utf8) {
                throw ParquetError.unsupported("encrypted footer (PARE)")
            }
            throw ParquetError.corrupt("file does not end with PAR1 (truncated?)")
        }
        let length = Int(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard length <= source.size - 12, length <= ParquetLimits.footerBytesMax else {
            throw ParquetError.corrupt("footer length \(length) does not fit the \(source.size)-byte file")
        }
        let footer = try source.read(offset: source.size - 8 - length, count: length)
        return try footer.withUnsafeBytes { try FileMetaData.decode($0) }
    }

    // MARK: shape

    /// The file path (or in-memory name).
    public var name: String { source.name }
    /// The number of row groups.
    public var rowGroupCount: Int { metadata.rowGroups.count }
    /// The total number of rows.
    public var rowCount: Int { Int(metadata.numRows) }
    /// The number of rows in row group `index`.
    public func rowCount(rowGroup index: Int) -> Int { Int(metadata.rowGroups[index].numRows) }

    /// The top-level fields as Columnar fields: nested fields (lists, structs, maps) as Columnar's
    /// `array`, `struct` and `map` types, unless `skippingNested` leaves them out.
    public func schema(skippingNested: Bool = false) throws -> Schema {
        var fields: [Field] = []
        for index in parquetSchema.root.children.indices {
            if skippingNested && leafIndex(ofTopLevelField: index) == nil { continue }
            fields.append(try field(index))
        }
        return Schema(fields)
    }

    /// The leaf column index of top-level field `field`, if that field is a primitive column.
    public func leafIndex(ofTopLevelField field: Int) -> Int? {
        guard field >= 0, field < parquetSchema.root.children.count else { return nil }
        let node = parquetSchema.root.children[field]
        return node.element.repetition == .repeated ? nil : node.leafIndex
    }

    /// The index of the top-level field named `name` (case-insensitive, as Spark resolves).
    public func topLevelFieldIndex(named name: String) -> Int? {
        let lower = name.lowercased()
        return parquetSchema.root.children.firstIndex { $0.name.lowercased() == lower }
    }

    // MARK: reading

    /// Reads `count` bytes at `offset` of the file (bounds-checked).
    func readRange(offset: Int, count: Int) throws -> [UInt8] {
        try source.read(offset: offset, count: count)
    }

    /// Decodes one column chunk (leaf `column` of row group `rowGroup`) into values and levels.
    /// `keepDataPage`, when given, selects the data pages to decode, and `selection` the rows to keep
    /// (ascending row numbers; flat columns only) (see `ColumnChunkDecoder`). With `widenDecimals`, a
    /// decimal stored as INT32 or INT64 comes back in `decimals`, already 128 bits wide. With
    /// `indicesOnly`, a dictionary of more than `dictionaryValuesMax` values stops the read with
    /// `ColumnChunkDecoder.DictionaryTooLarge`.
    public func readLeaf(
        rowGroup: Int, column: Int, keepDataPage: [Bool]? = nil, selection: UnsafeBufferPointer<Int32>? = nil,
        widenDecimals: Bool = false, indicesOnly: Bool = false, dictionaryValuesMax: Int = Int.max,
        judge: ((SpacedByteValues) -> Bitmap)? = nil
    ) throws -> LeafColumnData {
        guard rowGroup >= 0, rowGroup < rowGroupCount, column >= 0, column < parquetSchema.columns.count else {
            throw ParquetError(.invalidArgument, "no column \(column) in row group \(rowGroup)", at: ParquetLocation(file: name))
        }
        let descriptor = parquetSchema.columns[column]
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: descriptor.dottedPath)
        return try withLocation(location) {
            let chunk = metadata.rowGroups[rowGroup].columns[column]
            if chunk.isEncrypted { throw ParquetError.unsupported("encrypted column chunk") }
            guard let meta = chunk.metaData else { throw ParquetError.corrupt("column chunk without metadata") }
            if let path = chunk.filePath, !path.isEmpty {
                throw ParquetError.unsupported("column chunk stored in another file (\(path))")
            }
            var start = meta.dataPageOffset
            // A chunk starts at its dictionary page when it has one. pyarrow writes an empty row group's
            // chunk as a lone dictionary page with data_page_offset 0, so a data page offset inside the
            // magic number defers to the dictionary page's.
            if let dictionary = meta.dictionaryPageOffset, dictionary >= 4, dictionary < start || start < 4 {
                start = dictionary
            }
            let length = meta.totalCompressedSize
            // An empty chunk (pyarrow's for a boolean column of an empty row group) has no pages to place.
            if length == 0, meta.numValues == 0 { start = 4 }
            guard start >= 4, length >= 0, length <= Int64(source.size), start <= Int64(source.size) - length else {
                throw ParquetError.corrupt("column chunk range \(start)+\(length) lies outside the file")
            }
            var decoder = try ColumnChunkDecoder(descriptor: descriptor, metaData: meta, widenDecimals: widenDecimals,
                                                 indicesOnly: indicesOnly, dictionaryValuesMax: dictionaryValuesMax,
                                                 judge: judge)
            return try source.withBytes(offset: Int(start), count: Int(length)) {
                try decoder.decode($0, keepDataPage: keepDataPage, selection: selection)
            }
        }
    }

    /// Reads top-level fields `fields` (all when nil) of row group `rowGroup` into a batch, decoding the
    /// columns in parallel.
    public func readRowGroup(_ rowGroup: Int, fields: [Int]? = nil) throws -> RecordBatch {
        try readRowGroups([rowGroup], fields: fields)[0]
    }

    /// Reads several row groups, decoding every (row group, field) pair in parallel on all cores. Nested
    /// fields are assembled from their leaves into Columnar's nested vectors.
    public func readRowGroups(_ rowGroups: [Int], fields requested: [Int]? = nil) throws -> [RecordBatch] {
        let fields = requested ?? Array(0..<parquetSchema.root.children.count)
        var schemaFields: [Field] = []
        for field in fields {
            guard field >= 0, field < parquetSchema.root.children.count else {
                throw ParquetError(.invalidArgument, "no top-level field \(field)", at: ParquetLocation(file: name))
            }
            schemaFields.append(try self.field(field))
        }
        let tasks = rowGroups.flatMap { group in fields.indices.map { (group, $0) } }
        var results = [Result<ColumnVector, Error>](repeating: .failure(ParquetError(.io, "not read")), count: tasks.count)
        results.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: tasks.count) { index in
                let (group, position) = tasks[index]
                base[index] = Result { try self.readField(rowGroup: group, field: fields[position], as: schemaFields[position].type) }
            }
        }
        var batches: [RecordBatch] = []
        for (position, group) in rowGroups.enumerated() {
            var columns: [ColumnVector] = []
            for column in 0..<fields.count {
                let vector = try results[position * fields.count + column].get()
                guard vector.count == rowCount(rowGroup: group) else {
                    throw ParquetError(.corrupt, "column has \(vector.count) values, the row group \(rowCount(rowGroup: group)) rows",
                                       at: ParquetLocation(file: name, rowGroup: group, column: schemaFields[column].name))
                }
                columns.append(vector)
            }
            batches.append(RecordBatch(schema: Schema(schemaFields), columns: columns, rowCount: rowCount(rowGroup: group)))
        }
        return batches
    }

    /// Top-level field `index` as a Columnar field (flat or nested).
    func field(_ index: Int) throws -> Field {
        let node = parquetSchema.root.children[index]
        if let leaf = leafIndex(ofTopLevelField: index) {
            let descriptor = parquetSchema.columns[leaf]
            let (type, _) = try withLocation(ParquetLocation(file: name, column: descriptor.dottedPath)) {
                try descriptor.columnarType()
            }
            return Field(node.name, type, nullable: node.element.repetition != .required)
        }
        let type = try withLocation(ParquetLocation(file: name, column: node.name)) {
            try NestedColumnarTypes.type(of: node, in: parquetSchema)
        }
        return Field(node.name, type, nullable: node.element.repetition == .optional)
    }

    /// One top-level field of one row group as a vector of `type`: a flat column straight from its
    /// pages, a nested one through record assembly.
    private func readField(rowGroup: Int, field: Int, as type: DataType) throws -> ColumnVector {
        if let leaf = leafIndex(ofTopLevelField: field) {
            let data = try readLeaf(rowGroup: rowGroup, column: leaf, widenDecimals: true)
            let location = ParquetLocation(file: name, rowGroup: rowGroup, column: data.descriptor.dottedPath)
            return try withLocation(location) { try ColumnAssembler.assemble(data) }
        }
        let nested = try readNested(rowGroup: rowGroup, field: field)
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: parquetSchema.root.children[field].name)
        return try withLocation(location) { try NestedColumnarTypes.vector(nested, type) }
    }
}
