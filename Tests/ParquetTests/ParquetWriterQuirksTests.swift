import Testing
import TributaryCore
@testable import Parquet

/// Layouts other writers produce that the specification leaves open: each must read as the writer meant.
@Suite("Parquet writer quirks")
struct ParquetWriterQuirksTests {
    @Test("an empty thrift list whose header names no element type (fastparquet) reads as empty")
    func emptyListWithoutElementType() throws {
        let bytes: [UInt8] = [0x00]
        let header = try bytes.withUnsafeBytes { raw -> (ThriftType, Int) in
            var reader = ThriftCompactReader(raw)
            return try reader.readListHeader()
        }
        #expect(header.1 == 0)
    }

    @Test("a non-empty thrift list without an element type is still refused")
    func nonEmptyListWithoutElementTypeRefused() {
        let bytes: [UInt8] = [0x30, 1, 2, 3]
        #expect(throws: ParquetError.self) {
            try bytes.withUnsafeBytes { raw in
                var reader = ThriftCompactReader(raw)
                _ = try reader.readListHeader()
            }
        }
    }

    private func lz4Page(_ values: [UInt8], _ compress: (UnsafeRawBufferPointer, inout [UInt8]) throws -> Void) throws
        -> [UInt8] {
        var compressed: [UInt8] = []
        try values.withUnsafeBytes { try compress($0, &compressed) }
        var output: [UInt8] = []
        try compressed.withUnsafeBytes {
            try PageDecompressor.decompress($0, codec: .lz4, size: values.count, into: &output)
        }
        return output
    }

    private static let pageValues: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }

    @Test("codec LZ4 pages as a raw block (fastparquet), a frame (old pyarrow) or Hadoop-framed blocks")
    func deprecatedLZ4Layouts() throws {
        let values = Self.pageValues
        #expect(try lz4Page(values) { try LZ4.compressBlock($0, appendingTo: &$1) } == values)
        #expect(try lz4Page(values) { try LZ4.compressFrame($0, appendingTo: &$1) } == values)
        let hadoop = try lz4Page(values) { input, out in
            var block: [UInt8] = []
            try LZ4.compressBlock(input, appendingTo: &block)
            for length in [input.count, block.count] {
                out += [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF),
                        UInt8(length & 0xFF)]
            }
            out += block
        }
        #expect(hadoop == values)
    }

    @Test("a codec LZ4 page that is none of the layouts throws")
    func corruptLZ4Page() {
        let garbage: [UInt8] = [0xFF, 0x00, 0x13, 0x77, 0x01]
        #expect(throws: (any Error).self) {
            var output: [UInt8] = []
            try garbage.withUnsafeBytes { try PageDecompressor.decompress($0, codec: .lz4, size: 100, into: &output) }
        }
    }
}
