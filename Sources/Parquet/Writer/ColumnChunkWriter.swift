/// Encodes one column chunk of a row group: optional dictionary page, then v1 data pages of at most
/// `pageBytes` / `pageRowsMax`, each compressed; collects the chunk metadata, statistics and the
/// page index entries.
struct ColumnChunkWriter {
    struct Output {
        var bytes: [UInt8]
        var metaData: ColumnMetaData
        /// Page bounds for the column index; nil when a page's bounds cannot be written (all NaN).
        var columnIndex: ColumnIndex?
        /// Page locations relative to the chunk start.
        var pageLocations: [PageLocation]
    }

    let column: WriterColumn
    let options: ParquetWriteOptions
    /// The leaf's path in the schema (the field name for a flat column).
    var path: [String]
    /// The leaf's largest definition level (0: required, flat; 1: optional, flat; more when nested).
    var maxDefinitionLevel: Int
    /// The leaf's largest repetition level (0 unless under a list or map).
    var maxRepetitionLevel: Int

    /// A writer for a flat column (one slot per row).
    init(column: WriterColumn, options: ParquetWriteOptions) {
        self.init(column: column, options: options, path: [column.field.name],
                  maxDefinitionLevel: column.element.repetition == .optional ? 1 : 0, maxRepetitionLevel: 0)
    }

    /// A writer for any leaf, flat or nested.
    init(column: WriterColumn, options: ParquetWriteOptions, path: [String], maxDefinitionLevel: Int,
         maxRepetitionLevel: Int) {
        self.column = column
        self.options = options
        self.path = path
        self.maxDefinitionLevel = maxDefinitionLevel
        self.maxRepetitionLevel = maxRepetitionLevel
    }

    /// Encodes `values` (dense) with definition `levels` (empty when the maximum definition level is 0)
    /// and `repetition` levels (empty when the maximum repetition level is 0) over `rows` rows.
    /// `chunkOffset` is where the chunk will start in the file. Pages end at row boundaries.
    func write(values: DecodedValues, levels: [UInt8], repetition: [UInt8] = [], rows: Int,
               chunkOffset: Int) throws -> Output {
        let optional = maxDefinitionLevel > 0
        let repeated = maxRepetitionLevel > 0
        let slots = optional ? levels.count : (repeated ? repetition.count : rows)
        // Where each row's slots start (one slot per row unless repeated).
        var rowStarts: [Int] = []
        if repeated {
            rowStarts.reserveCapacity(rows + 1)
            for (slot, level) in repetition.enumerated() where level == 0 { rowStarts.append(slot) }
            guard rowStarts.count == rows else {
                throw ParquetError(.invalidArgument, "\(rowStarts.count) rows in the levels of \(path.joined(separator: ".")), \(rows) expected")
            }
            rowStarts.append(slots)
        }
        @inline(__always) func slot(_ row: Int) -> Int { repeated ? rowStarts[row] : row }
        let definedLevel = UInt8(truncatingIfNeeded: maxDefinitionLevel)
        let definitionWidth = Self.bitWidth(maxDefinitionLevel)
        let repetitionWidth = Self.bitWidth(maxRepetitionLevel)
        var out: [UInt8] = []
        var encodings: [Encoding] = [.rle]
        var uncompressedTotal = 0
        var scratch: [UInt8] = []
        var compressed: [UInt8] = []

        var dictionary: DictionaryBuilder.Result?
        if options.dictionary && values.count > 0 {
            dictionary = DictionaryBuilder.build(values, bytesMax: options.dictionaryPageBytesMax)
        }
        var dictionaryOffset: Int?
        if let dictionary {
            scratch.removeAll(keepingCapacity: true)
            PlainEncoder.encode(dictionary.dictionary, 0..<dictionary.dictionary.count, into: &scratch)
            try PageCompressor.compress(scratch, codec: options.compression, into: &compressed)
            var header = PageHeader(type: .dictionaryPage, uncompressedPageSize: try int32(scratch.count),
                                    compressedPageSize: try int32(compressed.count))
            header.dictionaryPageHeader = DictionaryPageHeader(
                numValues: try int32(dictionary.dictionary.count), encoding: .plain, isSorted: false)
            dictionaryOffset = chunkOffset + out.count
            uncompressedTotal += appendPage(header, compressed, &out) - compressed.count + scratch.count
            encodings.append(.plain)
            encodings.append(.rleDictionary)
        } else {
            encodings.append(.plain)
        }

        // Rows per page from the average encoded size of a value.
        let approxBytes = max(1, estimatedBytes(values) / max(1, values.count))
        let rowsPerPage = max(1, min(options.pageRowsMax, options.pageBytes / approxBytes))
        let signedBytes = column.element.logicalType.map { if case .decimal = $0 { return true } else { return false } } ?? false
        var index = ColumnIndex(nullPages: [], minValues: [], maxValues: [], boundaryOrder: .unordered, nullCounts: [])
        var indexUsable = true
        var locations: [PageLocation] = []
        var dataPageOffset: Int?
        var chunkMin: [UInt8]?
        var chunkMax: [UInt8]?
        var nullCount = 0
        var row = 0
        var dense = 0
        while row < rows || (rows == 0 && locations.isEmpty) {
            let end = min(rows, row + rowsPerPage)
            let slotRange = slot(row)..<slot(end)
            var present = slotRange.count
            if optional {
                present = 0
                for k in slotRange where levels[k] == definedLevel { present += 1 }
            }
            let range = dense..<(dense + present)
            scratch.removeAll(keepingCapacity: true)
            // Data page v1: repetition levels, then definition levels, each RLE with a length prefix.
            if repeated { Self.appendLevels(repetition[slotRange], bitWidth: repetitionWidth, into: &scratch) }
            if optional { Self.appendLevels(levels[slotRange], bitWidth: definitionWidth, into: &scratch) }
            if let dictionary {
                let width = dictionary.dictionary.count <= 1 ? 0 : Int.bitWidth - (dictionary.dictionary.count - 1).leadingZeroBitCount
                scratch.append(UInt8(width))
                dictionary.indices[range].withUnsafeBufferPointer { buffer in
                    scratch.append(contentsOf: RleBitPackedEncoder.encode(buffer, bitWidth: width))
                }
            } else {
                PlainEncoder.encode(values, range, into: &scratch)
            }
            try PageCompressor.compress(scratch, codec: options.compression, into: &compressed)
            var header = PageHeader(type: .dataPage, uncompressedPageSize: try int32(scratch.count),
                                    compressedPageSize: try int32(compressed.count))
            header.dataPageHeader = DataPageHeader(
                numValues: try int32(slotRange.count), encoding: dictionary == nil ? .plain : .rleDictionary,
                definitionLevelEncoding: .rle, repetitionLevelEncoding: .rle, statistics: nil)
            let pageStart = out.count
            if dataPageOffset == nil { dataPageOffset = chunkOffset + pageStart }
            let written = appendPage(header, compressed, &out)
            uncompressedTotal += written - compressed.count + scratch.count
            locations.append(PageLocation(offset: Int64(pageStart), compressedPageSize: try int32(written),
                                          firstRowIndex: Int64(row)))
            let pageNulls = slotRange.count - present
            nullCount += pageNulls
            let bounds = StatisticsBuilder.bounds(values, range, signedBytes: signedBytes)
            if present > 0 && bounds == nil { indexUsable = false }
            index.nullPages.append(present == 0)
            index.minValues.append(bounds?.min ?? [])
            index.maxValues.append(bounds?.max ?? [])
            index.nullCounts?.append(Int64(pageNulls))
            if let bounds {
                if let current = chunkMin {
                    if less(bounds.min, current, signedBytes, values.physicalType) { chunkMin = bounds.min }
                } else {
                    chunkMin = bounds.min
                }
                if let current = chunkMax {
                    if less(current, bounds.max, signedBytes, values.physicalType) { chunkMax = bounds.max }
                } else {
                    chunkMax = bounds.max
                }
            }
            row = end
            dense += present
            if rows == 0 { break }
        }

        var statistics: Statistics?
        if options.statistics {
            statistics = Statistics(nullCount: Int64(nullCount), minValue: chunkMin, maxValue: chunkMax)
        }
        let meta = ColumnMetaData(
            type: column.physicalType, encodings: encodings, pathInSchema: path,
            codec: options.compression, numValues: Int64(slots), totalUncompressedSize: Int64(uncompressedTotal),
            totalCompressedSize: Int64(out.count), keyValueMetadata: nil,
            dataPageOffset: Int64(dataPageOffset ?? chunkOffset), indexPageOffset: nil,
            dictionaryPageOffset: dictionaryOffset.map(Int64.init), statistics: statistics)
        return Output(bytes: out, metaData: meta, columnIndex: indexUsable ? index : nil, pageLocations: locations)
    }

    /// The bits a level of at most `maxLevel` needs.
    static func bitWidth(_ maxLevel: Int) -> Int { maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount }

    /// RLE / bit-packed levels with their 4-byte length prefix.
    private static func appendLevels(_ levels: ArraySlice<UInt8>, bitWidth: Int, into out: inout [UInt8]) {
        let wide = levels.map { UInt32($0) }
        let encoded = wide.withUnsafeBufferPointer { RleBitPackedEncoder.encode($0, bitWidth: bitWidth) }
        withUnsafeBytes(of: UInt32(encoded.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: encoded)
    }

    /// Appends a header and body; returns the bytes written.
    private func appendPage(_ header: PageHeader, _ body: [UInt8], _ out: inout [UInt8]) -> Int {
        var writer = ThriftCompactWriter()
        header.write(&writer)
        out.append(contentsOf: writer.bytes)
        out.append(contentsOf: body)
        return writer.bytes.count + body.count
    }

    private func int32(_ value: Int) throws -> Int32 {
        guard let narrow = Int32(exactly: value) else {
            throw ParquetError(.unsupported, "page of \(value) bytes or values exceeds Parquet's 32-bit sizes")
        }
        return narrow
    }

    private func estimatedBytes(_ values: DecodedValues) -> Int {
        switch values.physicalType {
        case .boolean: return values.count / 8 + 1
        case .int32, .float: return values.count * 4
        case .int64, .double: return values.count * 8
        case .byteArray: return values.bytes.count + 4 * values.count
        case .fixedLenByteArray, .int96: return values.bytes.count
        }
    }

    /// Compares two PLAIN-encoded bounds in the column's order (for merging page bounds).
    private func less(_ a: [UInt8], _ b: [UInt8], _ signedBytes: Bool, _ type: PhysicalType) -> Bool {
        switch type {
        case .boolean: return a[0] < b[0]
        case .int32: return load(a, Int32.self) < load(b, Int32.self)
        case .int64: return load(a, Int64.self) < load(b, Int64.self)
        case .float: return load(a, Float.self) < load(b, Float.self)
        case .double: return load(a, Double.self) < load(b, Double.self)
        default:
            if signedBytes, let x = a.first, let y = b.first, x ^ 0x80 != y ^ 0x80 { return x ^ 0x80 < y ^ 0x80 }
            return a.lexicographicallyPrecedes(b)
        }
    }

    private func load<T>(_ bytes: [UInt8], _: T.Type) -> T {
        bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }
}
