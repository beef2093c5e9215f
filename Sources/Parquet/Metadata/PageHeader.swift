/// Header of a v1 data page.
public struct DataPageHeader: Sendable, Equatable {
    /// Number of values, nulls included.
    public var numValues: Int32
    /// Encoding of the values.
    public var encoding: Encoding
    /// Encoding of the definition levels.
    public var definitionLevelEncoding: Encoding
    /// Encoding of the repetition levels.
    public var repetitionLevelEncoding: Encoding
    /// Statistics of the values, if written.
    public var statistics: Statistics?
}

/// Header of a v2 data page: levels are stored uncompressed ahead of the (maybe compressed) values.
public struct DataPageHeaderV2: Sendable, Equatable {
    /// Number of values, nulls included.
    public var numValues: Int32
    /// Number of nulls.
    public var numNulls: Int32
    /// Number of rows.
    public var numRows: Int32
    /// Encoding of the values.
    public var encoding: Encoding
    /// Bytes of definition levels at the start of the page.
    public var definitionLevelsByteLength: Int32
    /// Bytes of repetition levels at the start of the page.
    public var repetitionLevelsByteLength: Int32
    /// Whether the values section is compressed.
    public var isCompressed: Bool
    /// Statistics of the values, if written.
    public var statistics: Statistics?
}

/// Header of a dictionary page.
public struct DictionaryPageHeader: Sendable, Equatable {
    /// Number of values, nulls included.
    public var numValues: Int32
    /// Encoding of the values.
    public var encoding: Encoding
    /// Whether the dictionary is sorted.
    public var isSorted: Bool?
}

/// The header in front of every page.
public struct PageHeader: Sendable, Equatable {
    /// The physical (or page) type.
    public var type: PageType
    /// Page body size before compression.
    public var uncompressedPageSize: Int32
    /// Page body size as stored.
    public var compressedPageSize: Int32
    /// CRC-32 of the stored page body, if written.
    public var crc: Int32?
    /// Set for v1 data pages.
    public var dataPageHeader: DataPageHeader?
    /// Set for dictionary pages.
    public var dictionaryPageHeader: DictionaryPageHeader?
    /// Set for v2 data pages.
    public var dataPageHeaderV2: DataPageHeaderV2?

    /// Decodes a page header from `reader`, leaving it just past the header.
    static func read(_ reader: inout ThriftCompactReader) throws -> PageHeader {
        try reader.beginStruct()
        var type: PageType?
        var uncompressed: Int32?
        var compressed: Int32?
        var header = PageHeader(type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0)
        while let field = try reader.nextField() {
            switch field.id {
            case 1: type = try reader.readEnum(PageType.self, "page type")
            case 2: uncompressed = try reader.readI32()
            case 3: compressed = try reader.readI32()
            case 4: header.crc = try reader.readI32()
            case 5: header.dataPageHeader = try readDataPageHeader(&reader)
            case 7: header.dictionaryPageHeader = try readDictionaryPageHeader(&reader)
            case 8: header.dataPageHeaderV2 = try readDataPageHeaderV2(&reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let type, let uncompressed, let compressed, uncompressed >= 0, compressed >= 0 else {
            throw ParquetError.corrupt("page header lacks its type or sizes")
        }
        header.type = type
        header.uncompressedPageSize = uncompressed
        header.compressedPageSize = compressed
        return header
    }

    init(type: PageType, uncompressedPageSize: Int32, compressedPageSize: Int32) {
        self.type = type
        self.uncompressedPageSize = uncompressedPageSize
        self.compressedPageSize = compressedPageSize
    }

    private static func readDataPageHeader(_ reader: inout ThriftCompactReader) throws -> DataPageHeader {
        try reader.beginStruct()
        var numValues: Int32?
        var encoding: Encoding?
        var defEncoding = Encoding.rle
        var repEncoding = Encoding.rle
        var statistics: Statistics?
        while let field = try reader.nextField() {
            switch field.id {
            case 1: numValues = try reader.readI32()
            case 2: encoding = try reader.readEnum(Encoding.self, "encoding")
            case 3: defEncoding = try reader.readEnum(Encoding.self, "encoding")
            case 4: repEncoding = try reader.readEnum(Encoding.self, "encoding")
            case 5: statistics = try Statistics.read(&reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let numValues, let encoding, numValues >= 0 else {
            throw ParquetError.corrupt("data page header lacks its value count or encoding")
        }
        return DataPageHeader(
            numValues: numValues, encoding: encoding, definitionLevelEncoding: defEncoding,
            repetitionLevelEncoding: repEncoding, statistics: statistics)
    }

    private static func readDataPageHeaderV2(_ reader: inout ThriftCompactReader) throws -> DataPageHeaderV2 {
        try reader.beginStruct()
        var numValues: Int32?
        var numNulls: Int32 = 0
        var numRows: Int32 = 0
        var encoding: Encoding?
        var defLength: Int32 = 0
        var repLength: Int32 = 0
        var compressed = true
        var statistics: Statistics?
        while let field = try reader.nextField() {
            switch field.id {
            case 1: numValues = try reader.readI32()
            case 2: numNulls = try reader.readI32()
            case 3: numRows = try reader.readI32()
            case 4: encoding = try reader.readEnum(Encoding.self, "encoding")
            case 5: defLength = try reader.readI32()
            case 6: repLength = try reader.readI32()
            case 7: compressed = try reader.readBool()
            case 8: statistics = try Statistics.read(&reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let numValues, let encoding, numValues >= 0, numNulls >= 0, numNulls <= numValues,
              defLength >= 0, repLength >= 0
        else { throw ParquetError.corrupt("data page v2 header is incomplete or inconsistent") }
        return DataPageHeaderV2(
            numValues: numValues, numNulls: numNulls, numRows: numRows, encoding: encoding,
            definitionLevelsByteLength: defLength, repetitionLevelsByteLength: repLength,
            isCompressed: compressed, statistics: statistics)
    }

    private static func readDictionaryPageHeader(_ reader: inout ThriftCompactReader) throws -> DictionaryPageHeader {
        try reader.beginStruct()
        var numValues: Int32?
        var encoding = Encoding.plain
        var sorted: Bool?
        while let field = try reader.nextField() {
            switch field.id {
            case 1: numValues = try reader.readI32()
            case 2: encoding = try reader.readEnum(Encoding.self, "encoding")
            case 3: sorted = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let numValues, numValues >= 0 else { throw ParquetError.corrupt("dictionary page header lacks its size") }
        return DictionaryPageHeader(numValues: numValues, encoding: encoding, isSorted: sorted)
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        writer.field(1, i32: type.rawValue)
        writer.field(2, i32: uncompressedPageSize)
        writer.field(3, i32: compressedPageSize)
        if let crc { writer.field(4, i32: crc) }
        if let page = dataPageHeader {
            writer.beginStructField(5)
            writer.field(1, i32: page.numValues)
            writer.field(2, i32: page.encoding.rawValue)
            writer.field(3, i32: page.definitionLevelEncoding.rawValue)
            writer.field(4, i32: page.repetitionLevelEncoding.rawValue)
            page.statistics?.write(&writer, fieldId: 5)
            writer.endStruct()
        }
        if let page = dictionaryPageHeader {
            writer.beginStructField(7)
            writer.field(1, i32: page.numValues)
            writer.field(2, i32: page.encoding.rawValue)
            if let sorted = page.isSorted { writer.field(3, bool: sorted) }
            writer.endStruct()
        }
        if let page = dataPageHeaderV2 {
            writer.beginStructField(8)
            writer.field(1, i32: page.numValues)
            writer.field(2, i32: page.numNulls)
            writer.field(3, i32: page.numRows)
            writer.field(4, i32: page.encoding.rawValue)
            writer.field(5, i32: page.definitionLevelsByteLength)
            writer.field(6, i32: page.repetitionLevelsByteLength)
            writer.field(7, bool: page.isCompressed)
            page.statistics?.write(&writer, fieldId: 8)
            writer.endStruct()
        }
        writer.endStruct()
    }
}
