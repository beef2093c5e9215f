import Columnar
import Foundation

/// Writes batches as a Parquet dataset directory, optionally partitioned Hive-style by columns
/// (`partitionBy`): partition columns leave the files and become `key=value` directories.
public enum ParquetDatasetWriter {
    /// Writes `batches` (all of `schema`) under `directory`, which is created; existing files with
    /// the same names are replaced. Returns the paths written.
    @discardableResult
    public static func write(
        _ batches: [RecordBatch], schema: Schema, to directory: String, partitionBy: [String] = [],
        options: ParquetWriteOptions = ParquetWriteOptions()
    ) throws -> [String] {
        let partitionColumns = try partitionBy.map { name -> Int in
            guard let index = schema.index(of: name) else {
                throw ParquetError(.invalidArgument, "partition column \(name) is not in the schema", at: ParquetLocation(file: directory))
            }
            return index
        }
        guard partitionColumns.count < schema.count else {
            throw ParquetError(.invalidArgument, "cannot partition by every column", at: ParquetLocation(file: directory))
        }
        let dataColumns = (0..<schema.count).filter { !partitionColumns.contains($0) }
        let dataSchema = Schema(dataColumns.map { schema.fields[$0] })
        let runId = UUID().uuidString.lowercased()
        let suffix = Self.fileSuffix(options.compression)

        // Rows of each partition, in first-seen order of partitions.
        var order: [String] = []
        var rowsByPartition: [String: [(batch: Int, rows: [Int32])]] = [:]
        for (batchIndex, batch) in batches.enumerated() {
            var local: [String: [Int32]] = [:]
            var localOrder: [String] = []
            for row in 0..<batch.rowCount {
                let key = partitionColumns.map { column in
                    schema.fields[column].name + "=" + PartitionValues.directoryName(batch.columns[column].scalar(at: row))
                }.joined(separator: "/")
                if local[key] == nil { localOrder.append(key) }
                local[key, default: []].append(Int32(row))
            }
            for key in localOrder {
                if rowsByPartition[key] == nil { order.append(key) }
                rowsByPartition[key, default: []].append((batchIndex, local[key] ?? []))
            }
        }
        if batches.allSatisfy({ $0.rowCount == 0 }) && partitionColumns.isEmpty { order = [""] }

        var written: [String] = []
        for (fileIndex, key) in order.enumerated() {
            let folder = key.isEmpty ? directory : directory + "/" + key
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ParquetError(.io, "cannot create directory: \(error)", at: ParquetLocation(file: folder))
            }
            let name = String(format: "part-%05d-%@.c000%@.parquet", fileIndex, runId, suffix)
            let path = folder + "/" + name
            let writer = try ParquetWriter(path: path, schema: dataSchema, options: options)
            for (batchIndex, rows) in rowsByPartition[key] ?? [] {
                let batch = batches[batchIndex]
                let picked = partitionColumns.isEmpty && rows.count == batch.rowCount ? batch : batch.take(rows)
                try writer.write(RecordBatch(schema: dataSchema, columns: dataColumns.map { picked.columns[$0] },
                                             rowCount: picked.rowCount))
            }
            try writer.close()
            written.append(path)
        }
        // Spark's marker of a completed write.
        guard FileManager.default.createFile(atPath: directory + "/_SUCCESS", contents: Data()) else {
            throw ParquetError(.io, "cannot write the _SUCCESS marker", at: ParquetLocation(file: directory))
        }
        return written
    }

    /// The codec's part of a file name, as parquet-mr names its files (`.snappy`, `.gz`, `.zstd`,
    /// `.lz4raw`; nothing when uncompressed).
    static func fileSuffix(_ codec: ParquetCompression) -> String {
        switch codec {
        case .uncompressed: return ""
        case .gzip: return ".gz"
        case .lz4Raw: return ".lz4raw"
        case .lz4: return ".lz4hadoop"
        case .brotli: return ".br"
        default: return "." + codec.description.lowercased()
        }
    }
}
