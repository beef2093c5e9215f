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

    /// Judges `test` on the dictionary of a flat column instead of on its rows: when every data page
    /// of the chunk is dictionary-encoded, `test` sees each dictionary value once (and a null once,
    /// if the rows hold nulls), and the result is one bit per row of `selection` (all rows when nil)
    /// looked up through the rows' dictionary indices. Nil when some page is not dictionary-encoded,
    /// or when the dictionary holds more than `dictionaryValuesMax` values (judging them would cost
    /// more than judging the rows).
    ///
    /// `test` must judge every value alone and never fail, since it also sees values no selected row
    /// holds.
    public func dictionaryMask(
        rowGroup: Int, field: Int, selection: [Int32]?, dictionaryValuesMax: Int = Int.max,
        test: (ColumnVector) throws -> Bitmap
    ) throws -> Bitmap? {
        guard let leaf = leafIndex(ofTopLevelField: field) else { return nil }
        let descriptor = parquetSchema.columns[leaf]
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: descriptor.dottedPath)
        let data: LeafColumnData
        do {
            if let selection {
                data = try selection.withUnsafeBufferPointer {
                    try readLeaf(rowGroup: rowGroup, column: leaf, selection: $0, indicesOnly: true,
                                 dictionaryValuesMax: dictionaryValuesMax)
                }
            } else {
                data = try readLeaf(rowGroup: rowGroup, column: leaf, indicesOnly: true,
                                    dictionaryValuesMax: dictionaryValuesMax)
            }
        } catch is ColumnChunkDecoder.NotDictionaryEncoded {
            return nil
        } catch is ColumnChunkDecoder.DictionaryTooLarge {
            return nil
        }
        let rows = data.slotCount
        let expected = selection?.count ?? rowCount(rowGroup: rowGroup)
        guard rows == expected else {
            throw ParquetError(.corrupt, "read \(rows) of \(expected) rows", at: location)
        }
        let indices = data.dictionaryIndices
        let hasNulls = indices.count != rows
        // The test once per dictionary value, then for a null.
        var passes: [UInt8] = []
        if let dictionary = data.dictionary, dictionary.count > 0 {
            var values = LeafColumnData(descriptor: descriptor)
            values.values = dictionary
            values.slotCount = dictionary.count
            let vector = try withLocation(location) { try ColumnAssembler.assemble(values) }
            let mask = try test(vector)
            guard mask.count == vector.count else {
                throw ParquetError(.invalidArgument, "row test returned \(mask.count) bits for \(vector.count) values", at: location)
            }
            passes = (0..<mask.count).map { mask[$0] ? 1 : 0 }
        } else if !indices.isEmpty {
            throw ParquetError(.corrupt, "dictionary indices without a dictionary page", at: location)
        }
        var nullPasses = false
        if hasNulls {
            let (type, _) = try withLocation(location) { try descriptor.columnarType() }
            let mask = try test(ColumnVector.nulls(type, count: 1))
            nullPasses = mask.count == 1 && mask[0]
        }
        var words = [UInt64](repeating: 0, count: (rows + 63) >> 6)
        words.withUnsafeMutableBufferPointer { w in
            indices.withUnsafeBufferPointer { i in
                passes.withUnsafeBufferPointer { p in
                    if !hasNulls {
                        // A word of 64 rows at a time, without a branch per row (the passes are 0 or 1).
                        let whole = rows >> 6
                        for word in 0..<whole {
                            let base = word << 6
                            var bits: UInt64 = 0
                            for bit in 0..<64 { bits |= UInt64(p[Int(i[base + bit])]) << UInt64(bit) }
                            w[word] = bits
                        }
                        for row in (whole << 6)..<rows where p[Int(i[row])] != 0 { w[row >> 6] |= UInt64(1) << UInt64(row & 63) }
                        return
                    }
                    // Nulls have no index: walk the definition levels.
                    let maxLevel = UInt8(descriptor.maxDefinitionLevel)
                    var next = 0
                    data.definitionLevels.withUnsafeBufferPointer { levels in
                        for row in 0..<min(rows, levels.count) {
                            let pass: Bool
                            if levels[row] == maxLevel, next < i.count {
                                pass = p[Int(i[next])] != 0
                                next += 1
                            } else {
                                pass = nullPasses
                            }
                            if pass { w[row >> 6] |= UInt64(1) << UInt64(row & 63) }
                        }
                    }
                }
            }
        }
        return Bitmap(words: words, count: rows)
    }
}
