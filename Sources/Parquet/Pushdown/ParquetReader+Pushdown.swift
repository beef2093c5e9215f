import Columnar

extension ParquetReader {
    /// The row groups that might hold rows satisfying `predicate`, judged by column chunk statistics.
    /// Columns the predicate names that are missing or nested are treated as unknown (kept).
    public func rowGroups(matching predicate: ParquetPredicate) -> [Int] {
        (0..<rowGroupCount).filter { group in
            predicate.mightMatch { name in self.chunkSummary(rowGroup: group, column: name) }
        }
    }

    /// Statistics are only trusted when their order is defined: with `column_orders` present (type
    /// order) or, for the legacy fields, where signed order is the type's order (numbers, dates).
    private func chunkSummary(rowGroup: Int, column name: String) -> ColumnSummary? {
        guard let field = topLevelFieldIndex(named: name), let leaf = leafIndex(ofTopLevelField: field) else { return nil }
        let descriptor = parquetSchema.columns[leaf]
        guard let meta = metadata.rowGroups[rowGroup].columns[leaf].metaData, let stats = meta.statistics else { return nil }
        let rows = Int(metadata.rowGroups[rowGroup].numRows)
        var summary = ColumnSummary(min: nil, max: nil, nullCount: stats.nullCount.map { Int($0) }, valueCount: rows)
        let ordered: Bool
        if let orders = metadata.columnOrders, leaf < orders.count { ordered = orders[leaf] == .typeDefined } else { ordered = false }
        if ordered, let low = stats.minValue, let high = stats.maxValue {
            summary.min = StatisticsDecoding.scalar(low, descriptor)
            summary.max = StatisticsDecoding.scalar(high, descriptor)
        } else if let low = stats.legacyMin, let high = stats.legacyMax, Self.legacyOrderIsTypeOrder(descriptor) {
            summary.min = StatisticsDecoding.scalar(low, descriptor)
            summary.max = StatisticsDecoding.scalar(high, descriptor)
        }
        return summary
    }

    private static func legacyOrderIsTypeOrder(_ descriptor: ColumnDescriptor) -> Bool {
        guard let (_, conversion) = try? descriptor.columnarType(), conversion != .unsignedInt32ToInt64,
              conversion != .unsignedInt64ToDecimal
        else { return false }
        switch descriptor.physicalType {
        case .int32, .int64, .float, .double: return true
        default: return false
        }
    }

    /// The column index of a chunk (page bounds), if the file has a page index.
    public func columnIndex(rowGroup: Int, column: Int) throws -> ColumnIndex? {
        let chunk = metadata.rowGroups[rowGroup].columns[column]
        guard let offset = chunk.columnIndexOffset, let length = chunk.columnIndexLength else { return nil }
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: parquetSchema.columns[column].dottedPath)
        return try withLocation(location) {
            let bytes = try readIndexBytes(offset: offset, length: length)
            return try bytes.withUnsafeBytes { try ColumnIndex.decode($0) }
        }
    }

    /// The offset index of a chunk (page locations), if the file has a page index.
    public func offsetIndex(rowGroup: Int, column: Int) throws -> OffsetIndex? {
        let chunk = metadata.rowGroups[rowGroup].columns[column]
        guard let offset = chunk.offsetIndexOffset, let length = chunk.offsetIndexLength else { return nil }
        let location = ParquetLocation(file: name, rowGroup: rowGroup, column: parquetSchema.columns[column].dottedPath)
        return try withLocation(location) {
            let bytes = try readIndexBytes(offset: offset, length: length)
            return try bytes.withUnsafeBytes { try OffsetIndex.decode($0) }
        }
    }

    /// Row ranges of row group `rowGroup` that might satisfy `predicate`, from the page index: a page
    /// is excluded when its bounds rule the predicate out. Columns without a page index keep all rows.
    public func candidateRowRanges(rowGroup: Int, matching predicate: ParquetPredicate) throws -> [Range<Int>] {
        let rows = rowCount(rowGroup: rowGroup)
        var keep = [Range<Int>]([0..<rows])
        for name in predicate.columns {
            guard let field = topLevelFieldIndex(named: name), let leaf = leafIndex(ofTopLevelField: field),
                  let offsets = try offsetIndex(rowGroup: rowGroup, column: leaf),
                  let pages = try columnIndex(rowGroup: rowGroup, column: leaf),
                  pages.nullPages.count == offsets.pageLocations.count
            else { continue }
            let descriptor = parquetSchema.columns[leaf]
            var ranges: [Range<Int>] = []
            for (page, location) in offsets.pageLocations.enumerated() {
                let start = Int(location.firstRowIndex)
                let end = page + 1 < offsets.pageLocations.count ? Int(offsets.pageLocations[page + 1].firstRowIndex) : rows
                guard start < end, end <= rows else { continue }
                var summary = ColumnSummary(min: nil, max: nil, nullCount: pages.nullCounts.map { Int($0[page]) },
                                            valueCount: end - start)
                if !pages.nullPages[page] {
                    summary.min = StatisticsDecoding.scalar(pages.minValues[page], descriptor)
                    summary.max = StatisticsDecoding.scalar(pages.maxValues[page], descriptor)
                }
                // Judge the whole predicate with only this column known; other columns stay unknown.
                let lowered = name
                if predicate.mightMatch({ $0.lowercased() == lowered ? summary : nil }) { ranges.append(start..<end) }
            }
            keep = Self.intersect(keep, ranges)
        }
        return keep
    }

    private func readIndexBytes(offset: Int64, length: Int32) throws -> [UInt8] {
        guard offset >= 0, length >= 0, Int(length) <= ParquetLimits.footerBytesMax else {
            throw ParquetError.corrupt("page index range \(offset)+\(length) is invalid")
        }
        return try readRange(offset: Int(offset), count: Int(length))
    }

    private static func intersect(_ a: [Range<Int>], _ b: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            let low = max(a[i].lowerBound, b[j].lowerBound)
            let high = min(a[i].upperBound, b[j].upperBound)
            if low < high {
                if let last = out.last, last.upperBound == low { out[out.count - 1] = last.lowerBound..<high } else { out.append(low..<high) }
            }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return out
    }
}
