/// A key/value pair of file or column metadata.
public struct KeyValue: Sendable, Equatable {
    /// The key.
    public var key: String
    /// The value, if any.
    public var value: String?

    /// Creates a pair.
    public init(key: String, value: String?) {
        self.key = key
        self.value = value
    }

    static func read(_ reader: inout ThriftCompactReader) throws -> KeyValue {
        try reader.beginStruct()
        var pair = KeyValue(key: "", value: nil)
        while let field = try reader.nextField() {
            switch field.id {
            case 1: pair.key = try reader.readString()
            case 2: pair.value = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return pair
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.field(1, string: key)
        if let value { writer.field(2, string: value) }
        writer.endStruct()
    }
}

/// Metadata of one column chunk (`ColumnMetaData`).
public struct ColumnMetaData: Sendable, Equatable {
    /// The physical (or page) type.
    public var type: PhysicalType
    /// Every encoding used by the chunk's pages.
    public var encodings: [Encoding]
    /// Names from the root's child to the leaf.
    public var pathInSchema: [String]
    /// Compression of the chunk's pages.
    public var codec: ParquetCompression
    /// Number of values, nulls included.
    public var numValues: Int64
    /// Bytes of all pages before compression, headers included.
    public var totalUncompressedSize: Int64
    /// Bytes as stored, headers included.
    public var totalCompressedSize: Int64
    /// Application key/value metadata.
    public var keyValueMetadata: [KeyValue]?
    /// File offset of the first data page.
    public var dataPageOffset: Int64
    /// File offset of the (unused) index page.
    public var indexPageOffset: Int64?
    /// File offset of the dictionary page, if any.
    public var dictionaryPageOffset: Int64?
    /// Statistics of the values, if written.
    public var statistics: Statistics?

    static func read(_ reader: inout ThriftCompactReader) throws -> ColumnMetaData {
        try reader.beginStruct()
        var type: PhysicalType?
        var encodings: [Encoding] = []
        var path: [String] = []
        var codec: ParquetCompression?
        var numValues: Int64?
        var uncompressed: Int64 = 0
        var compressed: Int64?
        var keyValues: [KeyValue]?
        var dataPageOffset: Int64?
        var indexPageOffset: Int64?
        var dictionaryPageOffset: Int64?
        var statistics: Statistics?
        while let field = try reader.nextField() {
            switch field.id {
            case 1: type = try reader.readEnum(PhysicalType.self, "physical type")
            case 2:
                // Encodings this reader does not know are dropped here; a page that uses one fails
                // with a clear message when it is decoded.
                encodings = try reader.readList { r, _ in Encoding(rawValue: try r.readI32()) }.compactMap { $0 }
            case 3: path = try reader.readList { r, _ in try r.readString() }
            case 4: codec = try reader.readEnum(ParquetCompression.self, "compression codec")
            case 5: numValues = try reader.readI64()
            case 6: uncompressed = try reader.readI64()
            case 7: compressed = try reader.readI64()
            case 8: keyValues = try reader.readList { r, _ in try KeyValue.read(&r) }
            case 9: dataPageOffset = try reader.readI64()
            case 10: indexPageOffset = try reader.readI64()
            case 11: dictionaryPageOffset = try reader.readI64()
            case 12: statistics = try Statistics.read(&reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let type, let codec, let numValues, let compressed, let dataPageOffset else {
            throw ParquetError.corrupt("column metadata lacks a required field")
        }
        return ColumnMetaData(
            type: type, encodings: encodings, pathInSchema: path, codec: codec, numValues: numValues,
            totalUncompressedSize: uncompressed, totalCompressedSize: compressed, keyValueMetadata: keyValues,
            dataPageOffset: dataPageOffset, indexPageOffset: indexPageOffset,
            dictionaryPageOffset: dictionaryPageOffset, statistics: statistics)
    }

    func write(_ writer: inout ThriftCompactWriter, fieldId: Int16) {
        writer.beginStructField(fieldId)
        writer.field(1, i32: type.rawValue)
        writer.beginListField(2, elementType: .i32, count: encodings.count)
        for encoding in encodings { writer.element(i64: Int64(encoding.rawValue)) }
        writer.beginListField(3, elementType: .binary, count: pathInSchema.count)
        for name in pathInSchema { writer.element(binary: Array(name.utf8)) }
        writer.field(4, i32: codec.rawValue)
        writer.field(5, i64: numValues)
        writer.field(6, i64: totalUncompressedSize)
        writer.field(7, i64: totalCompressedSize)
        if let keyValueMetadata {
            writer.beginListField(8, elementType: .structure, count: keyValueMetadata.count)
            for pair in keyValueMetadata { pair.write(&writer) }
        }
        writer.field(9, i64: dataPageOffset)
        if let indexPageOffset { writer.field(10, i64: indexPageOffset) }
        if let dictionaryPageOffset { writer.field(11, i64: dictionaryPageOffset) }
        statistics?.write(&writer, fieldId: 12)
        writer.endStruct()
    }
}

/// One column of one row group (`ColumnChunk`).
public struct ColumnChunk: Sendable, Equatable {
    /// Another file holding the chunk (unsupported when set).
    public var filePath: String?
    /// Deprecated offset; writers set the chunk start or 0.
    public var fileOffset: Int64
    /// The chunk's metadata.
    public var metaData: ColumnMetaData?
    /// File offset of the chunk's offset index.
    public var offsetIndexOffset: Int64?
    /// Length of the chunk's offset index.
    public var offsetIndexLength: Int32?
    /// File offset of the chunk's column index.
    public var columnIndexOffset: Int64?
    /// Length of the chunk's column index.
    public var columnIndexLength: Int32?
    /// True when the chunk's metadata is encrypted (this reader cannot decrypt).
    public var isEncrypted: Bool

    static func read(_ reader: inout ThriftCompactReader) throws -> ColumnChunk {
        try reader.beginStruct()
        var chunk = ColumnChunk(fileOffset: 0, isEncrypted: false)
        while let field = try reader.nextField() {
            switch field.id {
            case 1: chunk.filePath = try reader.readString()
            case 2: chunk.fileOffset = try reader.readI64()
            case 3: chunk.metaData = try ColumnMetaData.read(&reader)
            case 4: chunk.offsetIndexOffset = try reader.readI64()
            case 5: chunk.offsetIndexLength = try reader.readI32()
            case 6: chunk.columnIndexOffset = try reader.readI64()
            case 7: chunk.columnIndexLength = try reader.readI32()
            case 8, 9: chunk.isEncrypted = true; try reader.skip(field.type)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return chunk
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let filePath { writer.field(1, string: filePath) }
        writer.field(2, i64: fileOffset)
        metaData?.write(&writer, fieldId: 3)
        if let offsetIndexOffset { writer.field(4, i64: offsetIndexOffset) }
        if let offsetIndexLength { writer.field(5, i32: offsetIndexLength) }
        if let columnIndexOffset { writer.field(6, i64: columnIndexOffset) }
        if let columnIndexLength { writer.field(7, i32: columnIndexLength) }
        writer.endStruct()
    }
}

/// A horizontal slice of the file (`RowGroup`).
public struct RowGroup: Sendable, Equatable {
    /// One chunk per leaf column, in schema order.
    public var columns: [ColumnChunk]
    /// Uncompressed bytes of the row group's column data.
    public var totalByteSize: Int64
    /// Number of rows.
    public var numRows: Int64
    /// Deprecated offset; writers set the chunk start or 0.
    public var fileOffset: Int64?
    /// Bytes as stored, headers included.
    public var totalCompressedSize: Int64?
    /// Position of the row group in the file.
    public var ordinal: Int16?

    static func read(_ reader: inout ThriftCompactReader) throws -> RowGroup {
        try reader.beginStruct()
        var group = RowGroup(columns: [], totalByteSize: 0, numRows: 0)
        var sawRows = false
        while let field = try reader.nextField() {
            switch field.id {
            case 1: group.columns = try reader.readList { r, _ in try ColumnChunk.read(&r) }
            case 2: group.totalByteSize = try reader.readI64()
            case 3: group.numRows = try reader.readI64(); sawRows = true
            case 5: group.fileOffset = try reader.readI64()
            case 6: group.totalCompressedSize = try reader.readI64()
            case 7: group.ordinal = try reader.readI16()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard sawRows, group.numRows >= 0 else { throw ParquetError.corrupt("row group lacks a valid row count") }
        return group
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.beginListField(1, elementType: .structure, count: columns.count)
        for column in columns { column.write(&writer) }
        writer.field(2, i64: totalByteSize)
        writer.field(3, i64: numRows)
        if let fileOffset { writer.field(5, i64: fileOffset) }
        if let totalCompressedSize { writer.field(6, i64: totalCompressedSize) }
        if let ordinal { writer.field(7, i16: ordinal) }
        writer.endStruct()
    }
}

/// The file footer (`FileMetaData`).
public struct FileMetaData: Sendable, Equatable {
    /// Format version (1; 2 is read the same way).
    public var version: Int32
    /// The schema tree flattened depth-first, root first.
    public var schema: [SchemaElement]
    /// Number of rows.
    public var numRows: Int64
    /// The row groups.
    public var rowGroups: [RowGroup]
    /// Application key/value metadata.
    public var keyValueMetadata: [KeyValue]?
    /// The writing application and version.
    public var createdBy: String?
    /// The sort order of each leaf's statistics; without it, `min_value`/`max_value` are undefined.
    public var columnOrders: [ColumnOrder]?

    /// Creates footer metadata.
    public init(
        version: Int32, schema: [SchemaElement], numRows: Int64, rowGroups: [RowGroup],
        keyValueMetadata: [KeyValue]? = nil, createdBy: String? = nil, columnOrders: [ColumnOrder]? = nil
    ) {
        self.version = version
        self.schema = schema
        self.numRows = numRows
        self.rowGroups = rowGroups
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
        self.columnOrders = columnOrders
    }

    /// Decodes the footer from its thrift bytes.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> FileMetaData {
        var reader = ThriftCompactReader(bytes)
        try reader.beginStruct()
        var meta = FileMetaData(version: 1, schema: [], numRows: 0, rowGroups: [])
        var encryptedFooter = false
        while let field = try reader.nextField() {
            switch field.id {
            case 1: meta.version = try reader.readI32()
            case 2: meta.schema = try reader.readList { r, _ in try SchemaElement.read(&r) }
            case 3: meta.numRows = try reader.readI64()
            case 4: meta.rowGroups = try reader.readList { r, _ in try RowGroup.read(&r) }
            case 5: meta.keyValueMetadata = try reader.readList { r, _ in try KeyValue.read(&r) }
            case 6: meta.createdBy = try reader.readString()
            case 7: meta.columnOrders = try reader.readList { r, _ in try ColumnOrder.read(&r) }
            case 8: encryptedFooter = true; try reader.skip(field.type)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        if encryptedFooter { throw ParquetError.unsupported("encrypted columns are not supported") }
        guard !meta.schema.isEmpty else { throw ParquetError.corrupt("footer has an empty schema") }
        return meta
    }

    /// Encodes the footer as thrift compact bytes.
    public func encode() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.field(1, i32: version)
        writer.beginListField(2, elementType: .structure, count: schema.count)
        for element in schema { element.write(&writer) }
        writer.field(3, i64: numRows)
        writer.beginListField(4, elementType: .structure, count: rowGroups.count)
        for group in rowGroups { group.write(&writer) }
        if let keyValueMetadata {
            writer.beginListField(5, elementType: .structure, count: keyValueMetadata.count)
            for pair in keyValueMetadata { pair.write(&writer) }
        }
        if let createdBy { writer.field(6, string: createdBy) }
        if let columnOrders {
            writer.beginListField(7, elementType: .structure, count: columnOrders.count)
            for order in columnOrders { order.write(&writer) }
        }
        writer.endStruct()
        return writer.bytes
    }
}

/// The order statistics of a leaf follow (`ColumnOrder` union).
public enum ColumnOrder: Sendable, Equatable {
    /// The order of the logical type, or of the physical type when there is none.
    case typeDefined
    /// An order this reader does not know (its union field id); statistics must be ignored.
    case unknown(fieldId: Int16)

    static func read(_ reader: inout ThriftCompactReader) throws -> ColumnOrder {
        try reader.beginStruct()
        var order = ColumnOrder.unknown(fieldId: 0)
        while let field = try reader.nextField() {
            order = field.id == 1 ? .typeDefined : .unknown(fieldId: field.id)
            try reader.skip(field.type)
        }
        reader.endStruct()
        return order
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        switch self {
        case .typeDefined: writer.beginStructField(1)
        case let .unknown(id): writer.beginStructField(id)
        }
        writer.endStruct()
        writer.endStruct()
    }
}
