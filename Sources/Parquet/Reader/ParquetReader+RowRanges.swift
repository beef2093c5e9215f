import Columnar

extension ParquetReader {
    /// Reads only the rows of `rows` (ascending, disjoint ranges within the row group) of top-level
    /// primitive fields `fields`. Columns with an offset index decode just the pages those rows fall in;
    /// the others decode every page. Either way the batch holds exactly the selected rows, in order.
    public func readRowGroup(_ rowGroup: Int, fields: [Int], rows: [Range<Int>]) throws -> RecordBatch {
        let total = rowCount(rowGroup: rowGroup)
        var previousEnd = 0
        for range in rows {
            guard range.lowerBound >= previousEnd, range.upperBound <= total else {
                throw ParquetError(.invalidArgument, "row ranges must be ascending, disjoint and inside the row group",
                                   at: ParquetLocation(file: name, rowGroup: rowGroup))
            }
            previousEnd = range.upperBound
        }
        let schema = try self.schema(skippingNested: true)
        var outFields: [Field] = []
        var columns: [ColumnVector] = []
        for field in fields {
            guard let leaf = leafIndex(ofTopLevelField: field), let index = schema.index(of: parquetSchema.root.children[field].name) else {
                throw ParquetError(.unsupported, "field \(field) is not a primitive column", at: ParquetLocation(file: name))
            }
            outFields.append(schema.fields[index])
            columns.append(try readRows(rowGroup: rowGroup, leaf: leaf, rows: rows, total: total))
        }
        let count = rows.reduce(0) { $0 + $1.count }
        return RecordBatch(schema: Schema(outFields), columns: columns, rowCount: count)
    }

    /// Reads the rows of row group `rowGroup` that the page index does not rule out for `predicate`.
    public func readRowGroup(_ rowGroup: Int, fields: [Int], matching predicate: ParquetPredicate) throws -> RecordBatch {
        try readRowGroup(rowGroup, fields: fields, rows: try candidateRowRanges(rowGroup: rowGroup, matching: predicate))
    }

    private func readRows(rowGroup: Int, leaf: Int, rows: [Range<Int>], total: Int) throws -> ColumnVector {
        let descriptor = parquetSchema.columns[leaf]
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: descriptor.dottedPath)
        // Row spans of the data pages, from the offset index (flat columns: one value per row).
        var pageRows: [Range<Int>]?
        if let index = try offsetIndex(rowGroup: rowGroup, column: leaf) {
            let starts = index.pageLocations.map { Int($0.firstRowIndex) }
            if starts.first == 0, zip(starts, starts.dropFirst()).allSatisfy({ $0 < $1 }), (starts.last ?? 0) < max(total, 1) {
                pageRows = starts.indices.map { starts[$0]..<(($0 + 1 < starts.count) ? starts[$0 + 1] : total) }
            }
        }
        var keep: [Bool]?
        var decodedRows: [Range<Int>] = [0..<total]
        if let pageRows {
            let flags = pageRows.map { page in rows.contains { $0.overlaps(page) } }
            keep = flags
            decodedRows = zip(pageRows, flags).filter { $0.1 }.map { $0.0 }
        }
        let data = try readLeaf(rowGroup: rowGroup, column: leaf, keepDataPage: keep, widenDecimals: true)
        let vector = try withLocation(location) { try ColumnAssembler.assemble(data) }
        let decodedCount = decodedRows.reduce(0) { $0 + $1.count }
        guard vector.count == decodedCount else {
            throw ParquetError(.corrupt, "offset index rows (\(decodedCount)) disagree with the pages (\(vector.count))", at: location)
        }
        // Every decoded row wanted (the common case of no pruning): nothing to gather.
        if decodedRows == rows || (rows.count == 1 && rows[0] == 0..<total && decodedCount == total) { return vector }
        // Positions of the wanted rows among the decoded ones.
        var indices: [Int32] = []
        indices.reserveCapacity(rows.reduce(0) { $0 + $1.count })
        var base = 0
        var next = 0
        for span in decodedRows {
            while next < rows.count && rows[next].upperBound <= span.lowerBound { next += 1 }
            var probe = next
            while probe < rows.count && rows[probe].lowerBound < span.upperBound {
                let low = max(rows[probe].lowerBound, span.lowerBound)
                let high = min(rows[probe].upperBound, span.upperBound)
                for row in low..<high { indices.append(Int32(base + row - span.lowerBound)) }
                probe += 1
            }
            base += span.count
        }
        if indices.count == vector.count { return vector }
        return vector.take(indices)
    }
}
