/// A node of the schema tree rebuilt from the footer's depth-first list of elements.
public struct SchemaNode: Sendable {
    /// The element as stored in the footer.
    public var element: SchemaElement
    /// Children, in order; empty for leaves.
    public var children: [SchemaNode]
    /// Maximum definition level of this node (counting optional and repeated ancestors and itself).
    public var maxDefinitionLevel: Int
    /// Maximum repetition level of this node (counting repeated ancestors and itself).
    public var maxRepetitionLevel: Int
    /// For leaves, the index of the leaf column in the file (column chunk order).
    public var leafIndex: Int?

    /// The name of the node.
    public var name: String { element.name }
    /// True for primitive (leaf) nodes.
    public var isLeaf: Bool { element.type != nil }
}

/// A leaf column: where it sits in the tree and how its values are stored.
public struct ColumnDescriptor: Sendable {
    /// Names from the root's child down to the leaf.
    public var path: [String]
    /// The leaf's element.
    public var element: SchemaElement
    /// The physical type.
    public var physicalType: PhysicalType
    /// Byte width of fixed-length values (0 for other types).
    public var typeLength: Int
    /// Definition level of a fully defined value of this leaf.
    public var maxDefinitionLevel: Int
    /// Repetition level of this leaf's innermost repeated ancestor.
    public var maxRepetitionLevel: Int
    /// The index of the top-level field (child of the root) this leaf belongs to.
    public var topLevelField: Int

    /// The path joined with dots, as errors and Spark name nested columns.
    public var dottedPath: String { path.joined(separator: ".") }
}

/// The schema of a Parquet file: the tree and its leaf columns.
public struct ParquetSchema: Sendable {
    /// The root group.
    public var root: SchemaNode
    /// Leaf columns in file order.
    public var columns: [ColumnDescriptor]

    /// The nesting depth accepted when rebuilding the tree (real schemas nest far less).
    static let depthMax = 64

    /// Rebuilds the tree from the flattened elements, checking that child counts are consistent.
    public init(elements: [SchemaElement]) throws {
        guard let first = elements.first else { throw ParquetError.corrupt("empty schema") }
        guard first.type == nil else { throw ParquetError.corrupt("schema root is not a group") }
        var position = 1
        var leaves: [ColumnDescriptor] = []
        var root = SchemaNode(element: first, children: [], maxDefinitionLevel: 0, maxRepetitionLevel: 0)
        let childCount = Int(first.numChildren ?? 0)
        guard childCount >= 0, childCount <= elements.count - 1 else {
            throw ParquetError.corrupt("schema root claims \(childCount) children")
        }
        for topIndex in 0..<childCount {
            let child = try Self.build(
                elements, &position, parentDef: 0, parentRep: 0, path: [], top: topIndex, depth: 1, leaves: &leaves)
            root.children.append(child)
        }
        guard position == elements.count else {
            throw ParquetError.corrupt("schema has \(elements.count - position) elements outside the tree")
        }
        self.root = root
        self.columns = leaves
    }

    private static func build(
        _ elements: [SchemaElement], _ position: inout Int, parentDef: Int, parentRep: Int, path: [String],
        top: Int, depth: Int, leaves: inout [ColumnDescriptor]
    ) throws -> SchemaNode {
        guard depth <= depthMax else { throw ParquetError.corrupt("schema nests deeper than \(depthMax)") }
        guard position < elements.count else { throw ParquetError.corrupt("schema ends inside a group") }
        let element = elements[position]
        position += 1
        let repetition = element.repetition ?? .required
        let def = parentDef + (repetition == .required ? 0 : 1)
        let rep = parentRep + (repetition == .repeated ? 1 : 0)
        var node = SchemaNode(element: element, children: [], maxDefinitionLevel: def, maxRepetitionLevel: rep)
        let childPath = path + [element.name]
        if let type = element.type {
            var width = 0
            if type == .fixedLenByteArray {
                guard let length = element.typeLength, length > 0 else {
                    throw ParquetError.corrupt("FIXED_LEN_BYTE_ARRAY column \(element.name) has no positive length")
                }
                width = Int(length)
            } else if type == .int96 {
                width = 12
            }
            node.leafIndex = leaves.count
            leaves.append(ColumnDescriptor(
                path: childPath, element: element, physicalType: type, typeLength: width,
                maxDefinitionLevel: def, maxRepetitionLevel: rep, topLevelField: top))
            return node
        }
        let count = Int(element.numChildren ?? 0)
        guard count >= 0, count <= elements.count - position else {
            throw ParquetError.corrupt("group \(element.name) claims \(count) children")
        }
        for _ in 0..<count {
            node.children.append(try build(
                elements, &position, parentDef: def, parentRep: rep, path: childPath, top: top, depth: depth + 1,
                leaves: &leaves))
        }
        return node
    }
}
