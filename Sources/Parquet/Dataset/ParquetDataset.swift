import Columnar
import Foundation

/// A Parquet file, or a directory of Parquet files with Hive-style partition directories
/// (`year=2024/month=3/part-0.parquet`), read as one relation: the files' columns followed by the
/// partition columns (typed as Spark infers them), with partition and statistics pruning.
public final class ParquetDataset: @unchecked Sendable {
    // Mutable state (the reader cache) is only touched under `readersLock`.
    /// One data file and the partition values its directories give it.
    public struct DataFile: Sendable {
        /// The file's path.
        public var path: String
        /// One value per partition column, typed like `partitionFields`.
        public var partitionValues: [Scalar]
    }

    /// The path the dataset was opened at.
    public let root: String
    /// The data files, sorted by path.
    public let files: [DataFile]
    /// Partition columns, in directory order.
    public let partitionFields: [Field]
    /// The columns of the files (from the first file), then the partition columns.
    public let schema: Schema
    /// Open readers by file index, so footers are read once; guarded for use from worker threads.
    private var readers: [Int: ParquetReader] = [:]
    private let readersLock = NSLock()

    /// One row group of one file: the unit of parallel scanning (a morsel source).
    public struct ScanUnit: Sendable {
        /// Index into `files`.
        public var file: Int
        /// Row group index within the file.
        public var rowGroup: Int
        /// Rows in the row group.
        public var rowCount: Int
    }

    /// Discovers the files under `path` (or the single file at `path`) and infers partition columns.
    public init(path: String) throws {
        root = path
        var isDirectory: ObjCBool = false
        var found: [(path: String, partitions: [(String, String)])] = []
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                try Self.discover(directory: path, partitions: [], into: &found)
            } else {
                found.append((path, []))
            }
        } else if PathGlob.isPattern(path) {
            // Each match is read as a path of its own: a file, or a directory with its partitions.
            let matches = try PathGlob.expand(path)
            guard !matches.isEmpty else {
                throw ParquetError(.io, "path does not exist (no path matches the pattern)", at: ParquetLocation(file: path))
            }
            for match in matches {
                var matchIsDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: match, isDirectory: &matchIsDirectory) else { continue }
                if matchIsDirectory.boolValue {
                    try Self.discover(directory: match, partitions: [], into: &found)
                } else {
                    found.append((match, []))
                }
            }
        } else {
            throw ParquetError(.io, "path does not exist", at: ParquetLocation(file: path))
        }
        found.sort { $0.path < $1.path }
        guard let first = found.first else {
            throw ParquetError(.invalidArgument, "no Parquet files found", at: ParquetLocation(file: path))
        }
        // Every file must sit under the same partition keys, in the same order.
        let keys = first.partitions.map(\.0)
        for file in found where file.partitions.map(\.0) != keys {
            throw ParquetError(.invalidArgument, "partition directories differ: \(keys) vs \(file.partitions.map(\.0))",
                               at: ParquetLocation(file: file.path))
        }
        var types: [DataType?] = Array(repeating: nil, count: keys.count)
        for file in found {
            for (index, (_, raw)) in file.partitions.enumerated() {
                guard let type = PartitionValues.inferType(raw) else { continue }
                types[index] = types[index].map { PartitionValues.widen($0, type) } ?? type
            }
        }
        let partitionTypes = types.map { $0 ?? .string }
        partitionFields = zip(keys, partitionTypes).map { Field($0.0, $0.1) }
        files = found.map { file in
            DataFile(path: file.path, partitionValues: zip(file.partitions, partitionTypes).map {
                PartitionValues.value($0.0.1, as: $0.1)
            })
        }
        // Nested fields whose types cannot be mapped (an unsupported leaf inside) are left out
        // rather than making the whole dataset unreadable.
        let firstReader = try ParquetReader(path: first.path)
        let fileSchema = try (try? firstReader.schema()) ?? firstReader.schema(skippingNested: true)
        let fileNames = Set(fileSchema.names.map { $0.lowercased() })
        schema = Schema(fileSchema.fields + partitionFields.filter { !fileNames.contains($0.name.lowercased()) })
    }

    private static func discover(
        directory: String, partitions: [(String, String)], into found: inout [(path: String, partitions: [(String, String)])]
    ) throws {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ParquetError(.io, "cannot list directory: \(error)", at: ParquetLocation(file: directory))
        }
        for entry in entries.sorted() {
            // Spark skips metadata and hidden files (_SUCCESS, _metadata, .crc files).
            if entry.hasPrefix("_") || entry.hasPrefix(".") { continue }
            let path = directory + "/" + entry
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                guard let pair = PartitionValues.parse(entry) else { continue }
                try discover(directory: path, partitions: partitions + [pair], into: &found)
            } else {
                found.append((path, partitions))
            }
        }
    }

    /// Indexes of the files whose partition values might satisfy `predicate`.
    public func files(matching predicate: ParquetPredicate?) -> [Int] {
        guard let predicate else { return Array(files.indices) }
        return files.indices.filter { index in
            predicate.mightMatch { name in
                guard let column = self.partitionFields.firstIndex(where: { $0.name.lowercased() == name.lowercased() })
                else { return nil }
                let value = self.files[index].partitionValues[column]
                return ColumnSummary(min: value.isNull ? nil : value, max: value.isNull ? nil : value,
                                     nullCount: value.isNull ? 1 : 0, valueCount: 1)
            }
        }
    }

    /// The reader of file `index`, opened on first use.
    public func reader(file index: Int) throws -> ParquetReader {
        readersLock.lock()
        defer { readersLock.unlock() }
        if let reader = readers[index] { return reader }
        let reader = try ParquetReader(path: files[index].path)
        readers[index] = reader
        return reader
    }

    /// The row groups of every file that partition values and row-group statistics do not rule out
    /// for `predicate`, in file order.
    public func scanUnits(predicate: ParquetPredicate? = nil) throws -> [ScanUnit] {
        var units: [ScanUnit] = []
        for fileIndex in files(matching: predicate) {
            let reader = try reader(file: fileIndex)
            let groups = predicate.map { reader.rowGroups(matching: $0) } ?? Array(0..<reader.rowGroupCount)
            for group in groups {
                units.append(ScanUnit(file: fileIndex, rowGroup: group, rowCount: reader.rowCount(rowGroup: group)))
            }
        }
        return units
    }

    /// Reads columns `columns` (all when nil) of one scan unit. Partition columns are filled from the
    /// directory names; a column missing from the file reads as nulls. Safe to call from many threads.
    /// With a `predicate`, only the pages the page index does not rule out are decoded, and the
    /// batch holds just the rows of those pages (rows are still not filtered one by one).
    public func read(_ unit: ScanUnit, columns: [String]? = nil, predicate: ParquetPredicate? = nil) throws -> RecordBatch {
        let fields = try resolve(columns)
        let reader = try reader(file: unit.file)
        let fileColumns = fields.compactMap { field in
            partitionIndex(field.name) == nil ? reader.topLevelFieldIndex(named: field.name) : nil
        }
        var rows: [Range<Int>]?
        // Row ranges (page-index pruning) apply to flat columns; a nested field reads whole row groups.
        let allFlat = fileColumns.allSatisfy { reader.leafIndex(ofTopLevelField: $0) != nil }
        if let predicate, allFlat {
            let candidates = try reader.candidateRowRanges(rowGroup: unit.rowGroup, matching: predicate)
            if candidates != [0..<unit.rowCount] { rows = candidates }
        }
        let batch = try rows.map { try reader.readRowGroup(unit.rowGroup, fields: fileColumns, rows: $0) }
            ?? reader.readRowGroup(unit.rowGroup, fields: fileColumns)
        var vectors: [ColumnVector] = []
        for field in fields {
            if let partition = partitionIndex(field.name) {
                vectors.append(ColumnVector.constant(files[unit.file].partitionValues[partition], type: field.type, count: batch.rowCount))
            } else if let position = batch.schema.index(of: field.name) {
                vectors.append(batch.columns[position])
            } else {
                vectors.append(ColumnVector.nulls(field.type, count: batch.rowCount))
            }
        }
        return RecordBatch(schema: Schema(fields), columns: vectors, rowCount: batch.rowCount)
    }

    /// Reads columns `columns` (all when nil) of every scan unit that might satisfy `predicate`. Rows
    /// are not filtered: pruning only skips what partition values and statistics rule out.
    public func read(columns: [String]? = nil, predicate: ParquetPredicate? = nil) throws -> [RecordBatch] {
        try scanUnits(predicate: predicate).map { try read($0, columns: columns, predicate: predicate) }
    }

    func resolve(_ columns: [String]?) throws -> [Field] {
        try (columns ?? schema.names).map { name in
            guard let index = schema.index(of: name) else {
                throw ParquetError(.invalidArgument, "no column \(name)", at: ParquetLocation(file: root))
            }
            return schema.fields[index]
        }
    }

    func partitionIndex(_ name: String) -> Int? {
        partitionFields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }
}
