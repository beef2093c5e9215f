import Columnar
import Parquet

/// A Parquet file or a directory of them (Hive-style partitions included) as a table source, for
/// `read.parquet`, `USING parquet` views and ``parquet.`path` `` queries.
///
/// A scan prunes files by partition values and row groups by statistics with the pushed filters,
/// then reads the remaining row groups in parallel on the engine's workers. Within a row group the
/// columns the pushed filters read are decoded first and the filters evaluated on them; the other
/// columns are then decoded only at the rows that pass (late materialisation), so a selective
/// filter spares most of the decoding. The filters are applied exactly (`appliesExactly`), so the
/// engine keeps no Filter above the scan for them, and a column only they read is decoded for them
/// but not output. A query that scans the table twice alike gets the first scan's batches again
/// (`ScanResultCache`).
public final class ParquetTable: TableProvider, @unchecked Sendable {
    // The dataset is only read after construction (its reader cache has its own lock).
    private let dataset: ParquetDataset
    /// The path the table was opened at.
    public let path: String

    /// Opens the dataset at `path`; fails when there is no Parquet file there.
    public init(path: String) throws {
        self.path = path
        self.dataset = try ParquetDataset(path: path)
    }

    /// The files' columns, then the partition columns.
    public var schema: Schema { dataset.schema }

    /// `parquet [path]`.
    public var description: String { "parquet [\(path)]" }

    /// Row counts from the footers already read (the first file's); unknown otherwise.
    public var statistics: Engine.Statistics {
        guard dataset.files.count == 1, let reader = try? dataset.reader(file: 0) else { return Engine.Statistics() }
        return Engine.Statistics(rowCount: reader.rowCount, sizeBytes: nil)
    }

    /// Every filter that reads columns of the table (and nothing else) is applied exactly, by the row
    /// tests of `ParquetRowFilter`.
    public func appliesExactly(_ filters: [Expr]) -> [Bool] {
        ParquetRowFilter.exactness(filters, schema: dataset.schema)
    }

    /// Reads the selected columns of the row groups the filters do not rule out.
    public func scan(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        // A second scan with the same columns and filters in one query reads the first one's batches.
        try context.scanCache.scan(self, columns: columns, filters: filters) {
            try read(columns: columns, filters: filters, context: context)
        }
    }

    private func read(columns: [Int], filters: [Expr], context: ExecutionContext) throws -> [RecordBatch] {
        let names = columns.map { dataset.schema.fields[$0].name }
        let predicate = ParquetFilterTranslation.predicate(filters)
        let units = try dataset.scanUnits(predicate: predicate)
        let outSchema = Schema(columns.map { dataset.schema.fields[$0] })
        let tests = ParquetRowFilter.tests(filters, schema: dataset.schema)
        let batches = try context.pool.map(units.count) { index -> RecordBatch in
            if tests.isEmpty { return try self.dataset.read(units[index], columns: names, predicate: predicate) }
            let read = try self.dataset.read(units[index], columns: names, predicate: predicate, tests: tests)
            if read.filtered { return read.batch }
            return try self.readTesting(units[index], names: names, predicate: predicate, tests: tests)
        }
        let nonEmpty = batches.filter { $0.rowCount > 0 }
        if nonEmpty.isEmpty { return [RecordBatch(schema: outSchema, columns: outSchema.fields.map {
            ColumnVector.nulls($0.type, count: 0) }, rowCount: 0)] }
        return nonEmpty
    }

    /// A unit the dataset could not filter while reading (a nested column takes part), read whole with
    /// the tests' columns too and filtered here, so that the scan's filters stay exact.
    private func readTesting(_ unit: ParquetDataset.ScanUnit, names: [String], predicate: ParquetPredicate?,
                             tests: [ParquetRowTest]) throws -> RecordBatch {
        var all = names.map { $0.lowercased() }
        for test in tests { for name in test.columns where !all.contains(name.lowercased()) { all.append(name.lowercased()) } }
        let whole = try dataset.read(unit, columns: all, predicate: predicate)
        var keep = Bitmap(count: whole.rowCount, value: true)
        for test in tests {
            let positions = test.columns.compactMap { all.firstIndex(of: $0.lowercased()) }
            let input = RecordBatch(schema: Schema(positions.map { whole.schema.fields[$0] }),
                                    columns: positions.map { whole.columns[$0] }, rowCount: whole.rowCount)
            let mask = try test.evaluate(input)
            guard mask.count == whole.rowCount else {
                throw EngineError.execution("a row test returned \(mask.count) bits for \(whole.rowCount) rows")
            }
            keep = keep & mask
        }
        let output = RecordBatch(schema: Schema(Array(whole.schema.fields.prefix(names.count))),
                                 columns: Array(whole.columns.prefix(names.count)), rowCount: whole.rowCount)
        return keep.allSet ? output : output.filter(keep)
    }
}

/// Turns engine filters into a `ParquetPredicate` for statistics pruning. Only what can be judged
/// from min/max/null counts is kept: comparisons of a column with a literal, IN lists, IS [NOT]
/// NULL, AND and OR. A conjunct that cannot be translated is left out (pruning less, never wrong).
enum ParquetFilterTranslation {
    /// The conjunction of the translatable `filters`, or nil when none translate.
    static func predicate(_ filters: [Expr]) -> ParquetPredicate? {
        let parts = filters.compactMap(translate)
        if parts.isEmpty { return nil }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    static func translate(_ expr: Expr) -> ParquetPredicate? {
        switch expr {
        case let .binary(.and, left, right):
            let parts = [translate(left), translate(right)].compactMap { $0 }
            if parts.isEmpty { return nil }
            return parts.count == 1 ? parts[0] : .and(parts)
        case let .binary(.or, left, right):
            // Both sides must translate: dropping one side of an OR would prune rows it admits.
            guard let l = translate(left), let r = translate(right) else { return nil }
            return .or([l, r])
        case let .binary(op, left, right) where op.isComparison:
            if let column = columnName(left), let value = literal(right), let comparison = comparison(op) {
                return .compare(column: column, comparison, value)
            }
            if let column = columnName(right), let value = literal(left), let comparison = comparison(op) {
                return .compare(column: column, mirrored(comparison), value)
            }
            return nil
        case let .between(value, low, high, negated: false):
            guard let column = columnName(value), let lowValue = literal(low), let highValue = literal(high) else { return nil }
            return .and([.compare(column: column, .greaterOrEqual, lowValue), .compare(column: column, .lessOrEqual, highValue)])
        case let .inList(value, items, negated: false):
            guard let column = columnName(value) else { return nil }
            let values = items.compactMap(literal)
            guard values.count == items.count else { return nil }
            return .isIn(column: column, values)
        case let .isNull(value, negated):
            guard let column = columnName(value) else { return nil }
            return negated ? .isNotNull(column: column) : .isNull(column: column)
        default:
            return nil
        }
    }

    /// The scanned column an expression reads, looking through casts that convert every value
    /// exactly (so the column's statistics still bound the cast values; a rounding cast would not).
    private static func columnName(_ expr: Expr) -> String? {
        switch expr {
        case let .attribute(attribute): return attribute.name
        case let .cast(.attribute(attribute), type) where isExactWidening(attribute.type, type): return attribute.name
        default: return nil
        }
    }

    private static func integerBits(_ type: DataType) -> Int? {
        switch type {
        case .int8: return 8
        case .int16: return 16
        case .int32: return 32
        case .int64: return 64
        default: return nil
        }
    }

    static func isExactWidening(_ from: DataType, _ to: DataType) -> Bool {
        if let fromBits = integerBits(from) {
            if let toBits = integerBits(to) { return toBits >= fromBits }
            // Integers of up to 32 bits are exact doubles; a decimal with enough integer digits holds any.
            if to == .float64 { return fromBits <= 32 }
            if case let .decimal(precision, scale) = to { return precision - scale >= (fromBits == 64 ? 19 : 10) }
            return false
        }
        if from == .float32 { return to == .float64 }
        if case let .decimal(p1, s1) = from, case let .decimal(p2, s2) = to { return s2 >= s1 && p2 - s2 >= p1 - s1 }
        return false
    }

    private static func literal(_ expr: Expr) -> Scalar? {
        switch expr {
        case let .literal(value, _) where !value.isNull: return value
        default: return nil
        }
    }

    private static func comparison(_ op: BinaryOperator) -> ParquetPredicate.Comparison? {
        switch op {
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        default: return nil
        }
    }

    private static func mirrored(_ comparison: ParquetPredicate.Comparison) -> ParquetPredicate.Comparison {
        switch comparison {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        case .equal, .notEqual: return comparison
        }
    }
}
