import Testing
import TributaryCore
@testable import Parquet

/// The project's snappy decoder (`SnappyPages`, over `tributary_snappy_decompress`): it gives back
/// what the system library compressed for every kind of element (short and long literals, copies
/// with 1-, 2- and 4-byte offsets, overlapping copies of every short period, blocks shorter than
/// its fast region), and corrupt or truncated blocks are errors, never reads or writes outside
/// the buffers.
@Suite("Snappy page decoding")
struct SnappyPagesTests {
    private func compress(_ raw: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try raw.withUnsafeBytes { try Snappy.compress($0, appendingTo: &out) }
        return out
    }

    private func decompress(_ block: [UInt8], size: Int) throws -> [UInt8] {
        // Starts from a dirty reused buffer, as the page decoder's scratch is.
        var out = [UInt8](repeating: 0xAB, count: 37)
        try block.withUnsafeBytes { try SnappyPages.decompress($0, size: size, into: &out) }
        return out
    }

    /// A deterministic byte generator (xorshift), so a failure replays.
    private struct Bytes {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    private func inputs() -> [(String, [UInt8])] {
        var random = Bytes(state: 0x9E37_79B9_7F4A_7C15)
        var cases: [(String, [UInt8])] = [
            ("empty", []), ("one byte", [7]), ("short text", Array("snappy snappy snappy".utf8)),
            ("zeros", [UInt8](repeating: 0, count: 100_000)),
        ]
        // Eight-byte keys below 2^18 (a dictionary page of keys): a short literal and a copy per value.
        var keys: [UInt8] = []
        for _ in 0..<50_000 {
            withUnsafeBytes(of: Int64(random.next() % 200_000).littleEndian) { keys.append(contentsOf: $0) }
        }
        cases.append(("keys", keys))
        // Incompressible bytes: long literals (longer than 60, 256, 65536 bytes).
        for length in [61, 300, 70_000] {
            cases.append(("random \(length)", (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }))
        }
        // Repeated patterns of every period up to 40: overlapping copies of every offset class.
        for period in 1...40 {
            let pattern = (0..<period).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            cases.append(("period \(period)", (0..<(3000 + period)).map { pattern[$0 % period] }))
        }
        // Text with repeats at every distance, and blocks just around the fast region's limits.
        let words = ["special", "requests", "deposits", "furiously", "blithely", "pending", " "]
        var text: [UInt8] = []
        while text.count < 200_000 { text.append(contentsOf: words[Int(random.next() % UInt64(words.count))].utf8) }
        cases.append(("text", text))
        for length in [20, 21, 22, 63, 64, 65, 80, 100] { cases.append(("text prefix \(length)", Array(text.prefix(length)))) }
        return cases
    }

    @Test func decodesWhatTheLibraryCompressed() throws {
        for (name, raw) in inputs() {
            let block = try compress(raw)
            #expect(try decompress(block, size: raw.count) == raw, "\(name)")
        }
    }

    /// Copies with a 4-byte offset (the library writes them only past 64 KiB) and of the longest
    /// length, built by hand: a 70,000-byte literal, then 64 bytes copied from its start.
    @Test func decodesFourByteOffsetCopies() throws {
        var random = Bytes(state: 42)
        let literal = (0..<70_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var block: [UInt8] = [0xB0, 0xA3, 0x04]  // varint 70,064
        block.append(62 << 2)  // a literal whose length - 1 follows in 3 bytes
        block.append(contentsOf: [0x6F, 0x11, 0x01])  // 69,999
        block.append(contentsOf: literal)
        block.append(63 << 2 | 3)  // copy 64 bytes, 4-byte offset
        block.append(contentsOf: [0x70, 0x11, 0x01, 0x00])  // 70,000
        #expect(try decompress(block, size: 70_064) == literal + literal.prefix(64))
    }

    @Test func rejectsCorruptBlocks() throws {
        let raw = Array(inputs().first { $0.0 == "keys" }!.1.prefix(4000))
        let block = try compress(raw)
        // Another length than the block declares.
        #expect(throws: ParquetError.self) { try decompress(block, size: raw.count - 1) }
        #expect(throws: ParquetError.self) { try decompress(block, size: raw.count + 1) }
        // Every truncation.
        for cut in stride(from: 0, to: block.count, by: 7) {
            #expect(throws: ParquetError.self) { try decompress(Array(block.prefix(cut)), size: raw.count) }
        }
        // A copy before the start of the output, and one with offset 0.
        #expect(throws: ParquetError.self) { try decompress([8, 4 << 2 | 1, 1], size: 8) }
        #expect(throws: ParquetError.self) { try decompress([5, 0, 9, 0 << 2 | 1, 0], size: 5) }
        // A length varint that never ends.
        #expect(throws: ParquetError.self) { try decompress([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], size: 1) }
    }

    /// Damaged blocks (every byte in turn replaced) either decode to the declared size or are
    /// errors; the point is that none reads or writes outside the buffers (run under the address
    /// sanitizer to see it) and none crashes.
    @Test func survivesDamagedBytes() throws {
        let raw = Array(inputs().first { $0.0 == "text" }!.1.prefix(3000))
        let block = try compress(raw)
        var decoded = 0
        for position in 1..<block.count {
            for value: UInt8 in [0x00, 0xFF, block[position] ^ 0x5A] where value != block[position] {
                var damaged = block
                damaged[position] = value
                if let out = try? decompress(damaged, size: raw.count) {
                    #expect(out.count == raw.count)
                    decoded += 1
                }
            }
        }
        // Most damage to literal bytes still decodes (to other bytes); damage to tags mostly does not.
        #expect(decoded > 0)
    }
}

/// Pages that need no decompression are read in place: an uncompressed page, and a snappy block
/// that is one literal of the whole page (what a page that does not compress becomes).
@Suite("Pages read in place")
struct PagesReadInPlaceTests {
    private func compress(_ raw: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try raw.withUnsafeBytes { try Snappy.compress($0, appendingTo: &out) }
        return out
    }

    @Test func oneLiteralBlocksAreSlicesOfTheInput() throws {
        var state: UInt64 = 12345
        let random = (0..<3000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        for length in [1, 60, 61, 256, 3000] {
            let raw = Array(random.prefix(length))
            let block = try compress(raw)
            try block.withUnsafeBytes { input in
                let slice = try #require(SnappyPages.wholeLiteral(input, size: length))
                #expect(Array(slice) == raw)
                #expect(slice.baseAddress! >= input.baseAddress! && slice.baseAddress! + length == input.baseAddress! + input.count)
                // Another declared size, or a block cut short, is not a whole literal.
                #expect(SnappyPages.wholeLiteral(input, size: length + 1) == nil)
                #expect(SnappyPages.wholeLiteral(UnsafeRawBufferPointer(rebasing: input.dropLast()), size: length) == nil)
            }
        }
        // A block with copies is decompressed, not sliced.
        let repeated = [UInt8](repeating: 9, count: 500)
        try compress(repeated).withUnsafeBytes { #expect(SnappyPages.wholeLiteral($0, size: 500) == nil) }
    }

    @Test func pageBytesComeFromTheInputOrTheScratch() throws {
        let raw = (0..<2000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
        var scratch: [UInt8] = [1, 2, 3]
        // Uncompressed: the input itself, and a size mismatch is an error.
        try raw.withUnsafeBytes { input in
            let same = try PageDecompressor.withPageBytes(input, codec: .uncompressed, size: raw.count, scratch: &scratch) {
                $0.baseAddress == input.baseAddress && Array($0) == raw
            }
            #expect(same)
            #expect(throws: ParquetError.self) {
                try PageDecompressor.withPageBytes(input, codec: .uncompressed, size: raw.count - 1, scratch: &scratch) { _ in }
            }
        }
        // Compressible snappy: decompressed into the scratch.
        let block = try compress(raw)
        try block.withUnsafeBytes { input in
            let bytes = try PageDecompressor.withPageBytes(input, codec: .snappy, size: raw.count, scratch: &scratch) { Array($0) }
            #expect(bytes == raw)
        }
        #expect(scratch == raw)
    }
}
