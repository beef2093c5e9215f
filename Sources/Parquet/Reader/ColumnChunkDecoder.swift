/// Decodes the pages of one column chunk into `LeafColumnData`.
///
/// Handles dictionary pages, data pages v1 and v2, every compression codec of `PageDecompressor` and
/// every value encoding of the format. Scratch buffers live in the decoder and are reused page to page.
struct ColumnChunkDecoder {
    let descriptor: ColumnDescriptor
    let codec: ParquetCompression
    /// Values the chunk's metadata declares.
    let declaredValues: Int
    private var dictionary: DecodedValues?
    private var decompressed: [UInt8] = []
    private var indices: [UInt32] = []
    private var pageLevels: [UInt8] = []

    init(descriptor: ColumnDescriptor, metaData: ColumnMetaData) throws {
        guard metaData.type == descriptor.physicalType else {
            throw ParquetError.corrupt("column chunk type \(metaData.type) differs from the schema's \(descriptor.physicalType)")
        }
        guard metaData.numValues >= 0, metaData.numValues <= Int64(ParquetLimits.chunkValuesMax) else {
            throw ParquetError.corrupt("column chunk declares \(metaData.numValues) values")
        }
        self.descriptor = descriptor
        self.codec = metaData.codec
        self.declaredValues = Int(metaData.numValues)
    }

    /// Decodes the pages in `chunk` (the bytes of the column chunk). When `keepDataPage` is given, data
    /// page `i` (counting data pages only) is skipped unless `keepDataPage[i]`; skipped pages are
    /// parsed for their header only. Errors carry the page index.
    mutating func decode(_ chunk: UnsafeRawBufferPointer, keepDataPage: [Bool]? = nil) throws -> LeafColumnData {
        var data = LeafColumnData(descriptor: descriptor)
        if keepDataPage == nil {
            // Room for every declared value up front, so pages append without regrowing the buffers.
            // The count is only a claim of the file: the reservation is also capped by what the
            // chunk's bytes could plausibly hold, and buffers still grow past it if the data does.
            let hint = min(declaredValues, max(4096, chunk.count * 16))
            if descriptor.maxDefinitionLevel > 0 { data.definitionLevels.reserveCapacity(hint) }
            if descriptor.maxRepetitionLevel > 0 { data.repetitionLevels.reserveCapacity(hint) }
            data.values.reserve(hint)
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
                    let keep = keepDataPage.map { dataPage < $0.count ? $0[dataPage] : true } ?? true
                    dataPage += 1
                    guard keep else {
                        guard values >= 0, values <= declaredValues - consumed else {
                            throw ParquetError.corrupt("page declares \(values) values; \(declaredValues - consumed) remain")
                        }
                        consumed += values
                        return
                    }
                    let before = data.slotCount
                    if header.type == .dataPage { try readDataPageV1(header, body, &data) } else { try readDataPageV2(header, body, &data) }
                    consumed += data.slotCount - before
                } else if header.type == .dictionaryPage {
                    try readDictionaryPage(header, body)
                }
            }
            page += 1
        }
        guard consumed == declaredValues else {
            throw ParquetError.corrupt("pages hold \(consumed) values, the column chunk declares \(declaredValues)")
        }
        return data
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
        try PageDecompressor.decompress(body, codec: codec, size: Int(header.uncompressedPageSize), into: &decompressed)
        var values = DecodedValues(physicalType: descriptor.physicalType, width: descriptor.typeLength)
        let count = Int(dictHeader.numValues)
        try decompressed.withUnsafeBytes { raw in
            guard count <= raw.count * 8 + 1 || descriptor.physicalType == .boolean else {
                throw ParquetError.corrupt("dictionary declares \(count) values in \(raw.count) bytes")
            }
            var cursor = ByteCursor(raw)
            try PlainDecoder.decode(&cursor, count: count, into: &values)
        }
        dictionary = values
    }

    private mutating func readDataPageV1(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, _ data: inout LeafColumnData
    ) throws {
        guard let pageHeader = header.dataPageHeader else { throw ParquetError.corrupt("data page without a header") }
        let slots = try checkedSlots(Int(pageHeader.numValues), data)
        try PageDecompressor.decompress(body, codec: codec, size: Int(header.uncompressedPageSize), into: &decompressed)
        // Move the buffer out of `self` while reading it, so that decoding may mutate `self`.
        var buffer: [UInt8] = []
        swap(&buffer, &decompressed)
        defer { swap(&buffer, &decompressed) }
        try buffer.withUnsafeBytes { raw in
            var cursor = ByteCursor(raw)
            if descriptor.maxRepetitionLevel > 0 {
                try readLevelsV1(&cursor, pageHeader.repetitionLevelEncoding, slots, descriptor.maxRepetitionLevel,
                                 into: &data.repetitionLevels)
            }
            var present = slots
            if descriptor.maxDefinitionLevel > 0 {
                let start = data.definitionLevels.count
                try readLevelsV1(&cursor, pageHeader.definitionLevelEncoding, slots, descriptor.maxDefinitionLevel,
                                 into: &data.definitionLevels)
                present = countPresent(data.definitionLevels, from: start)
            }
            try readValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data.values)
        }
        data.slotCount += slots
    }

    private mutating func readDataPageV2(
        _ header: PageHeader, _ body: UnsafeRawBufferPointer, _ data: inout LeafColumnData
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
            let start = data.definitionLevels.count
            let levels = UnsafeRawBufferPointer(rebasing: body[repLength..<(repLength + defLength)])
            try readLevelsRle(levels, slots, descriptor.maxDefinitionLevel, into: &data.definitionLevels)
            present = countPresent(data.definitionLevels, from: start)
        }
        guard slots - present == Int(pageHeader.numNulls) || descriptor.maxRepetitionLevel > 0 else {
            throw ParquetError.corrupt("data page v2 declares \(pageHeader.numNulls) nulls, levels say \(slots - present)")
        }
        let valuesSection = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
        let valuesSize = Int(header.uncompressedPageSize) - repLength - defLength
        if pageHeader.isCompressed && codec != .uncompressed {
            try PageDecompressor.decompress(valuesSection, codec: codec, size: valuesSize, into: &decompressed)
            var buffer: [UInt8] = []
            swap(&buffer, &decompressed)
            defer { swap(&buffer, &decompressed) }
            try buffer.withUnsafeBytes { raw in
                var cursor = ByteCursor(raw)
                try readValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data.values)
            }
        } else {
            var cursor = ByteCursor(valuesSection)
            try readValues(&cursor, encoding: pageHeader.encoding, count: present, into: &data.values)
        }
        data.slotCount += slots
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

    private mutating func readValues(
        _ cursor: inout ByteCursor, encoding: Encoding, count: Int, into values: inout DecodedValues
    ) throws {
        let type = descriptor.physicalType
        switch encoding {
        case .plain:
            try PlainDecoder.decode(&cursor, count: count, into: &values)
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError.corrupt("dictionary-encoded page without a dictionary page") }
            guard count > 0 else { return }
            let width = Int(try cursor.readByte())
            var decoder = try RleBitPackedDecoder(try cursor.take(cursor.remaining), bitWidth: width)
            indices.removeAll(keepingCapacity: true)
            OutputGrowth.appendZeros(&indices, count)
            try indices.withUnsafeMutableBufferPointer { buffer in
                try decoder.decode(into: buffer.baseAddress!, count: count)
                try values.appendGathered(from: dictionary, indices: UnsafeBufferPointer(buffer))
            }
        case .rle:
            guard type == .boolean else { throw ParquetError.unsupported("RLE encoding for \(type) values") }
            let length = Int(try cursor.readUInt32LE())
            var decoder = try RleBitPackedDecoder(try cursor.take(length), bitWidth: 1)
            indices.removeAll(keepingCapacity: true)
            OutputGrowth.appendZeros(&indices, count)
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
}
