import Columnar

extension ParquetReader {
    /// Judges a test of flat byte-array field `field` of row group `rowGroup` on its values where they
    /// lie in the pages, without building them (see `ColumnChunkDecoder+Judge`): `test` sees non-null
    /// values only, each page's PLAIN values in place, a dictionary's values once; a null row passes
    /// when `nullPasses`. One bit per row of `selection` (all rows when nil). Nil when the field is
    /// not a flat byte-array column.
    public func valueMask(
        rowGroup: Int, field: Int, selection: [Int32]?, nullPasses: Bool, test: @escaping (SpacedByteValues) -> Bitmap
    ) throws -> Bitmap? {
        guard let leaf = leafIndex(ofTopLevelField: field) else { return nil }
        let descriptor = parquetSchema.columns[leaf]
        guard descriptor.physicalType == .byteArray, descriptor.maxRepetitionLevel == 0 else { return nil }
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: descriptor.dottedPath)
        let data: LeafColumnData
        if let selection {
            data = try selection.withUnsafeBufferPointer { try readLeaf(rowGroup: rowGroup, column: leaf, selection: $0, judge: test) }
        } else {
            data = try readLeaf(rowGroup: rowGroup, column: leaf, judge: test)
        }
        let rows = data.slotCount
        let expected = selection?.count ?? rowCount(rowGroup: rowGroup)
        guard rows == expected else { throw ParquetError(.corrupt, "read \(rows) of \(expected) rows", at: location) }
        let passes = data.valuePasses
        var words = [UInt64](repeating: 0, count: (rows + 63) >> 6)
        let maxLevel = UInt8(descriptor.maxDefinitionLevel)
        try words.withUnsafeMutableBufferPointer { w in
            try passes.withUnsafeBufferPointer { p in
                if maxLevel == 0 {
                    guard p.count == rows else { throw ParquetError(.corrupt, "\(p.count) values for \(rows) rows", at: location) }
                    for row in 0..<rows where p[row] != 0 { w[row >> 6] |= UInt64(1) << UInt64(row & 63) }
                    return
                }
                // Nulls hold no value: walk the definition levels.
                var next = 0
                try data.definitionLevels.withUnsafeBufferPointer { levels in
                    guard levels.count == rows else {
                        throw ParquetError(.corrupt, "\(levels.count) definition levels for \(rows) rows", at: location)
                    }
                    for row in 0..<rows {
                        let pass: Bool
                        if levels[row] == maxLevel {
                            guard next < p.count else { throw ParquetError(.corrupt, "fewer values than levels say", at: location) }
                            pass = p[next] != 0
                            next += 1
                        } else {
                            pass = nullPasses
                        }
                        if pass { w[row >> 6] |= UInt64(1) << UInt64(row & 63) }
                    }
                }
            }
        }
        return Bitmap(words: words, count: rows)
    }
}
