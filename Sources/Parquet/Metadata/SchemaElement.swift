/// One node of the flattened schema tree (`SchemaElement` in parquet.thrift).
public struct SchemaElement: Sendable, Equatable {
    /// The physical type; nil for groups.
    public var type: PhysicalType?
    /// Byte width of FIXED_LEN_BYTE_ARRAY values.
    public var typeLength: Int32?
    /// Nil only for the root.
    public var repetition: Repetition?
    /// The field name.
    public var name: String
    /// Number of children; set for groups only.
    public var numChildren: Int32?
    /// The legacy type annotation.
    public var convertedType: ConvertedType?
    /// Decimal scale (legacy annotation).
    public var scale: Int32?
    /// Decimal precision (legacy annotation).
    public var precision: Int32?
    /// The writer's field id, if any.
    public var fieldId: Int32?
    /// The logical type annotation.
    public var logicalType: LogicalType?

    /// Creates an element.
    public init(
        name: String, type: PhysicalType? = nil, typeLength: Int32? = nil, repetition: Repetition? = nil,
        numChildren: Int32? = nil, convertedType: ConvertedType? = nil, scale: Int32? = nil,
        precision: Int32? = nil, fieldId: Int32? = nil, logicalType: LogicalType? = nil
    ) {
        self.name = name
        self.type = type
        self.typeLength = typeLength
        self.repetition = repetition
        self.numChildren = numChildren
        self.convertedType = convertedType
        self.scale = scale
        self.precision = precision
        self.fieldId = fieldId
        self.logicalType = logicalType
    }

    static func read(_ reader: inout ThriftCompactReader) throws -> SchemaElement {
        try reader.beginStruct()
        var element = SchemaElement(name: "")
        var sawName = false
        while let field = try reader.nextField() {
            switch field.id {
            case 1: element.type = try reader.readEnum(PhysicalType.self, "physical type")
            case 2: element.typeLength = try reader.readI32()
            case 3: element.repetition = try reader.readEnum(Repetition.self, "repetition type")
            case 4: element.name = try reader.readString(); sawName = true
            case 5: element.numChildren = try reader.readI32()
            case 6:
                // Unknown converted types are ignored rather than fatal: the logical type or the
                // physical type still describes the column.
                element.convertedType = ConvertedType(rawValue: try reader.readI32())
            case 7: element.scale = try reader.readI32()
            case 8: element.precision = try reader.readI32()
            case 9: element.fieldId = try reader.readI32()
            case 10: element.logicalType = try LogicalType.read(&reader)
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard sawName else { throw ParquetError.corrupt("schema element without a name") }
        return element
    }

    func write(_ writer: inout ThriftCompactWriter) {
        writer.beginStruct()
        if let type { writer.field(1, i32: type.rawValue) }
        if let typeLength { writer.field(2, i32: typeLength) }
        if let repetition { writer.field(3, i32: repetition.rawValue) }
        writer.field(4, string: name)
        if let numChildren { writer.field(5, i32: numChildren) }
        if let convertedType { writer.field(6, i32: convertedType.rawValue) }
        if let scale { writer.field(7, i32: scale) }
        if let precision { writer.field(8, i32: precision) }
        if let fieldId { writer.field(9, i32: fieldId) }
        if let logicalType { logicalType.write(&writer, fieldId: 10) }
        writer.endStruct()
    }
}
