import Columnar

/// The Columnar types of nested Parquet fields, and `NestedColumn`s turned into Columnar's nested
/// vectors (`array`, `struct`, `map` in Arrow layout).
///
/// The type of a field follows the same rules as record assembly (`NestedAssembler`): LIST and MAP
/// annotations (3-level lists, 2-level legacy lists, repeated groups as structs), a bare repeated
/// field as a non-null array. Types come from the schema alone, so every row group of a file (and
/// every file of a dataset) gives the same type whatever its data.
enum NestedColumnarTypes {
    /// The Columnar type of top-level field `node`.
    static func type(of node: SchemaNode, in schema: ParquetSchema) throws -> DataType {
        if node.element.repetition == .repeated {
            return .array(element: try requiredType(node, schema), containsNull: false)
        }
        return try type(node, schema)
    }

    private static func type(_ node: SchemaNode, _ schema: ParquetSchema) throws -> DataType {
        if node.isLeaf { return try leafType(node, schema) }
        let annotation = node.element.logicalType
        let converted = node.element.convertedType
        let isList = annotation == .list || converted == .list
        let isMap = annotation == .map || converted == .map || converted == .mapKeyValue
        if isList || isMap, node.children.count == 1, node.children[0].element.repetition == .repeated {
            let repeated = node.children[0]
            if isMap && repeated.children.count == 2 {
                let value = repeated.children[1]
                return .map(key: try type(repeated.children[0], schema), value: try type(value, schema),
                            valueContainsNull: value.element.repetition != .required)
            }
            if !repeated.isLeaf && repeated.children.count == 1 && !NestedAssembler.isLegacyElementName(repeated, parent: node) {
                let element = repeated.children[0]
                return .array(element: try type(element, schema), containsNull: element.element.repetition != .required)
            }
            return .array(element: try requiredType(repeated, schema), containsNull: false)
        }
        return .struct(try node.children.map { child in
            if child.element.repetition == .repeated {
                return StructField(child.name, .array(element: try requiredType(child, schema), containsNull: false), nullable: false)
            }
            return StructField(child.name, try type(child, schema), nullable: child.element.repetition != .required)
        })
    }

    /// The type of a repeated node's instances: a leaf's value, or a struct of the group's fields.
    private static func requiredType(_ node: SchemaNode, _ schema: ParquetSchema) throws -> DataType {
        if node.isLeaf { return try leafType(node, schema) }
        return .struct(try node.children.map {
            StructField($0.name, try type($0, schema), nullable: $0.element.repetition != .required)
        })
    }

    private static func leafType(_ node: SchemaNode, _ schema: ParquetSchema) throws -> DataType {
        guard let index = node.leafIndex, index < schema.columns.count else {
            throw ParquetError.corrupt("leaf \(node.name) has no column")
        }
        return try schema.columns[index].columnarType().0
    }

    /// `column` as a Columnar vector of `type` (from `type(of:in:)` for the same field).
    static func vector(_ column: NestedColumn, _ type: DataType) throws -> ColumnVector {
        switch (column, type) {
        case let (.leaf(vector), _):
            guard vector.type == type else {
                throw ParquetError.corrupt("leaf of type \(vector.type) where the schema gives \(type)")
            }
            return vector
        case let (.list(offsets, validity, element), .array(elementType, _)):
            let values = try vector(element, elementType)
            try checkOffsets(offsets, childCount: values.count)
            return ColumnVector(type: type, count: offsets.count - 1, storage: .list(offsets: offsets, values: values),
                                validity: validity)
        case let (.structure(_, children, validity, count), .struct(fields)):
            guard children.count == fields.count else {
                throw ParquetError.corrupt("struct of \(children.count) fields where the schema gives \(fields.count)")
            }
            let vectors = try zip(children, fields).map { try vector($0.0, $0.1.type) }
            guard vectors.allSatisfy({ $0.count == count }) else {
                throw ParquetError.corrupt("struct fields of different lengths")
            }
            return ColumnVector(type: type, count: count, storage: .struct(vectors), validity: validity)
        case let (.map(offsets, validity, keys, values), .map(keyType, valueType, valueContainsNull)):
            let keyVector = try vector(keys, keyType)
            let valueVector = try vector(values, valueType)
            guard keyVector.count == valueVector.count else {
                throw ParquetError.corrupt("map with \(keyVector.count) keys and \(valueVector.count) values")
            }
            guard keyVector.nullCount == 0 else { throw ParquetError.corrupt("map key is null") }
            let entryType = DataType.mapEntry(key: keyType, value: valueType, valueContainsNull: valueContainsNull)
            let entries = ColumnVector(type: entryType, count: keyVector.count, storage: .struct([keyVector, valueVector]),
                                       validity: nil)
            try checkOffsets(offsets, childCount: entries.count)
            return ColumnVector(type: type, count: offsets.count - 1, storage: .list(offsets: offsets, values: entries),
                                validity: validity)
        default:
            throw ParquetError.corrupt("assembled column does not have the shape of \(type)")
        }
    }

    /// Offsets must start at 0, never decrease and end at the child's length.
    private static func checkOffsets(_ offsets: [Int32], childCount: Int) throws {
        guard let first = offsets.first, first == 0, Int(offsets[offsets.count - 1]) == childCount,
              zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else { throw ParquetError.corrupt("list offsets do not cover the \(childCount) elements") }
    }
}
