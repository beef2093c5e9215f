import Columnar

/// How one top-level field is laid out in a written file: its schema elements (pre-order) and its
/// leaf columns. Flat fields have one leaf; nested fields (arrays, structs, maps) are written as
/// Spark writes them: `LIST` as a 3-level list (`<name>.list.element`), `MAP` as
/// `<name>.key_value.{key, value}`, structs as groups.
struct WriterFieldLayout {
    /// The shape of the field, for shredding vectors into levels.
    indirect enum Shape {
        /// Leaf number `leaf` (within the field).
        case leaf(Int, optional: Bool)
        case structure([Shape], optional: Bool)
        case list(Shape, optional: Bool)
        /// A map's entries: key then value under the repeated `key_value` group.
        case map(key: Shape, value: Shape, optional: Bool)
    }

    /// One leaf column: how its values are stored and its level bounds.
    struct Leaf {
        var column: WriterColumn
        var path: [String]
        var maxDefinitionLevel: Int
        var maxRepetitionLevel: Int
    }

    let field: Field
    var elements: [SchemaElement] = []
    var leaves: [Leaf] = []
    private(set) var shape: Shape = .leaf(0, optional: false)

    init(field: Field) throws {
        self.field = field
        shape = try layout(name: field.name, type: field.type, nullable: field.nullable, def: 0, rep: 0, path: [])
    }

    /// True when the field is a single flat column.
    var isFlat: Bool {
        if case .leaf = shape { return true }
        return false
    }

    private mutating func layout(name: String, type: DataType, nullable: Bool, def: Int, rep: Int,
                                 path: [String]) throws -> Shape {
        let repetition: Repetition = nullable ? .optional : .required
        let defined = def + (nullable ? 1 : 0)
        let here = path + [name]
        switch type {
        case let .struct(fields):
            guard !fields.isEmpty else {
                throw ParquetError(.unsupported, "struct column \(here.joined(separator: ".")) without fields")
            }
            elements.append(SchemaElement(name: name, repetition: repetition, numChildren: Int32(fields.count)))
            let children = try fields.map {
                try layout(name: $0.name, type: $0.type, nullable: $0.nullable, def: defined, rep: rep, path: here)
            }
            return .structure(children, optional: nullable)
        case let .array(element, containsNull):
            elements.append(SchemaElement(name: name, repetition: repetition, numChildren: 1, convertedType: .list,
                                          logicalType: .list))
            elements.append(SchemaElement(name: "list", repetition: .repeated, numChildren: 1))
            let child = try layout(name: "element", type: element, nullable: containsNull, def: defined + 1, rep: rep + 1,
                                   path: here + ["list"])
            return .list(child, optional: nullable)
        case let .map(key, value, valueContainsNull):
            elements.append(SchemaElement(name: name, repetition: repetition, numChildren: 1, convertedType: .map,
                                          logicalType: .map))
            elements.append(SchemaElement(name: "key_value", repetition: .repeated, numChildren: 2,
                                          convertedType: .mapKeyValue))
            let keyShape = try layout(name: "key", type: key, nullable: false, def: defined + 1, rep: rep + 1,
                                      path: here + ["key_value"])
            let valueShape = try layout(name: "value", type: value, nullable: valueContainsNull, def: defined + 1,
                                        rep: rep + 1, path: here + ["key_value"])
            return .map(key: keyShape, value: valueShape, optional: nullable)
        default:
            let column = try WriterColumn(field: Field(name, type, nullable: nullable))
            elements.append(column.element)
            leaves.append(Leaf(column: column, path: here, maxDefinitionLevel: defined, maxRepetitionLevel: rep))
            return .leaf(leaves.count - 1, optional: nullable)
        }
    }
}

/// Levels and value positions of one leaf, built by `NestedShredder`.
struct ShreddedLeaf {
    var definitionLevels: [UInt8] = []
    var repetitionLevels: [UInt8] = []
    /// Indexes into the leaf's vector of the values present (definition level at its maximum).
    var present: [Int32] = []
}

/// Dremel shredding: walks the rows of a nested vector and records, for every leaf, one definition
/// and repetition level per slot (value, null or empty list) and which leaf values are present.
struct NestedShredder {
    let layout: WriterFieldLayout
    private(set) var leaves: [ShreddedLeaf]
    /// The leaf vectors reached so far (the same vector for every row of a batch).
    private(set) var leafVectors: [ColumnVector?]

    init(layout: WriterFieldLayout) {
        self.layout = layout
        leaves = layout.leaves.map { _ in ShreddedLeaf() }
        leafVectors = layout.leaves.map { _ in nil }
    }

    /// Shreds every row of `vector` (the field's values).
    mutating func shred(_ vector: ColumnVector) throws {
        for row in 0..<vector.count {
            try visit(layout.shape, vector, row, def: 0, rep: 0, depth: 0)
        }
    }

    private mutating func visit(_ shape: WriterFieldLayout.Shape, _ vector: ColumnVector, _ index: Int, def: Int, rep: Int,
                                depth: Int) throws {
        switch shape {
        case let .leaf(leaf, optional):
            leafVectors[leaf] = vector
            if vector.isNull(index) {
                guard optional else { throw ParquetError(.invalidArgument, "a null in not-null \(path(leaf))") }
                emit(leaf, def: def, rep: rep)
            } else {
                emit(leaf, def: def + (optional ? 1 : 0), rep: rep)
                leaves[leaf].present.append(Int32(truncatingIfNeeded: index))
            }
        case let .structure(children, optional):
            if vector.isNull(index) {
                guard optional else { throw ParquetError(.invalidArgument, "a null in a not-null struct") }
                emitAll(shape, def: def, rep: rep)
                return
            }
            guard case let .struct(fields) = vector.storage, fields.count == children.count else {
                throw ParquetError(.invalidArgument, "column of type \(vector.type) is not a struct")
            }
            for (child, field) in zip(children, fields) {
                try visit(child, field, index, def: def + (optional ? 1 : 0), rep: rep, depth: depth)
            }
        case let .list(element, optional):
            try visitRepeated(shape, vector, index, def: def, rep: rep, depth: depth, optional: optional) { me, values, at, d, r in
                try me.visit(element, values, at, def: d, rep: r, depth: depth + 1)
            }
        case let .map(key, value, optional):
            try visitRepeated(shape, vector, index, def: def, rep: rep, depth: depth, optional: optional) { me, entries, at, d, r in
                guard case let .struct(parts) = entries.storage, parts.count == 2 else {
                    throw ParquetError(.invalidArgument, "map entries are not key-value structs")
                }
                try me.visit(key, parts[0], at, def: d, rep: r, depth: depth + 1)
                try me.visit(value, parts[1], at, def: d, rep: r, depth: depth + 1)
            }
        }
    }

    /// A list or map slot: null, empty, or elements whose first keeps the caller's repetition level
    /// and whose others repeat at this level (`depth + 1`).
    private mutating func visitRepeated(
        _ shape: WriterFieldLayout.Shape, _ vector: ColumnVector, _ index: Int, def: Int, rep: Int, depth: Int,
        optional: Bool, _ element: (inout NestedShredder, ColumnVector, Int, Int, Int) throws -> Void
    ) throws {
        if vector.isNull(index) {
            guard optional else { throw ParquetError(.invalidArgument, "a null in a not-null list") }
            emitAll(shape, def: def, rep: rep)
            return
        }
        guard case let .list(offsets, values) = vector.storage, index + 1 < offsets.count else {
            throw ParquetError(.invalidArgument, "column of type \(vector.type) is not a list")
        }
        let defined = def + (optional ? 1 : 0)
        let start = Int(offsets[index])
        let end = Int(offsets[index + 1])
        guard start <= end, end <= values.count else { throw ParquetError(.invalidArgument, "list offsets out of range") }
        if start == end {
            emitAll(shape, def: defined, rep: rep)
            return
        }
        for at in start..<end {
            try element(&self, values, at, defined + 1, at == start ? rep : depth + 1)
        }
    }

    private mutating func emit(_ leaf: Int, def: Int, rep: Int) {
        leaves[leaf].definitionLevels.append(UInt8(truncatingIfNeeded: def))
        leaves[leaf].repetitionLevels.append(UInt8(truncatingIfNeeded: rep))
    }

    /// Every leaf under `shape` gets a slot at these levels (a null or empty ancestor).
    private mutating func emitAll(_ shape: WriterFieldLayout.Shape, def: Int, rep: Int) {
        switch shape {
        case let .leaf(leaf, _): emit(leaf, def: def, rep: rep)
        case let .structure(children, _): for child in children { emitAll(child, def: def, rep: rep) }
        case let .list(element, _): emitAll(element, def: def, rep: rep)
        case let .map(key, value, _):
            emitAll(key, def: def, rep: rep)
            emitAll(value, def: def, rep: rep)
        }
    }

    private func path(_ leaf: Int) -> String { layout.leaves[leaf].path.joined(separator: ".") }
}
