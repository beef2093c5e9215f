import Columnar
import Foundation

/// A Parquet file, or a directory of Parquet files with Hive-style partition directories
/// (`year=2024/month=3/part-0.parquet`), read as one relation: the files' columns followed by the
/// partition columns (typed as Spark infers them), with partition and statistics pruning.
public final class ParquetDataset {
    /// One data file and the partition values its directories give it.
    public struct DataFile: Sendable {
        public var path: String
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
    private let fileFieldCount: Int

    /// Discovers the files under `path` (or the single file at `path`) and infers partition columns.
    public init(path: String) throws {
        root = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ParquetError(.io, "path does not exist", at: ParquetLocation(file: path))
        }
        var found: [(path: String, partitions: [(String, String)])] = []
        if isDirectory.boolValue {
            try Self.discover(directory: path, partitions: [], into: &found)
        } else {
            found.append((path, []))
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
        let fileSchema = try ParquetReader(path: first.path).schema(skippingNested: true)
        fileFieldCount = fileSchema.count
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

    /// Reads the columns `columns` (all when nil) of every file and row group that might satisfy
    /// `predicate`. Partition columns are filled from the directory names; a column missing from a
    /// file reads as nulls. Rows are not filtered: pruning only skips what statistics rule out.
    public func read(columns: [String]? = nil, predicate: ParquetPredicate? = nil) throws -> [RecordBatch] {
        let names = columns ?? schema.names
        var fields: [Field] = []
        for name in names {
            guard let index = schema.index(of: name) else {
                throw ParquetError(.invalidArgument, "no column \(name)", at: ParquetLocation(file: root))
            }
            fields.append(schema.fields[index])
        }
        let outputSchema = Schema(fields)
        var batches: [RecordBatch] = []
        for fileIndex in files(matching: predicate) {
            let file = files[fileIndex]
            let reader = try ParquetReader(path: file.path)
            let groups = predicate.map { reader.rowGroups(matching: $0) } ?? Array(0..<reader.rowGroupCount)
            guard !groups.isEmpty else { continue }
            let fileColumns = fields.compactMap { reader.topLevelFieldIndex(named: $0.name) }
            let read = try reader.readRowGroups(groups, fields: fileColumns)
            for batch in read {
                var vectors: [ColumnVector] = []
                for field in fields {
                    if let position = batch.schema.index(of: field.name), partitionIndex(field.name) == nil {
                        vectors.append(batch.columns[position])
                    } else if let partition = partitionIndex(field.name) {
                        vectors.append(ColumnVector.constant(file.partitionValues[partition], type: field.type, count: batch.rowCount))
                    } else {
                        vectors.append(ColumnVector.nulls(field.type, count: batch.rowCount))
                    }
                }
                batches.append(RecordBatch(schema: outputSchema, columns: vectors, rowCount: batch.rowCount))
            }
        }
        return batches
    }

    private func partitionIndex(_ name: String) -> Int? {
        partitionFields.firstIndex { $0.name.lowercased() == name.lowercased() }
    }
}
