import Columnar

/// Decodes the pages of one column chunk into `LeafColumnData`.
///
/// Handles dictionary pages, data pages v1 and v2, every compression codec of `PageDecompressor` and
/// every value encoding of the format. Scratch buffers live in the decoder and are reused page to page.
struct ColumnChunkDecoder {
    let descriptor: ColumnDescriptor
    let codec: ParquetCompression
    /// Values the chunk's metadata declares.
    let declaredValues: Int
    /// The chunk's size once decompressed, as its metadata declares (0 when it claims less).
    let uncompressedBytes: Int
    var dictionary: DecodedValues?
    private var decompressed: [UInt8] = []
    var indices: [UInt32] = []
    private var pageLevels: [UInt8] = []
    /// Positions (among a page's dense values) of the selected rows' values, for a selective read.
    var denseSelection: [UInt32] = []
    /// Every value of a page being read selectively, before the selected ones are kept.
    var pageValues: DecodedValues?
    /// A decimal stored as INT32 or INT64: values go to `LeafColumnData.decimals`, widened once.
    private let widensDecimals: Bool
    /// Keep dictionary indices instead of values (`LeafColumnData.dictionaryIndices`); a page that
    /// is not dictionary-encoded then fails with `NotDictionaryEncoded`.
    private let indicesOnly: Bool
    /// In indices-only mode, the most dictionary values worth decoding (see `DictionaryTooLarge`).
    private let dictionaryValuesMax: Int
    /// Judge a byte-array column's values instead of keeping them (`LeafColumnData.valuePasses`): one
    /// bit per value, for values where they lie (see `ColumnChunkDecoder+Judge`).
    let judge: ((SpacedByteValues) -> Bitmap)?
    /// In judging mode, the answer for each dictionary value, once judged.
    var dictionaryPasses: [UInt8]?
    /// In judging mode, the bounds of a page's values (scratch reused page to page).
    var valueBounds: [Int32] = []

    /// Thrown in indices-only mode at the first data page that is not dictionary-encoded.
    struct NotDictionaryEncoded: Error {}
    /// Thrown in indices-only mode by a dictionary of more than `dictionaryValuesMax` values, before
    /// any data page is decoded: the caller then judges the rows instead of the dictionary.
    struct DictionaryTooLarge: Error {}

    /// `widenDecimals`: put the values of a decimal stored as INT32 or INT64 into
    /// `LeafColumnData.decimals` (for `ColumnAssembler`; nested assembly reads `values`).
    init(
        descriptor: ColumnDescriptor, metaData: ColumnMetaData, widenDecimals: Bool = false, indicesOnly: Bool = false,
        dictionaryValuesMax: Int = Int.max, judge: ((SpacedByteValues) -> Bitmap)? = nil
    ) throws {
        guard metaData.type == descriptor.physicalType else {
            throw ParquetError.corrupt("column chunk type \(metaData.type) differs from the schema's \(descriptor.physicalType)")
        }
        guard metaData.numValues >= 0, metaData.numValues <= Int64(ParquetLimits.chunkValuesMax) else {
            throw ParquetError.corrupt("column chunk declares \(metaData.numValues) values")
        }
        self.descriptor = descriptor
        self.codec = metaData.codec
        self.declaredValues = Int(metaData.numValues)
        self.uncompressedBytes = max(0, Int(truncatingIfNeeded: metaData.totalUncompressedSize))
        let physical = descriptor.physicalType
        self.indicesOnly = indicesOnly
        self.dictionaryValuesMax = dictionaryValuesMax
        if judge != nil && physical != .byteArray {
            throw ParquetError.unsupported("judging values of a \(physical) column in place")
        }
        self.judge = judge
        widensDecimals = !indicesOnly && widenDecimals && (physical == .int32 || physical == .int64) && (try? descriptor.columnarType())?.1 == .decimal
    }

    /// Decodes the pages in `chunk` (the bytes of the column chunk). When `keepDataPage` is given, data
    /// page `i` (counting data pages only) is skipped unless `keepDataPage[i]`; skipped pages are
    /// parsed for their header only. Errors carry the page index.
    ///
    /// With a `selection` (ascending row numbers within the chunk; only for columns that are not
    /// repeated, where a slot is a row), the result holds just those rows: a page without a selected
    /// row is skipped like an unkept one, and from the others only the selected values and levels are
    /// kept (a dictionary page gathers only the selected indices).
    mutating func decode(
        _ chunk: UnsafeRawBufferPointer, keepDataPage: [Bool]? = nil, selection: UnsafeBufferPointer<Int32>? = nil
    ) throws -> LeafColumnData {
        if selection != nil && descriptor.maxRepetitionLevel > 0 {
            throw ParquetError.unsupported("a row selection of repeated column \(descriptor.dottedPath)")
        }
        var data = LeafColumnData(descriptor: descriptor)
        decompressed = DecoderScratch.take()
        defer { DecoderScratch.giveBack(&decompressed) }
        // The selected rows not yet reached: `selection[nextSelected...]`.
        var nextSelected = 0
        if widensDecimals { data.decimals = [] }
        if judge != nil {
            // Only a bit per value is kept.
            data.valuePasses.reserveCapacity(min(selection?.count ?? declaredValues, declaredValues))
        } else if let selection {
            let hint = min(selection.count, declaredValues)
            if descriptor.maxDefinitionLevel > 0 { data.definitionLevels.reserveCapacity(hint) }
            if widensDecimals { data.decimals?.reserveCapacity(hint) } else { data.values.reserve(hint) }
        } else if keepDataPage == nil {
            // Room for every declared value up front, so pages append without regrowing the buffers.
            // The count is only a claim of the file: the reservation is also capped by what the
            // chunk's bytes could plausibly hold, and buffers still grow past it if the data does.
            let hint = min(declaredValues, max(4096, chunk.count * 16))
            if descriptor.maxDefinitionLevel > 0 { data.definitionLevels.reserveCapacity(hint) }
            if descriptor.maxRepetitionLevel > 0 { data.repetitionLevels.reserveCapacity(hint) }
            if widensDecimals { data.decimals?.reserveCapacity(hint) } else { data.values.reserve(hint) }
            if descriptor.physicalType == .byteArray {
                // PLAIN pages hold the values' bytes and a length each, so the chunk's uncompressed
                // size bounds their bytes: reserved at once, the buffer is not regrown (and copied)
                // page after page. Capped by what the chunk's compressed bytes could expand to.
                data.values.bytes.reserveCapacity(min(uncompressedBytes, max(1 << 20, chunk.count * 32), Int(Int32.max)))
            }
        }
        var offset = 0
        var page = 0
        var dataPage = 0
        // Values of all data pages so far, decoded or skipped.
        var consumed = 0
        while consumed < declaredValues {
            guard offset < chunk.count else {
                throw ParquetError(.corrupt, "column chunk ends after \(consumed) of \(declaredValues) values",
                                   at: ParquetLocation(page: page))
            }
            try withLocation(ParquetLocation(page: page)) {
                var reader = ThriftCompactReader(chunk, position: offset)
                let header = try PageHeader.read(&reader)
                let bodySize = Int(header.compressedPageSize)
                guard bodySize <= chunk.count - reader.position, bodySize <= ParquetLimits.pageBytesMax else {
                    throw ParquetError.corrupt("page of \(bodySize) bytes runs past the column chunk")
                }
                let body = UnsafeRawBufferPointer(rebasing: chunk[reader.position..<(reader.position + bodySize)])
                offset = reader.position + bodySize
                if header.type == .dataPage || header.type == .dataPageV2 {
                    let values = Int(header.dataPageHeader?.numValues ?? header.dataPageHeaderV2?.numValues ?? 0)
                    var keep = keepDataPage.map { dataPage < $0.count ? $0[dataPage] : true } ?? true
                    dataPage += 1
                    guard values >= 0, values <= declaredValues - consumed else {
                        throw ParquetError.corrupt("page declares \(values) values; \(declaredValues - consumed) remain")
                    }
                    // The selected rows that fall in this page, as positions within it.
                    var pageSelection: Range<Int>?
                    if let selection {
                        let end = consumed + values
                        var last = nextSelected
                        while last < selection.count && Int(selection[last]) < end { last += 1 }
                        if nextSelected < last && Int(selection[nextSelected]) < consumed {
                            throw ParquetError(.invalidArgument, "row selection is not ascending or lies outside the chunk")
                        }
                        pageSelection = nextSelected..<last
                        nextSelected = last
                        if last - pageSelection!.lowerBound == 0 { keep = false }
                    }
                    guard keep else {
                        consumed += values
                        return
                    }
                    let before = data.slotCount
                    var rows: Selected?
                    if let selection, let pageSelection, pageSelection.count < values {
                        rows = Selected(rows: UnsafeBufferPointer(rebasing: selection[pageSelection]), firstRow: consumed)
                    }
                    if header.type == .dataPage {
                        try readDataPageV1(header, body, &data, rows)
                    } else {
                        try readDataPageV2(header, body, &data, rows)
                    }
                    guard rows == nil || data.slotCount - before == rows!.rows.count else {
                        throw ParquetError.corrupt("page holds fewer values than its header declares")
                    }
                    consumed += rows == nil ? data.slotCount - before : values
                } else if header.type == .dictionaryPage {
                    try readDictionaryPage(header, body)
                }
            }
            page += 1
        }
        guard consumed == declaredValues else {
            throw ParquetError.corrupt("pages hold \(consumed) values, the column chunk declares \(declaredValues)")
        }
        if indicesOnly { data.dictionary = dictionary }
        if let selection, nextSelected < selection.count {
            throw ParquetError(.invalidArgument, "row selection reaches row \(selection[nextSelected]) of a \(declaredValues)-row chunk")
        }
        return data
    }

    /// The selected rows of one data page: ascending row numbers of the chunk, all within the page
    /// that starts at row `firstRow`.
    struct Selected {
        var rows: UnsafeBufferPointer<Int32>
        var firstRow: Int
    }

    // MARK: pages

    private mutating func readDictionaryPage(_ header: PageHeader, _ body: UnsafeRawBufferPointer) throws {
        guard let dictHeader = header.dictionaryPageHeader else {
            throw ParquetError.corrupt("dictionary page without a dictionary page header")
        }
        guard dictionary == nil else { throw ParquetError.corrupt("second dictionary page in a column chunk") }
        guard dictHeader.encoding == .plain || dictHeader.encoding == .plainDictionary else {
            throw ParquetError.unsupported("dictionary page encoding \(dictHeader.encoding)")
        }
        let count = Int(dictHeader.numValues)
        if indicesOnly && count > dictionaryValuesMax { throw DictionaryTooLarge() }
        if let values = try FixedWidthDictionary.decode(
            body, codec: codec, physicalType: descriptor.physicalType, width: descriptor.typeLength, count: count,
            size: Int(header.uncompressedPageSize)) {
            dictionary = values
            return
        }
        var values = DecodedValues(physicalType: descriptor.physicalType, width: descriptor.typeLength)
        var buffer: [UInt8] = []
        swap(&buffer, &decompressed)
        defer { swap(&buffer, &decompressed) }
        try PageDecompressor.withPageBytes(body, codec: codec, size: Int(header.uncompressedPageSize), scratch: &buffer) { raw in
            guard count <= raw.count * 8 + 1 || descriptor.physicalType == .boolean else {
                throw ParquetError.corrupt("dictionary declares \(count) values in \(raw.count) bytes")
            }
            var cursor = ByteCursor(raw)
            try PlainDecoder.decode(&cursor, count: count, into: &values)
        }
        dictionary = values
    }

    /// Appends `values[positions]` (all of them when nil), widened to 128 bits, to `out`.
    private static func appendWidened(_ values: DecodedValues, _ positions: UnsafeBufferPointer<UInt32>?, to out: inout [Int128]) {
        if values.physicalType == .int32 {
            appendWidened(values.int32s, positions, to: &out)
        } else {
            appendWidened(values.int64s, positions, to: &out)
        }
    }

    private static func appendWidened<T: BinaryInteger>(_ source: [T], _ positions: UnsafeBufferPointer<UInt32>?, to out: inout [Int128]) {
        let count = positions?.count ?? source.count
        let start = out.count
        OutputGrowth.appendZeros(&out, count)
        out.withUnsafeMutableBufferPointer { o in
            source.withUnsafeBufferPointer { s in
                if let positions {
                    for k in 0..<count { o[start + k] = Int128(s[Int(positions[k])]) }
                } else {
                    for k in 0..<count { o[start + k] = Int128(s[k]) }
                }
            }
        }
    }

    private mutating func readDataPageV1(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, _ data: inout LeafColumnData, _ rows: Selected?
    ) throws {
        guard let pageHeader = header.dataPageHeader else { throw ParquetError.corrupt("data page without a header") }
        let slots = try checkedSlots(Int(pageHeader.numValues), data)
        // Move the buffer out of `self` while reading it, so that decoding may mutate `self`.
        var buffer: [UInt8] = []
        swap(&buffer, &decompressed)
        defer { swap(&buffer, &decompressed) }
        try PageDecompressor.withPageBytes(body, codec: codec, size: Int(header.uncompressedPageSize), scratch: &buffer) { raw in
            var cursor = ByteCursor(raw)
            if descriptor.maxRepetitionLevel > 0 {
                try readLevelsV1(&cursor, pageHeader.repetitionLevelEncoding, slots, descriptor.maxRepetitionLevel,
                                 into: &data.repetitionLevels)
            }
            var present = slots
            if descriptor.maxDefinitionLevel > 0 {
                if let rows {
                    var levels = takePageLevels()
                    try readLevelsV1(&cursor, pageHeader.definitionLevelEncoding, slots, descriptor.maxDefinitionLevel,
                                     into: &levels)
                    present = keepSelectedLevels(rows, levels, into: &data.definitionLevels)
                } else {
                    let start = data.definitionLevels.count
                    try readLevelsV1(&cursor, pageHeader.definitionLevelEncoding, slots, descriptor.maxDefinitionLevel,
                                     into: &data.definitionLevels)
                    present = countPresent(data.definitionLevels, from: start)
                }
            } else if let rows {
                selectAllPresent(rows)
            }
            try readPageValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data, selective: rows != nil)
        }
        data.slotCount += rows?.rows.count ?? slots
    }

    private mutating func readDataPageV2(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, _ data: inout LeafColumnData, _ rows: Selected?
    ) throws {
        guard let pageHeader = header.dataPageHeaderV2 else { throw ParquetError.corrupt("data page v2 without a header") }
        let slots = try checkedSlots(Int(pageHeader.numValues), data)
        let repLength = Int(pageHeader.repetitionLevelsByteLength)
        let defLength = Int(pageHeader.definitionLevelsByteLength)
        guard repLength + defLength <= body.count, repLength + defLength <= Int(header.uncompressedPageSize) else {
            throw ParquetError.corrupt("data page v2 levels exceed the page")
        }
        if descriptor.maxRepetitionLevel > 0 {
            let levels = UnsafeRawBufferPointer(rebasing: body[0..<repLength])
            try readLevelsRle(levels, slots, descriptor.maxRepetitionLevel, into: &data.repetitionLevels)
        }
        var present = slots
        if descriptor.maxDefinitionLevel > 0 {
            let levels = UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)])
            if let rows {
                var all = takePageLevels()
                try readLevelsRle(levels, slots, descriptor.maxDefinitionLevel, into: &all)
                present = keepSelectedLevels(rows, all, into: &data.definitionLevels)
            } else {
                let start = data.definitionLevels.count
                try readLevelsRle(levels, slots, descriptor.maxDefinitionLevel, into: &data.definitionLevels)
                present = countPresent(data.definitionLevels, from: start)
            }
        } else if let rows {
            selectAllPresent(rows)
        }
        guard slots - present == Int(pageHeader.numNulls) || descriptor.maxRepetitionLevel > 0 else {
            throw ParquetError.corrupt("data page v2 declares \(pageHeader.numNulls) nulls, levels say \(slots - present)")
        }
        let valuesSection = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
        let valuesSize = Int(header.uncompressedPageSize) - repLength - defLength
        if pageHeader.isCompressed && codec != .uncompressed {
            var buffer: [UInt8] = []
            swap(&buffer, &decompressed)
            defer { swap(&buffer, &decompressed) }
            try PageDecompressor.withPageBytes(valuesSection, codec: codec, size: valuesSize, scratch: &buffer) { raw in
                var cursor = ByteCursor(raw)
                try readPageValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data,
                                   selective: rows != nil)
            }
        } else {
            var cursor = ByteCursor(valuesSection)
            try readPageValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data,
                               selective: rows != nil)
        }
        data.slotCount += rows?.rows.count ?? slots
    }

    // MARK: selective reads

    /// Without definition levels every slot holds a value: the selected rows' values are at their
    /// positions within the page.
    private mutating func selectAllPresent(_ rows: Selected) {
        denseSelection.removeAll(keepingCapacity: true)
        OutputGrowth.appendZeros(&denseSelection, rows.rows.count)
        let first = Int32(truncatingIfNeeded: rows.firstRow)
        let selected = rows.rows
        denseSelection.withUnsafeMutableBufferPointer { out in
            for k in 0..<selected.count { out[k] = UInt32(bitPattern: selected[k] &- first) }
        }
    }

    /// The scratch buffer for a page's definition levels, emptied (handed back by `keepSelectedLevels`).
    private mutating func takePageLevels() -> [UInt8] {
        var levels: [UInt8] = []
        swap(&levels, &pageLevels)
        levels.removeAll(keepingCapacity: true)
        return levels
    }

    /// Appends the definition levels of the selected rows (`pageLevels`: those of the whole page) to
    /// `out`, records in `denseSelection` the positions of their values among the page's present
    /// values, and returns the number of present values in the whole page.
    private mutating func keepSelectedLevels(_ rows: Selected, _ pageLevels: [UInt8], into out: inout [UInt8]) -> Int {
        defer { self.pageLevels = pageLevels }
        let maxLevel = UInt8(descriptor.maxDefinitionLevel)
        denseSelection.removeAll(keepingCapacity: true)
        out.reserveCapacity(out.count + rows.rows.count)
        var present = 0
        var next = 0
        let first = rows.firstRow
        let selected = rows.rows
        pageLevels.withUnsafeBufferPointer { levels in
            for slot in 0..<levels.count {
                let level = levels[slot]
                if next < selected.count && Int(selected[next]) - first == slot {
                    out.append(level)
                    if level == maxLevel { denseSelection.append(UInt32(truncatingIfNeeded: present)) }
                    next += 1
                }
                if level == maxLevel { present += 1 }
            }
        }
        return present
    }

    /// Reads `count` values of a page into `data`, or, when `selective`, only those at the positions
    /// in `denseSelection`. Decimals stored as integers go to `data.decimals`, widened on the way.
    private mutating func readPageValues(
        _ cursor: inout ByteCursor, encoding: Encoding, count: Int, into data: inout LeafColumnData, selective: Bool
    ) throws {
        if let judge { return try judgePageValues(&cursor, encoding: encoding, count: count, into: &data, selective: selective, judge) }
        if !widensDecimals && !selective && !indicesOnly {
            return try readValues(&cursor, encoding: encoding, count: count, into: &data.values)
        }
        var picks: [UInt32] = []
        if selective { swap(&picks, &denseSelection) }
        defer { if selective { swap(&picks, &denseSelection) } }
        if indicesOnly && encoding != .plainDictionary && encoding != .rleDictionary { throw NotDictionaryEncoded() }
        if encoding == .plainDictionary || encoding == .rleDictionary {
            // Decode the page's indices, then gather only the selected ones from the dictionary.
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page without a dictionary page") }
            guard count > 0, !selective || !picks.isEmpty else { return }
            try decodeDictionaryIndices(&cursor, count: count)
            if selective {
                try indices.withUnsafeBufferPointer { all in
                    try picks.withUnsafeMutableBufferPointer { chosen in
                        for k in 0..<chosen.count {
                            let position = Int(chosen[k])
                            guard position < count else { throw ParquetError.corrupt("selected value \(position) of \(count)") }
                            chosen[k] = all[position]
                        }
                    }
                }
                swap(&picks, &indices)
            }
            defer { if selective { swap(&picks, &indices) } }
            if indicesOnly {
                let size = dictionary.count
                try indices.withUnsafeBufferPointer { chosen in
                    try DecodedValues.checkIndices(chosen, size: size)
                    data.dictionaryIndices.append(contentsOf: chosen)
                }
                return
            }
            if widensDecimals {
                // Gathered and widened in one pass: widening the whole dictionary first would cost
                // more than the gather when few rows are selected (decimal dictionaries are large).
                let size = dictionary.count
                try indices.withUnsafeBufferPointer { chosen in
                    try DecodedValues.checkIndices(chosen, size: size)
                    var decimals = data.decimals ?? []
                    data.decimals = nil
                    Self.appendWidened(dictionary, chosen, to: &decimals)
                    data.decimals = decimals
                }
            } else {
                try indices.withUnsafeBufferPointer { try data.values.appendGathered(from: dictionary, indices: $0) }
            }
            return
        }
        var scratch = pageValues ?? DecodedValues(physicalType: descriptor.physicalType, width: descriptor.typeLength)
        pageValues = nil
        defer { pageValues = scratch }
        scratch.removeAll()
        try readValues(&cursor, encoding: encoding, count: count, into: &scratch)
        let available = scratch.count
        if selective {
            for position in picks where Int(position) >= available {
                throw ParquetError.corrupt("selected value \(position) of \(available)")
            }
        }
        if widensDecimals {
            var decimals = data.decimals ?? []
            data.decimals = nil
            picks.withUnsafeBufferPointer { Self.appendWidened(scratch, selective ? $0 : nil, to: &decimals) }
            data.decimals = decimals
        } else {
            try picks.withUnsafeBufferPointer { try data.values.appendGathered(from: scratch, indices: $0) }
        }
    }

    /// Decodes the `count` dictionary indices of a page into `indices`.
    mutating func decodeDictionaryIndices(_ cursor: inout ByteCursor, count: Int) throws {
        let width = Int(try cursor.readByte())
        var decoder = try RleBitPackedDecoder(try cursor.take(cursor.remaining), bitWidth: width)
        OutputGrowth.resize(&indices, to: count)
        try indices.withUnsafeMutableBufferPointer { buffer in
            try decoder.decode(into: buffer.baseAddress!, count: count)
        }
    }

    private func checkedSlots(_ slots: Int, _ data: LeafColumnData) throws -> Int {
        // With skipped pages, decoded slots undercount what the chunk has used; the caller's final
        // check against the declared total catches any excess.
        guard slots >= 0, slots <= ParquetLimits.pageValuesMax, slots <= declaredValues - data.slotCount else {
            throw ParquetError.corrupt("page declares \(slots) values; \(declaredValues - data.slotCount) remain in the chunk")
        }
        return slots
    }

    private func countPresent(_ levels: [UInt8], from start: Int) -> Int {
        let maxLevel = UInt8(descriptor.maxDefinitionLevel)
        var present = 0
        levels.withUnsafeBufferPointer { l in
            for index in start..<l.count where l[index] == maxLevel { present += 1 }
        }
        return present
    }

    // MARK: levels

    private static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel == 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }

    private func readLevelsV1(
        _ cursor: inout ByteCursor, _ encoding: Encoding, _ count: Int, _ maxLevel: Int, into out: inout [UInt8]
    ) throws {
        switch encoding {
        case .rle:
            let length = Int(try cursor.readUInt32LE())
            try readLevelsRle(try cursor.take(length), count, maxLevel, into: &out)
        case .bitPacked:
            // The deprecated BIT_PACKED level encoding packs from the most significant bit.
            let width = Self.bitWidth(maxLevel)
            let section = try cursor.take((count * width + 7) / 8)
            out.reserveCapacity(out.count + count)
            var bit = 0
            for _ in 0..<count {
                var value = 0
                for _ in 0..<width {
                    let byte = section[bit >> 3]
                    value = value << 1 | Int((byte >> UInt8(7 - bit & 7)) & 1)
                    bit += 1
                }
                guard value <= maxLevel else { throw ParquetError.corrupt("level \(value) exceeds \(maxLevel)") }
                out.append(UInt8(value))
            }
        default:
            throw ParquetError.unsupported("level encoding \(encoding)")
        }
    }

    private func readLevelsRle(
        _ bytes: UnsafeRawBufferPointer, _ count: Int, _ maxLevel: Int, into out: inout [UInt8]
    ) throws {
        var decoder = try RleBitPackedDecoder(bytes, bitWidth: Self.bitWidth(maxLevel))
        let start = out.count
        OutputGrowth.appendZeros(&out, count)
        try out.withUnsafeMutableBufferPointer { buffer in
            try decoder.decodeLevels(into: buffer.baseAddress! + start, count: count, maxLevel: maxLevel)
        }
    }

    // MARK: values

    mutating func readValues(
        _ cursor: inout ByteCursor, encoding: Encoding, count: Int, into values: inout DecodedValues
    ) throws {
        let type = descriptor.physicalType
        switch encoding {
        case .plain:
            try PlainDecoder.decode(&cursor, count: count, into: &values)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page without a dictionary page") }
            guard count > 0 else { return }
            try decodeDictionaryIndices(&cursor, count: count)
            try indices.withUnsafeBufferPointer { try values.appendGathered(from: dictionary, indices: $0) }
        case .rle:
            guard type == .boolean else { throw ParquetError.unsupported("RLE encoding for \(type) values") }
            let length = Int(try cursor.readUInt32LE())
            var decoder = try RleBitPackedDecoder(try cursor.take(length), bitWidth: 1)
            OutputGrowth.resize(&indices, to: count)
            try indices.withUnsafeMutableBufferPointer { buffer in
                if count > 0 { try decoder.decode(into: buffer.baseAddress!, count: count) }
            }
            values.bools.reserveCapacity(values.bools.count + count)
            for bit in indices { values.bools.append(UInt8(truncatingIfNeeded: bit)) }
        case .deltaBinaryPacked:
            let before = values.count
            switch type {
            case .int32: try DeltaBinaryPackedDecoder.decode32(&cursor, expectedMax: count, into: &values.int32s)
            case .int64: try DeltaBinaryPackedDecoder.decode(&cursor, expectedMax: count, into: &values.int64s)
            default: throw ParquetError.unsupported("DELTA_BINARY_PACKED for \(type)")
            }
            guard values.count - before == count else {
                throw ParquetError.corrupt("DELTA_BINARY_PACKED holds \(values.count - before) values, expected \(count)")
            }
        case .deltaLengthByteArray:
            guard type == .byteArray else { throw ParquetError.unsupported("DELTA_LENGTH_BYTE_ARRAY for \(type)") }
            try DeltaByteArrayDecoder.decodeLengths(&cursor, count: count, into: &values)
        case .deltaByteArray:
            guard type == .byteArray || type == .fixedLenByteArray else {
                throw ParquetError.unsupported("DELTA_BYTE_ARRAY for \(type)")
            }
            try DeltaByteArrayDecoder.decodeIncremental(&cursor, count: count, into: &values)
        case .byteStreamSplit:
            try ByteStreamSplitDecoder.decode(&cursor, count: count, into: &values)
        case .bitPacked:
            throw ParquetError.unsupported("BIT_PACKED encoding for values")
        }
    }
}

/// Growing arrays by zero-filled tails that decoders then overwrite in place.
enum OutputGrowth {
    @inline(__always)
    static func appendZeros<T: Numeric>(_ array: inout [T], _ count: Int) {
        array.append(contentsOf: repeatElement(T.zero, count: count))
    }

    /// Makes `array` hold `count` elements for a decoder to overwrite in place: a scratch buffer
    /// reused page after page is shortened, or grown by zeros, instead of emptied and zero-filled
    /// again in full.
    @inline(__always)
    static func resize<T: Numeric>(_ array: inout [T], to count: Int) {
        if array.count > count {
            array.removeLast(array.count - count)
        } else if array.count < count {
            appendZeros(&array, count - array.count)
        }
    }
}
