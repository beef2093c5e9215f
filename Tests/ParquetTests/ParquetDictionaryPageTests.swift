import Columnar
import Foundation
import Testing
import TributaryCore
@testable import Parquet

/// Dictionary pages of fixed-width numbers decompressed straight into their typed buffer
/// (`FixedWidthDictionary`), and column chunks read straight from the mapped file: the values are
/// those written, whatever the codec, and bad pages are errors.
@Suite("Parquet dictionary pages and mapped reads")
struct ParquetDictionaryPageTests {
    private func bytes<T>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    private func snappy(_ raw: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try raw.withUnsafeBytes { try Snappy.compress($0, appendingTo: &out) }
        return out
    }

    @Test func fixedWidthDictionariesDecodeFromEveryTypeAndCodec() throws {
        let longs: [Int64] = (0..<5000).map { Int64($0 * 7919 % 200_003) - 1000 }
        let ints: [Int32] = (0..<777).map { Int32($0 * 31 % 1009) }
        let floats: [Float] = [1.5, -2.25, .infinity, 0]
        let doubles: [Double] = (0..<100).map { Double($0) / 3 }
        for codec in [ParquetCompression.snappy, .uncompressed] {
            func page(_ raw: [UInt8]) throws -> [UInt8] { codec == .snappy ? try snappy(raw) : raw }
            func decode(_ raw: [UInt8], _ type: PhysicalType, _ count: Int) throws -> DecodedValues? {
                try page(raw).withUnsafeBytes {
                    try FixedWidthDictionary.decode($0, codec: codec, physicalType: type, width: 0, count: count, size: raw.count)
                }
            }
            #expect(try decode(bytes(longs), .int64, longs.count)?.int64s == longs)
            #expect(try decode(bytes(ints), .int32, ints.count)?.int32s == ints)
            #expect(try decode(bytes(floats), .float, floats.count)?.floats == floats)
            #expect(try decode(bytes(doubles), .double, doubles.count)?.doubles == doubles)
            // Not exactly `count` values, an empty dictionary, or another type: the general path.
            #expect(try decode(bytes(longs), .int64, longs.count - 1) == nil)
            #expect(try decode(bytes(longs), .int32, longs.count) == nil)
            #expect(try decode([], .int64, 0) == nil)
            #expect(try decode(bytes(longs), .byteArray, longs.count) == nil)
        }
        let raw = bytes(longs)
        var gzip: [UInt8] = []
        try raw.withUnsafeBytes { try Deflate.compress($0, appendingTo: &gzip, framing: .gzip) }
        #expect(try gzip.withUnsafeBytes {
            try FixedWidthDictionary.decode($0, codec: .gzip, physicalType: .int64, width: 0, count: longs.count, size: raw.count)
        } == nil)
    }

    @Test func corruptDictionaryPagesAreErrors() throws {
        let raw = bytes((0..<1000).map { Int64($0) * 1_000_003 })
        let compressed = try snappy(raw)
        func decode(_ body: [UInt8], _ codec: ParquetCompression, size: Int) throws -> DecodedValues? {
            try body.withUnsafeBytes {
                try FixedWidthDictionary.decode($0, codec: codec, physicalType: .int64, width: 0, count: size / 8, size: size)
            }
        }
        // A cut block, a block of another length than the header's, raw bytes fewer than declared.
        #expect(throws: ParquetError.self) { try decode(Array(compressed.prefix(compressed.count / 2)), .snappy, size: raw.count) }
        #expect(throws: ParquetError.self) { try decode(try snappy(Array(raw.prefix(800))), .snappy, size: raw.count) }
        #expect(throws: ParquetError.self) { try decode(Array(raw.prefix(800)), .uncompressed, size: raw.count) }
        var garbled = compressed
        for index in stride(from: 3, to: garbled.count, by: 5) { garbled[index] ^= 0x5a }
        #expect(throws: ParquetError.self) { try decode(garbled, .snappy, size: raw.count) }
    }

    @Test func filesWithNumericDictionariesReadBackFromTheMapping() throws {
        let schema = Schema([
            Field("i", .int32), Field("l", .int64, nullable: false), Field("f", .float32), Field("d", .float64),
            Field("day", .date),
        ])
        let rows = 2500
        for codec in [ParquetCompression.snappy, .uncompressed, .zstd] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("dictpage-\(UUID().uuidString).parquet").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            var options = ParquetWriteOptions()
            options.compression = codec
            options.rowGroupRows = 1000
            options.pageRowsMax = 100
            let writer = try ParquetWriter(path: path, schema: schema, options: options)
            var builders = schema.fields.map { ColumnBuilder(type: $0.type) }
            for row in 0..<rows {
                builders[0].append(row % 13 == 0 ? .null : .int(Int64(row % 97)))
                builders[1].append(.int(Int64(row % 211) * 1_000_000_007))
                builders[2].append(.double(Double(row % 17) / 4))
                builders[3].append(.double(Double(row % 59) / 3))
                builders[4].append(.date(Int32(8000 + row % 31)))
            }
            try writer.write(RecordBatch(schema: schema, columns: builders.indices.map { builders[$0].finish() }))
            try writer.close()

            let reader = try ParquetReader(path: path)
            var row = 0
            for group in 0..<reader.rowGroupCount {
                let batch = try reader.readRowGroup(group)
                // Every 7th row of the group, read selectively, matches the whole read.
                let picks = Array(stride(from: Int32(0), to: Int32(batch.rowCount), by: 7))
                for field in 0..<schema.fields.count {
                    let picked = try reader.readColumn(rowGroup: group, field: field, selection: picks)
                    for (k, pick) in picks.enumerated() {
                        #expect(picked.scalar(at: k) == batch.columns[field].scalar(at: Int(pick)))
                    }
                }
                for local in 0..<batch.rowCount {
                    let r = row + local
                    #expect(batch.columns[0].scalar(at: local) == (r % 13 == 0 ? .null : .int(Int64(r % 97))))
                    #expect(batch.columns[1].scalar(at: local) == .int(Int64(r % 211) * 1_000_000_007))
                    #expect(batch.columns[3].scalar(at: local) == .double(Double(r % 59) / 3))
                    #expect(batch.columns[4].scalar(at: local) == .date(Int32(8000 + r % 31)))
                }
                row += batch.rowCount
            }
            #expect(row == rows)
        }
    }

    @Test func mappedByteRangesAreBoundsChecked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapped-\(UUID().uuidString).bin").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data((0..<100).map { UInt8($0) })))
        let source = try ParquetSource(path: path)
        #expect(try source.withBytes(offset: 90, count: 10) { Array($0) } == Array(90..<100))
        #expect(try source.read(offset: 0, count: 3) == [0, 1, 2])
        #expect(throws: ParquetError.self) { try source.withBytes(offset: 95, count: 10) { $0.count } }
        #expect(throws: ParquetError.self) { try source.withBytes(offset: -1, count: 1) { $0.count } }
        // Rewritten shorter while open: ranges past the new end are errors, not faults.
        #expect(truncate(path, 50) == 0)
        #expect(try source.withBytes(offset: 10, count: 40) { Array($0) } == Array(10..<50))
        #expect(throws: ParquetError.self) { try source.withBytes(offset: 90, count: 10) { $0.count } }
        #expect(throws: ParquetError.self) { try source.read(offset: 40, count: 20) }
    }
}
