import Columnar

extension ParquetReader {
    /// Reads top-level primitive field `field` of row group `rowGroup` at just the rows `selection`
    /// (ascending row numbers within the row group): pages without a selected row are not
    /// decompressed, and from the others only the selected values are kept (dictionary pages gather
    /// only the selected indices). The vector holds one value per selected row, in order.
    public func readColumn(rowGroup: Int, field: Int, selection: [Int32]) throws -> ColumnVector {
        guard let leaf = leafIndex(ofTopLevelField: field) else {
            throw ParquetError(.unsupported, "field \(field) is not a primitive column", at: ParquetLocation(file: name))
        }
        let total = rowCount(rowGroup: rowGroup)
        // One branch-free pass: count the rows that do not follow their predecessor.
        var disordered = 0
        selection.withUnsafeBufferPointer { rows in
            var previous: Int32 = -1
            for row in rows {
                disordered &+= row <= previous ? 1 : 0
                previous = row
            }
        }
        guard disordered == 0, (selection.last.map { Int($0) < total } ?? true) else {
            throw ParquetError(.invalidArgument, "selected rows must be ascending and inside the row group",
                               at: ParquetLocation(file: name, rowGroup: rowGroup))
        }
        let data = try selection.withUnsafeBufferPointer { try readLeaf(rowGroup: rowGroup, column: leaf, selection: $0, widenDecimals: true) }
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: data.descriptor.dottedPath)
        let vector = try withLocation(location) { try ColumnAssembler.assemble(data) }
        guard vector.count == selection.count else {
            throw ParquetError(.corrupt, "read \(vector.count) of \(selection.count) selected rows", at: location)
        }
        return vector
    }

    /// Reads top-level primitive field `field` of row group `rowGroup`, only the rows of `rows`
    /// (ascending, disjoint ranges; see `readRowGroup(_:fields:rows:)`).
    public func readColumn(rowGroup: Int, field: Int, rows: [Range<Int>]) throws -> ColumnVector {
        try readRowGroup(rowGroup, fields: [field], rows: rows).columns[0]
    }
}
