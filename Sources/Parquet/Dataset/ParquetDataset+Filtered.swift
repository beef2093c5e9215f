import Columnar

/// One test of a scan's row filter (late materialisation): the columns it reads and, given a batch
/// of just those columns in that order, one bit per row saying which rows pass.
public struct ParquetRowTest: @unchecked Sendable {
    // `evaluate` is called from the scan's worker threads; callers hand in thread-safe closures.
    /// The dataset columns the test reads.
    public var columns: [String]
    /// The test over a batch of `columns`.
    public var evaluate: (RecordBatch) throws -> Bitmap
    /// True when the test judges each row by its own values alone and cannot fail: then it may be
    /// judged once per distinct value of a dictionary-encoded column instead of once per row.
    public var valueWise: Bool
    /// For a value-wise test of one string column: the test of non-null values where they lie (one bit
    /// per value, the answers of `evaluate`). A scan that does not output the column then judges its
    /// pages without building the values (`ParquetReader.valueMask`).
    public var judgesValues: ((SpacedByteValues) -> Bitmap)?

    /// A test of `columns`.
    public init(columns: [String], valueWise: Bool = false, evaluate: @escaping (RecordBatch) throws -> Bitmap) {
        self.columns = columns
        self.valueWise = valueWise
        self.evaluate = evaluate
    }
}

extension ParquetDataset {
    /// Reads columns `columns` of one scan unit, keeping only the rows that pass every test of
    /// `tests` (late materialisation). The tests run in order: each reads its columns only at the
    /// rows that passed the tests before it (the first, at the rows the page index leaves for
    /// `predicate`), so a selective first test spares the decoding of the rest. The other columns
    /// are then decoded at just the surviving rows, skipping pages where none survive.
    ///
    /// When a column involved is nested the unit is read whole and unfiltered (`filtered` is false),
    /// and the caller must apply its tests itself.
    public func read(
        _ unit: ScanUnit, columns: [String], predicate: ParquetPredicate?, tests: [ParquetRowTest]
    ) throws -> (batch: RecordBatch, filtered: Bool) {
        let fields = try resolve(columns)
        let testFields = try tests.map { try resolve($0.columns) }
        let reader = try reader(file: unit.file)
        let allFlat = (fields + testFields.joined()).allSatisfy { field in
            partitionIndex(field.name) != nil || reader.topLevelFieldIndex(named: field.name).map {
                reader.leafIndex(ofTopLevelField: $0) != nil } ?? true
        }
        guard allFlat else { return (try read(unit, columns: columns, predicate: predicate), false) }
        let location = ParquetLocation(file: files[unit.file].path, rowGroup: unit.rowGroup)

        // The rows still in play: nil while every row of the row group is.
        var selection: [Int32]?
        if let predicate {
            let candidates = try reader.candidateRowRanges(rowGroup: unit.rowGroup, matching: predicate)
            if candidates != [0..<unit.rowCount] {
                selection = candidates.flatMap { $0.lazy.map { Int32(truncatingIfNeeded: $0) } }
            }
        }
        // Columns read so far, at the rows of `selection`, by lowercased name.
        var loaded: [String: ColumnVector] = [:]
        func load(_ field: Field) throws -> ColumnVector {
            let key = field.name.lowercased()
            if let vector = loaded[key] { return vector }
            let vector = try column(field, unit, reader, selection: selection)
            loaded[key] = vector
            return vector
        }
        let outputKeys = Set(fields.map { $0.name.lowercased() })
        for (index, test) in tests.enumerated() {
            let inPlay = selection?.count ?? unit.rowCount
            if inPlay == 0 { break }
            let mask: Bitmap
            // A column no later test and not the output reads is judged where its values lie.
            let later = Set(testFields[(index + 1)...].joined().map { $0.name.lowercased() }).union(outputKeys)
            if let inPlace = try valueMask(test, testFields[index], unit, reader, selection, loaded, later) {
                mask = inPlace
            } else if let fromDictionary = try dictionaryMask(test, testFields[index], unit, reader, selection, loaded) {
                mask = fromDictionary
            } else {
                let vectors = try testFields[index].map(load)
                mask = try test.evaluate(RecordBatch(schema: Schema(testFields[index]), columns: vectors, rowCount: inPlay))
            }
            guard mask.count == inPlay else {
                throw ParquetError(.invalidArgument, "row test returned \(mask.count) bits for \(inPlay) rows", at: location)
            }
            if mask.allSet { continue }
            let positions = ColumnVector.indices(of: mask)
            selection = selection.map { rows in positions.map { rows[Int($0)] } } ?? positions
            // Keep (narrowed) only the columns a later test or the output still needs.
            let needed = outputKeys.union(testFields[(index + 1)...].joined().map { $0.name.lowercased() })
            var narrowed: [String: ColumnVector] = [:]
            for (key, vector) in loaded where needed.contains(key) { narrowed[key] = vector.take(positions) }
            loaded = narrowed
        }
        let kept = selection?.count ?? unit.rowCount
        if kept == 0 {
            let empty = fields.map { ColumnVector.nulls($0.type, count: 0) }
            return (RecordBatch(schema: Schema(fields), columns: empty, rowCount: 0), true)
        }
        let vectors = try fields.map(load)
        return (RecordBatch(schema: Schema(fields), columns: vectors, rowCount: kept), true)
    }

    /// A test of one string column of the file that is not read yet and that nothing after the test
    /// reads, judged on the values where they lie in the pages (see `ParquetReader.valueMask`); nil
    /// when that does not apply.
    private func valueMask(
        _ test: ParquetRowTest, _ fields: [Field], _ unit: ScanUnit, _ reader: ParquetReader, _ selection: [Int32]?,
        _ loaded: [String: ColumnVector], _ readLater: Set<String>
    ) throws -> Bitmap? {
        guard let judge = test.judgesValues, fields.count == 1, let field = fields.first, field.type == .string,
              !readLater.contains(field.name.lowercased()), loaded[field.name.lowercased()] == nil,
              partitionIndex(field.name) == nil, let fileField = reader.topLevelFieldIndex(named: field.name)
        else { return nil }
        let nullMask = try test.evaluate(RecordBatch(schema: Schema([field]), columns: [ColumnVector.nulls(field.type, count: 1)],
                                                     rowCount: 1))
        let nullPasses = nullMask.count == 1 && nullMask[0]
        return try reader.valueMask(rowGroup: unit.rowGroup, field: fileField, selection: selection, nullPasses: nullPasses,
                                    test: judge)
    }

    /// A value-wise test of one file column not read yet, judged on the column's dictionary (see
    /// `ParquetReader.dictionaryMask`); nil when that does not apply. A string or binary test is worth
    /// judging on any dictionary; a test of fixed-width values only on a dictionary no larger than the
    /// rows in play, since per row it costs little more than the lookup that replaces it.
    private func dictionaryMask(
        _ test: ParquetRowTest, _ fields: [Field], _ unit: ScanUnit, _ reader: ParquetReader, _ selection: [Int32]?,
        _ loaded: [String: ColumnVector]
    ) throws -> Bitmap? {
        guard test.valueWise, fields.count == 1, let field = fields.first,
              loaded[field.name.lowercased()] == nil, partitionIndex(field.name) == nil,
              let fileField = reader.topLevelFieldIndex(named: field.name)
        else { return nil }
        let judgesBytes = field.type == .string || field.type == .binary
        let valuesMax = judgesBytes ? Int.max : (selection?.count ?? unit.rowCount)
        return try reader.dictionaryMask(rowGroup: unit.rowGroup, field: fileField, selection: selection,
                                         dictionaryValuesMax: valuesMax) { values in
            try test.evaluate(RecordBatch(schema: Schema([field]), columns: [values], rowCount: values.count))
        }
    }

    /// Column `field` of a unit at the rows `selection` (all rows when nil): a partition column as a
    /// constant, a column missing from the file as nulls, a file column decoded at just those rows.
    private func column(_ field: Field, _ unit: ScanUnit, _ reader: ParquetReader, selection: [Int32]?) throws -> ColumnVector {
        let count = selection?.count ?? unit.rowCount
        if let partition = partitionIndex(field.name) {
            return ColumnVector.constant(files[unit.file].partitionValues[partition], type: field.type, count: count)
        }
        guard let fileField = reader.topLevelFieldIndex(named: field.name) else {
            return ColumnVector.nulls(field.type, count: count)
        }
        if let selection { return try reader.readColumn(rowGroup: unit.rowGroup, field: fileField, selection: selection) }
        return try reader.readColumn(rowGroup: unit.rowGroup, field: fileField, rows: [0..<unit.rowCount])
    }
}
