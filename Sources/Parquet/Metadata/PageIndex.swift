/// Where one data page lives (`PageLocation`).
public struct PageLocation: Sendable, Equatable {
    /// File offset of the page header.
    public var offset: Int64
    /// Page size including its header.
    public var compressedPageSize: Int32
    /// Index within the row group of the page's first row.
    public var firstRowIndex: Int64
}

/// Page locations of a column chunk (`OffsetIndex`), one half of the page index.
public struct OffsetIndex: Sendable, Equatable {
    /// One location per data page, in file order.
    public var pageLocations: [PageLocation]

    /// Decodes an offset index.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> OffsetIndex {
        var reader = ThriftCompactReader(bytes)
        try reader.beginStruct()
        var locations: [PageLocation] = []
        while let field = try reader.nextField() {
            switch field.id {
            case 1:
                locations = try reader.readList { r, _ in
                    try r.beginStruct()
                    var location = PageLocation(offset: -1, compressedPageSize: -1, firstRowIndex: -1)
                    while let f = try r.nextField() {
                        switch f.id {
                        case 1: location.offset = try r.readI64()
                        case 2: location.compressedPageSize = try r.readI32()
                        case 3: location.firstRowIndex = try r.readI64()
                        default: try r.skip(f.type)
                        }
                    }
                    r.endStruct()
                    guard location.offset >= 0, location.compressedPageSize >= 0, location.firstRowIndex >= 0 else {
                        throw ParquetError.corrupt("page location is incomplete")
                    }
                    return location
                }
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return OffsetIndex(pageLocations: locations)
    }

    /// Encodes the offset index.
    public func encode() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.beginListField(1, elementType: .structure, count: pageLocations.count)
        for location in pageLocations {
            writer.beginStruct()
            writer.field(1, i64: location.offset)
            writer.field(2, i32: location.compressedPageSize)
            writer.field(3, i64: location.firstRowIndex)
            writer.endStruct()
        }
        writer.endStruct()
        return writer.bytes
    }
}

/// Per-page bounds of a column chunk (`ColumnIndex`), the other half of the page index.
public struct ColumnIndex: Sendable, Equatable {
    /// True for pages holding only nulls (their bounds are empty).
    public var nullPages: [Bool]
    /// Lower bound per page (empty for null pages).
    public var minValues: [[UInt8]]
    /// Upper bound per page (empty for null pages).
    public var maxValues: [[UInt8]]
    /// Whether the bounds are sorted across pages.
    public var boundaryOrder: BoundaryOrder
    /// Nulls per page, if written.
    public var nullCounts: [Int64]?

    /// Decodes a column index; the per-page lists must agree in length.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> ColumnIndex {
        var reader = ThriftCompactReader(bytes)
        try reader.beginStruct()
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered, nullCounts: nil)
        while let field = try reader.nextField() {
            switch field.id {
            case 1: index.nullPages = try reader.readList { r, _ in try r.readByte() == ThriftType.boolTrue.rawValue }
            case 2: index.minValues = try reader.readList { r, _ in try r.readBinary() }
            case 3: index.maxValues = try reader.readList { r, _ in try r.readBinary() }
            case 4: index.boundaryOrder = try reader.readEnum(BoundaryOrder.self, "boundary order")
            case 5: index.nullCounts = try reader.readList { r, _ in try r.readI64() }
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        let pages = index.nullPages.count
        guard index.minValues.count == pages, index.maxValues.count == pages,
              index.nullCounts.map({ $0.count == pages }) ?? true
        else { throw ParquetError.corrupt("column index lists differ in length") }
        return index
    }

    /// Encodes the column index.
    public func encode() -> [UInt8] {
        var writer = ThriftCompactWriter()
        writer.beginStruct()
        writer.beginListField(1, elementType: .boolTrue, count: nullPages.count)
        for flag in nullPages { writer.element(bool: flag) }
        writer.beginListField(2, elementType: .binary, count: minValues.count)
        for value in minValues { writer.element(binary: value) }
        writer.beginListField(3, elementType: .binary, count: maxValues.count)
        for value in maxValues { writer.element(binary: value) }
        writer.field(4, i32: boundaryOrder.rawValue)
        if let nullCounts {
            writer.beginListField(5, elementType: .i64, count: nullCounts.count)
            for count in nullCounts { writer.element(i64: count) }
        }
        writer.endStruct()
        return writer.bytes
    }
}
