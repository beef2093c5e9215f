import Columnar

/// Rebuilds nested values (Dremel record assembly) from the leaves of one top-level field.
///
/// Instances of a schema node are tracked as slot ranges in a leaf's level arrays: a row starts at
/// repetition level 0; under a repeated node with repetition level r, an element starts at the first
/// slot of a present parent and at every later slot of that parent whose repetition level is r.
/// A node's instance is present when the definition level at its first slot reaches the node's own.
struct NestedAssembler {
    let schema: ParquetSchema
    /// Decoded leaves by leaf index (only those under the field being assembled are needed).
    let leaves: [Int: LeafColumnData]

    /// Assembles top-level field `node`.
    func assemble(_ node: SchemaNode) throws -> NestedColumn {
        try build(node, path: [node])
    }

    private func build(_ node: SchemaNode, path: [SchemaNode]) throws -> NestedColumn {
        guard let leafIndex = Self.firstLeaf(node), let leaf = leaves[leafIndex] else {
            throw ParquetError.corrupt("group \(node.name) has no leaf column")
        }
        let ranges = try instances(path: path, leaf: leaf)
        if node.element.repetition == .repeated && path.count == 1 {
            // A bare repeated field at the top level is a required list of its elements.
            let rows = try instances(path: [], leaf: leaf)
            let offsets = Self.offsets(parents: rows, children: ranges)
            return .list(offsets: offsets, validity: nil, element: try buildAsRequired(node, path: path))
        }
        if node.isLeaf {
            return .leaf(try leafVector(leaf, ranges))
        }
        let validity = presence(ranges, leaf, level: node.maxDefinitionLevel, optional: node.element.repetition == .optional)
        let annotation = node.element.logicalType
        let converted = node.element.convertedType
        let isList = annotation == .list || converted == .list
        let isMap = annotation == .map || converted == .map || converted == .mapKeyValue
        if (isList || isMap), node.children.count == 1, node.children[0].element.repetition == .repeated {
            let repeated = node.children[0]
            let elementRanges = try instances(path: path + [repeated], leaf: leaf)
            let offsets = Self.offsets(parents: ranges, children: elementRanges)
            if isMap && repeated.children.count == 2 {
                let keys = try build(repeated.children[0], path: path + [repeated, repeated.children[0]])
                let values = try build(repeated.children[1], path: path + [repeated, repeated.children[1]])
                return .map(offsets: offsets, validity: validity, keys: keys, values: values)
            }
            // Three-level lists have one child under the repeated group; older two-level lists repeat
            // the element itself (a primitive, or a group of several fields).
            let element: NestedColumn
            if !repeated.isLeaf && repeated.children.count == 1 && !Self.isLegacyElementName(repeated, parent: node) {
                element = try build(repeated.children[0], path: path + [repeated, repeated.children[0]])
            } else {
                element = try buildAsRequired(repeated, path: path + [repeated])
            }
            return .list(offsets: offsets, validity: validity, element: element)
        }
        var children: [NestedColumn] = []
        for child in node.children {
            if child.element.repetition == .repeated {
                // A repeated field inside a struct is a list of that field.
                let childRanges = try instances(path: path + [child], leaf: leaves[Self.firstLeaf(child) ?? -1] ?? leaf)
                let parentRanges = try instances(path: path, leaf: leaves[Self.firstLeaf(child) ?? -1] ?? leaf)
                let offsets = Self.offsets(parents: parentRanges, children: childRanges)
                children.append(.list(offsets: offsets, validity: nil, element: try buildAsRequired(child, path: path + [child])))
            } else {
                children.append(try build(child, path: path + [child]))
            }
        }
        return .structure(names: node.children.map(\.name), children: children, validity: validity, count: ranges.count)
    }

    /// Builds a repeated node's element as a value (its instances are the list elements).
    private func buildAsRequired(_ node: SchemaNode, path: [SchemaNode]) throws -> NestedColumn {
        if node.isLeaf {
            guard let index = node.leafIndex, let leaf = leaves[index] else { throw ParquetError.corrupt("missing leaf \(node.name)") }
            return .leaf(try leafVector(leaf, try instances(path: path, leaf: leaf)))
        }
        var children: [NestedColumn] = []
        var count = 0
        for child in node.children {
            let column = try build(child, path: path + [child])
            count = column.count
            children.append(column)
        }
        return .structure(names: node.children.map(\.name), children: children, validity: nil, count: count)
    }

    /// The 2-level list rule: a repeated group named `array` or `<list>_tuple`, or with several
    /// children, is itself the element.
    static func isLegacyElementName(_ repeated: SchemaNode, parent: SchemaNode) -> Bool {
        repeated.name == "array" || repeated.name == parent.name + "_tuple"
    }

    /// Instance slot ranges of the last node of `path` (all rows when `path` is empty).
    private func instances(path: [SchemaNode], leaf: LeafColumnData) throws -> [Range<Int>] {
        let slots = leaf.slotCount
        let rep = leaf.repetitionLevels
        let def = leaf.definitionLevels
        guard slots > 0 else { return [] }
        // Rows: a new row starts at every slot with repetition level 0.
        var ranges: [Range<Int>] = []
        if rep.isEmpty {
            ranges = (0..<slots).map { $0..<($0 + 1) }
        } else {
            var start = 0
            for slot in 1..<slots where rep[slot] == 0 {
                ranges.append(start..<slot)
                start = slot
            }
            ranges.append(start..<slots)
        }
        // Each repeated node on the path splits its present parents into elements.
        for node in path where node.element.repetition == .repeated {
            let level = UInt8(node.maxRepetitionLevel)
            let defined = UInt8(node.maxDefinitionLevel)
            var next: [Range<Int>] = []
            next.reserveCapacity(ranges.count)
            for range in ranges {
                // A parent whose definition level stops short of the repeated node is null or empty.
                if def.isEmpty || def[range.lowerBound] >= defined {
                    next.append(contentsOf: Self.split(range, rep, level))
                }
            }
            ranges = next
        }
        return ranges
    }

    /// Splits `range` at every slot after the first whose repetition level is `level`.
    private static func split(_ range: Range<Int>, _ rep: [UInt8], _ level: UInt8) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = range.lowerBound
        for slot in (range.lowerBound + 1)..<range.upperBound where rep[slot] == level {
            out.append(start..<slot)
            start = slot
        }
        out.append(start..<range.upperBound)
        return out
    }

    private func presence(_ ranges: [Range<Int>], _ leaf: LeafColumnData, level: Int, optional: Bool) -> Bitmap? {
        guard optional, !leaf.definitionLevels.isEmpty else { return nil }
        let def = leaf.definitionLevels
        return Bitmap(ranges.map { def[$0.lowerBound] >= UInt8(level) })
    }

    private static func offsets(parents: [Range<Int>], children: [Range<Int>]) -> [Int32] {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(parents.count + 1)
        var child = 0
        for parent in parents {
            while child < children.count && children[child].lowerBound < parent.upperBound { child += 1 }
            offsets.append(Int32(child))
        }
        return offsets
    }

    /// The leaf's values at its instances, through the flat assembler (same type conversions).
    private func leafVector(_ leaf: LeafColumnData, _ ranges: [Range<Int>]) throws -> ColumnVector {
        var flatDescriptor = leaf.descriptor
        flatDescriptor.maxRepetitionLevel = 0
        var flat = LeafColumnData(descriptor: flatDescriptor)
        flat.values = leaf.values
        flat.slotCount = ranges.count
        if !leaf.definitionLevels.isEmpty {
            flat.definitionLevels = ranges.map { leaf.definitionLevels[$0.lowerBound] }
        }
        // Every stored value must land in exactly one slot; otherwise the levels contradict each other.
        let maxLevel = UInt8(leaf.descriptor.maxDefinitionLevel)
        let placed = flat.definitionLevels.isEmpty ? ranges.count : flat.definitionLevels.reduce(0) { $0 + ($1 == maxLevel ? 1 : 0) }
        guard placed == leaf.values.count else {
            throw ParquetError.corrupt("repetition levels of \(leaf.descriptor.dottedPath) place \(placed) of \(leaf.values.count) values")
        }
        return try ColumnAssembler.assemble(flat)
    }

    static func firstLeaf(_ node: SchemaNode) -> Int? {
        if let index = node.leafIndex { return index }
        for child in node.children { if let index = firstLeaf(child) { return index } }
        return nil
    }

    static func leafIndexes(_ node: SchemaNode) -> [Int] {
        if let index = node.leafIndex { return [index] }
        return node.children.flatMap { leafIndexes($0) }
    }
}

extension ParquetReader {
    /// Reads top-level field `field` of row group `rowGroup` in any shape (lists, structs, maps).
    public func readNested(rowGroup: Int, field: Int) throws -> NestedColumn {
        guard field >= 0, field < parquetSchema.root.children.count else {
            throw ParquetError(.invalidArgument, "no top-level field \(field)", at: ParquetLocation(file: name))
        }
        let node = parquetSchema.root.children[field]
        var leaves: [Int: LeafColumnData] = [:]
        for leaf in NestedAssembler.leafIndexes(node) { leaves[leaf] = try readLeaf(rowGroup: rowGroup, column: leaf) }
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: node.name)
        return try withLocation(location) { try NestedAssembler(schema: parquetSchema, leaves: leaves).assemble(node) }
    }
}
