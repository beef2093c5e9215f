import Testing
@testable import TributaryCore

@Suite("Compression round trips")
struct CompressionRoundTripTests {
    static let inputs: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [42]),
        ("small", CompressionInputs.small),
        ("large", CompressionInputs.large),
        ("incompressible", CompressionInputs.noise(count: 300_000)),
    ]

    @Test("every codec restores its input", arguments: CodecUnderTest.allCases)
    func roundTrip(codec: CodecUnderTest) throws {
        for (name, input) in Self.inputs {
            let compressed = try codec.compress(input)
            // Decode after a prefix, to check the codecs append rather than overwrite.
            var out: [UInt8] = [7, 7, 7]
            try codec.decompress(compressed, into: &out, maxOutputBytes: input.count, expectedBytes: input.count)
            #expect(out.count == input.count + 3, "\(codec) \(name)")
            #expect(Array(out.dropFirst(3)) == input, "\(codec) \(name)")
        }
    }

    @Test("every codec restores its input into a fresh buffer (written uninitialised)", arguments: CodecUnderTest.allCases)
    func roundTripIntoEmpty(codec: CodecUnderTest) throws {
        for (name, input) in Self.inputs {
            let compressed = try codec.compress(input)
            var out: [UInt8] = []
            try codec.decompress(compressed, into: &out, maxOutputBytes: input.count, expectedBytes: input.count)
            #expect(out == input, "\(codec) \(name)")
            // A failing decode into a fresh buffer leaves it empty.
            var failed: [UInt8] = []
            if input.count > 1, codec.boundsOutput {
                #expect(throws: CompressionError.self) {
                    try codec.decompress(compressed, into: &failed, maxOutputBytes: input.count - 1, expectedBytes: 0)
                }
                #expect(failed.isEmpty, "\(codec) \(name)")
            }
        }
    }

    @Test("compression shrinks repetitive data", arguments: CodecUnderTest.allCases)
    func shrinks(codec: CodecUnderTest) throws {
        let compressed = try codec.compress(CompressionInputs.large)
        #expect(compressed.count * 3 < CompressionInputs.large.count)
    }

    @Test("decompression beyond the caller's limit throws and leaves the output untouched",
          arguments: CodecUnderTest.allCases.filter(\.boundsOutput))
    func limitEnforced(codec: CodecUnderTest) throws {
        let input = CompressionInputs.large
        let compressed = try codec.compress(input)
        var out: [UInt8] = [1, 2]
        #expect(throws: CompressionError.self) {
            try codec.decompress(compressed, into: &out, maxOutputBytes: input.count - 1, expectedBytes: 0)
        }
        #expect(out == [1, 2])
    }

    @Test("a reused output buffer keeps its capacity")
    func reuse() throws {
        let compressed = try CodecUnderTest.zstd.compress(CompressionInputs.large)
        var out: [UInt8] = []
        try CodecUnderTest.zstd.decompress(compressed, into: &out, maxOutputBytes: 1 << 24, expectedBytes: 0)
        let capacity = out.capacity
        out.removeAll(keepingCapacity: true)
        try CodecUnderTest.zstd.decompress(compressed, into: &out, maxOutputBytes: 1 << 24, expectedBytes: 0)
        #expect(out == CompressionInputs.large)
        #expect(out.capacity == capacity)
    }

    @Test("Kafka codec numbers and dispatch")
    func kafkaCodecs() throws {
        #expect(CompressionCodec.allCases.map(\.rawValue) == [0, 1, 2, 3, 4])
        #expect(try CompressionCodec(batchAttributes: 0x0014) == .zstd)  // bit 4 (timestamp type) ignored
        #expect(throws: CompressionError.unknownCodec(attribute: 5)) { try CompressionCodec(batchAttributes: 5) }
        for codec in CompressionCodec.allCases {
            var compressed: [UInt8] = []
            try CompressionInputs.large.withUnsafeBytes { try codec.compress($0, appendingTo: &compressed) }
            var out: [UInt8] = []
            try compressed.withUnsafeBytes {
                try codec.decompress($0, appendingTo: &out, maxOutputBytes: CompressionInputs.large.count)
            }
            #expect(out == CompressionInputs.large, "\(codec)")
        }
        // Snappy for Kafka is written in the xerial framing the Java client uses.
        var snappy: [UInt8] = []
        try CompressionInputs.small.withUnsafeBytes { try CompressionCodec.snappy.compress($0, appendingTo: &snappy) }
        #expect(Array(snappy.prefix(8)) == SnappyXerial.magic)
    }
}
