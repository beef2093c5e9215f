import Testing
@testable import TributaryCore

/// Corrupt, truncated and hostile inputs must throw, never crash or overrun.
@Suite("Compression corrupt input")
struct CompressionCorruptInputTests {
    @Test("truncated streams throw", arguments: CodecUnderTest.allCases)
    func truncated(codec: CodecUnderTest) throws {
        let input = CompressionInputs.large
        let compressed = try codec.compress(input)
        for cut in [1, 5, compressed.count / 2, compressed.count - 1] where cut < compressed.count {
            var out: [UInt8] = []
            #expect(throws: CompressionError.self, "\(codec) cut at \(cut)") {
                try codec.decompress(Array(compressed.prefix(cut)), into: &out,
                                     maxOutputBytes: input.count, expectedBytes: input.count)
            }
            #expect(out.isEmpty)
        }
    }

    @Test("empty input throws for framed codecs")
    func empty() throws {
        for codec in [CodecUnderTest.gzip, .zlib, .lz4Frame, .zstd, .snappyRaw] {
            var out: [UInt8] = []
            #expect(throws: CompressionError.self, "\(codec)") {
                try codec.decompress([], into: &out, maxOutputBytes: 100, expectedBytes: 0)
            }
        }
    }

    @Test("flipped bytes never crash", arguments: CodecUnderTest.allCases)
    func flippedBytes(codec: CodecUnderTest) throws {
        let input = CompressionInputs.big
        let compressed = try codec.compress(input)
        var state: UInt64 = 12345
        var out: [UInt8] = []
        for _ in 0..<300 {
            var damaged = compressed
            for _ in 0..<3 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let at = Int(truncatingIfNeeded: (state >> 33) % UInt64(damaged.count))
                damaged[at] ^= UInt8(truncatingIfNeeded: state >> 20) | 1
            }
            out.removeAll(keepingCapacity: true)
            // Either an error, or some output within the bound (codecs without checksums may decode
            // damaged literals); never a crash or an overrun.
            do {
                try codec.decompress(damaged, into: &out, maxOutputBytes: input.count, expectedBytes: input.count)
                #expect(out.count <= input.count)
            } catch is CompressionError {
                #expect(out.isEmpty)
            }
        }
    }

    @Test("snappy length header larger than the limit is refused before allocating")
    func snappyHugeDeclaredLength() {
        // Varint 0xFFFFFFFF0F declares 4 GiB of output.
        let hostile: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]
        var out: [UInt8] = []
        #expect(throws: CompressionError.outputTooLarge(codec: "snappy", limitBytes: 1 << 20)) {
            try CodecUnderTest.snappyRaw.decompress(hostile, into: &out, maxOutputBytes: 1 << 20, expectedBytes: 0)
        }
    }

    @Test("xerial block length past the end throws")
    func xerialOverrun() {
        var hostile = SnappyXerial.magic + [0, 0, 0, 1, 0, 0, 0, 1]
        hostile += [0x7F, 0xFF, 0xFF, 0xFF, 0x01, 0x00]
        var out: [UInt8] = []
        #expect(throws: CompressionError.self) {
            try CodecUnderTest.snappyXerial.decompress(hostile, into: &out, maxOutputBytes: 100, expectedBytes: 0)
        }
    }

    @Test("gzip trailing garbage throws")
    func gzipTrailingGarbage() throws {
        var compressed = try CodecUnderTest.gzip.compress(CompressionInputs.small)
        compressed += [0x00, 0x01, 0x02]
        var out: [UInt8] = []
        #expect(throws: CompressionError.self) {
            try CodecUnderTest.gzip.decompress(compressed, into: &out, maxOutputBytes: 1000, expectedBytes: 0)
        }
    }

    @Test("lz4 block with a wrong declared size throws")
    func lz4BlockWrongSize() throws {
        let compressed = try CodecUnderTest.lz4Block.compress(CompressionInputs.small)
        var out: [UInt8] = []
        #expect(throws: CompressionError.self) {
            try CodecUnderTest.lz4Block.decompress(compressed, into: &out, maxOutputBytes: 0,
                                                   expectedBytes: CompressionInputs.small.count + 10)
        }
        #expect(throws: CompressionError.self) {
            try CodecUnderTest.lz4Block.decompress(compressed, into: &out, maxOutputBytes: 0,
                                                   expectedBytes: CompressionInputs.small.count - 10)
        }
    }
}
