import Foundation
import Testing
@testable import TributaryCore

/// Decodes bytes made by the reference Python bindings (see tests/compression/make_fixtures.py).
@Suite("Compression golden fixtures")
struct CompressionGoldenTests {
    private func decode(_ codec: CodecUnderTest, _ data: Data, expected: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try codec.decompress(data.bytes, into: &out, maxOutputBytes: 1 << 24, expectedBytes: expected.count)
        return out
    }

    @Test func gzipConcatenatedMembers() throws {
        let expected = CompressionInputs.small + Array("second member".utf8)
        #expect(try decode(.gzip, CompressionFixtures.gzipTwoMembers, expected: expected) == expected)
    }

    @Test func gzipBig() throws {
        #expect(try decode(.gzip, CompressionFixtures.gzipBig, expected: CompressionInputs.big) == CompressionInputs.big)
    }

    @Test func zlibAndRawDeflate() throws {
        let small = CompressionInputs.small
        #expect(try decode(.zlib, CompressionFixtures.zlibSmall, expected: small) == small)
        #expect(try decode(.rawDeflate, CompressionFixtures.rawDeflateSmall, expected: small) == small)
        // Parquet's GZIP reader also accepts zlib-framed data.
        #expect(try decode(.gzip, CompressionFixtures.zlibSmall, expected: small) == small)
    }

    @Test func snappyRawAndXerial() throws {
        let small = CompressionInputs.small
        #expect(try decode(.snappyRaw, CompressionFixtures.snappyRawSmall, expected: small) == small)
        // The Kafka snappy decoder accepts raw blocks (librdkafka) as well as xerial streams (Java).
        #expect(try decode(.snappyXerial, CompressionFixtures.snappyRawSmall, expected: small) == small)
        let big = CompressionInputs.big
        #expect(try decode(.snappyXerial, CompressionFixtures.snappyXerialBig, expected: big) == big)
    }

    @Test func lz4FramesAndBlocks() throws {
        let big = CompressionInputs.big
        let small = CompressionInputs.small
        #expect(try decode(.lz4Frame, CompressionFixtures.lz4FrameBig, expected: big) == big)
        #expect(try decode(.lz4Frame, CompressionFixtures.lz4FrameLinkedSmall, expected: small) == small)
        #expect(try decode(.lz4Block, CompressionFixtures.lz4BlockSmall, expected: small) == small)
    }

    @Test func zstdUnknownSizeAndConcatenatedFrames() throws {
        let big = CompressionInputs.big
        #expect(try decode(.zstd, CompressionFixtures.zstdStreamedBig, expected: big) == big)
        let twice = CompressionInputs.small + CompressionInputs.small
        #expect(try decode(.zstd, CompressionFixtures.zstdTwoFramesSmall, expected: twice) == twice)
    }

    @Test func zstdUnknownSizeStillBounded() throws {
        var out: [UInt8] = []
        #expect(throws: CompressionError.outputTooLarge(codec: "zstd", limitBytes: 1000)) {
            try CodecUnderTest.zstd.decompress(
                CompressionFixtures.zstdStreamedBig.bytes, into: &out, maxOutputBytes: 1000, expectedBytes: 0)
        }
        #expect(out.isEmpty)
    }
}
