import CTributary
import Testing
import TributaryCore

/// The snappy decoder's fast loops (portable and SSSE3) element by element: blocks built by hand
/// from every element kind (literals with the length in the tag or in 1 to 4 bytes after it,
/// copies with 1-, 2- and 4-byte offsets), every copy length, offsets 1 to 64 (overlapping runs
/// written as repeated patterns) and beyond, outputs of every size from 0 to 200 bytes (so
/// elements straddle the point where the fast loop hands over to the exact one), checked against
/// the output the builder knows; and damaged blocks, where every variant must agree with a plain
/// reference decoder on whether the block is valid and what it holds.
@Suite("Snappy decoder elements")
struct SnappyElementTests {
    /// The fast-loop variants: 1 portable, 2 SSSE3 (portable where the CPU lacks it).
    private static let kinds: [Int32] = [1, 2]

    /// A deterministic generator (xorshift), so a failure replays.
    private struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    /// A block under construction, with the output it must decode to.
    private struct Builder {
        var elements: [UInt8] = []
        var output: [UInt8] = []

        /// A literal, its length in the tag when it fits (up to 60) unless `trailer` asks for 1 to
        /// 4 length bytes after it.
        mutating func literal(_ bytes: [UInt8], trailer: Int = 0) {
            let stored = bytes.count - 1
            if trailer == 0 && stored < 60 {
                elements.append(UInt8(stored << 2))
            } else {
                let count = max(trailer, stored < 256 ? 1 : stored < 65536 ? 2 : stored < 1 << 24 ? 3 : 4)
                elements.append(UInt8((59 + count) << 2))
                for k in 0..<count { elements.append(UInt8(truncatingIfNeeded: stored >> (8 * k))) }
            }
            elements.append(contentsOf: bytes)
            output.append(contentsOf: bytes)
        }

        /// A copy with `offsetBytes` (1, 2 or 4) offset bytes; the caller keeps length and offset
        /// in that kind's range.
        mutating func copy(length: Int, offset: Int, offsetBytes: Int) {
            switch offsetBytes {
            case 1:
                elements.append(UInt8((offset >> 8) << 5 | (length - 4) << 2 | 1))
                elements.append(UInt8(offset & 0xFF))
            case 2:
                elements.append(UInt8((length - 1) << 2 | 2))
                elements.append(contentsOf: [UInt8(offset & 0xFF), UInt8(offset >> 8)])
            default:
                elements.append(UInt8((length - 1) << 2 | 3))
                for k in 0..<4 { elements.append(UInt8(truncatingIfNeeded: offset >> (8 * k))) }
            }
            let start = output.count - offset
            for k in 0..<length { output.append(output[start + k]) }
        }

        /// The whole block: the output's length as a varint, then the elements.
        var block: [UInt8] {
            var header: [UInt8] = []
            var value = output.count
            while value >= 0x80 {
                header.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            header.append(UInt8(value))
            return header + elements
        }
    }

    /// Appends one random element that fits within `room` more output bytes (at least 1).
    private static func randomElement(_ builder: inout Builder, _ random: inout Random, room: Int) {
        let written = builder.output.count
        if written == 0 || random.below(3) == 0 {
            let long = random.below(8) == 0
            let length = min(room, long ? 1 + random.below(300) : 1 + random.below(40))
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            builder.literal(bytes, trailer: random.below(6) == 0 ? 1 + random.below(4) : 0)
            return
        }
        // Mostly short offsets, so overlapping runs of every period are common.
        let offset = 1 + (random.below(2) == 0 ? random.below(min(written, 64)) : random.below(written))
        let kind = random.below(3)
        if kind == 0 && offset < 2048 && room >= 4 {
            builder.copy(length: 4 + random.below(min(8, room - 3)), offset: offset, offsetBytes: 1)
        } else if kind == 1 && offset < 65536 || offset >= 65536 || room < 4 {
            builder.copy(length: 1 + random.below(min(64, room)), offset: offset, offsetBytes: offset < 65536 ? 2 : 4)
        } else {
            builder.copy(length: 1 + random.below(min(64, room)), offset: offset, offsetBytes: 4)
        }
    }

    /// Decodes `block` into a buffer of exactly `size` bytes with variant `kind`; nil when the
    /// decoder reports the block corrupt.
    private static func decode(_ block: [UInt8], size: Int, kind: Int32) -> [UInt8]? {
        var out = [UInt8](repeating: 0xEE, count: size)
        let status = block.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { output in
                tributary_snappy_decompress_kind(input.baseAddress, input.count, output.baseAddress, size, kind)
            }
        }
        return status == 0 ? out : nil
    }

    /// A plain decoder written from the format's description: element by element, byte by byte.
    private static func reference(_ block: [UInt8], size: Int) -> [UInt8]? {
        var position = 0
        var declared = 0
        var shift = 0
        while true {
            guard position < block.count, shift <= 28 else { return nil }
            let byte = Int(block[position])
            position += 1
            declared |= (byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        guard declared <= 0xFFFF_FFFF, declared == size else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        while position < block.count {
            let tag = Int(block[position])
            position += 1
            func trailer(_ count: Int) -> Int? {
                guard block.count - position >= count else { return nil }
                var value = 0
                for k in 0..<count { value |= Int(block[position + k]) << (8 * k) }
                position += count
                return value
            }
            if tag & 3 == 0 {
                var length = (tag >> 2) + 1
                if length > 60 {
                    guard let stored = trailer(length - 60) else { return nil }
                    length = stored + 1
                }
                guard block.count - position >= length, size - out.count >= length else { return nil }
                out.append(contentsOf: block[position..<(position + length)])
                position += length
                continue
            }
            let length: Int
            let offset: Int
            switch tag & 3 {
            case 1:
                guard let low = trailer(1) else { return nil }
                length = ((tag >> 2) & 7) + 4
                offset = (tag >> 5) << 8 | low
            case 2:
                guard let value = trailer(2) else { return nil }
                length = (tag >> 2) + 1
                offset = value
            default:
                guard let value = trailer(4) else { return nil }
                length = (tag >> 2) + 1
                offset = value
            }
            guard offset > 0, offset <= out.count, size - out.count >= length else { return nil }
            let start = out.count - offset
            for k in 0..<length { out.append(out[start + k]) }
        }
        return out.count == size ? out : nil
    }

    @Test func everyCopyLengthAndShortOffset() {
        // A run of every period 1...64 copied at every length of its kind, far from the block's
        // ends (inside the fast loop) and at its end (the exact loop).
        var random = Random(state: 7)
        for offsetBytes in [1, 2, 4] {
            for offset in 1...64 {
                for length in (offsetBytes == 1 ? Array(4...11) : Array(1...64)) {
                    var builder = Builder()
                    builder.literal((0..<offset).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                    builder.copy(length: length, offset: offset, offsetBytes: offsetBytes)
                    builder.literal((0..<100).map { _ in UInt8(truncatingIfNeeded: random.next()) })
                    builder.copy(length: length, offset: offset, offsetBytes: offsetBytes)
                    for kind in Self.kinds {
                        #expect(Self.decode(builder.block, size: builder.output.count, kind: kind) == builder.output,
                                "kind \(kind), \(offsetBytes)-byte offset \(offset), length \(length)")
                    }
                }
            }
        }
    }

    @Test func everyLiteralLengthAndLengthForm() {
        var random = Random(state: 11)
        for length in Array(1...130) + [255, 256, 257, 1000, 65535, 65536, 65537, 70_000] {
            for trailer in 0...4 where trailer > 0 || length <= 60 {
                guard trailer != 1 || length <= 256, trailer != 2 || length <= 65536 else { continue }
                var builder = Builder()
                builder.literal((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }, trailer: trailer)
                builder.copy(length: 20, offset: min(length, 30), offsetBytes: 2)
                builder.literal((0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }, trailer: trailer)
                for kind in Self.kinds {
                    #expect(Self.decode(builder.block, size: builder.output.count, kind: kind) == builder.output,
                            "kind \(kind), literal \(length), \(trailer) length bytes")
                }
            }
        }
    }

    @Test func randomBlocksOfEverySizeUpTo200AndLonger() {
        var random = Random(state: 0xC0FFEE)
        let sizes = Array(0...200) + (0..<60).map { _ in 201 + random.below(5000) }
        for size in sizes {
            for _ in 0..<4 {
                var builder = Builder()
                while builder.output.count < size {
                    Self.randomElement(&builder, &random, room: size - builder.output.count)
                }
                #expect(Self.reference(builder.block, size: size) == builder.output)
                for kind in Self.kinds {
                    #expect(Self.decode(builder.block, size: size, kind: kind) == builder.output, "kind \(kind), size \(size)")
                }
            }
        }
    }

    @Test func damagedAndTruncatedBlocksAgreeWithTheReference() {
        var random = Random(state: 0xBADB10C)
        for round in 0..<400 {
            let size = round % 2 == 0 ? random.below(300) : 300 + random.below(3000)
            var builder = Builder()
            while builder.output.count < size {
                Self.randomElement(&builder, &random, room: size - builder.output.count)
            }
            var block = builder.block
            switch random.below(4) {
            case 0:  // cut short
                block.removeLast(random.below(block.count))
            case 1:  // one byte replaced
                block[random.below(block.count)] = UInt8(truncatingIfNeeded: random.next())
            case 2:  // several bytes replaced
                for _ in 0..<(1 + random.below(8)) {
                    block[random.below(block.count)] = UInt8(truncatingIfNeeded: random.next())
                }
            default:  // bytes appended
                block.append(contentsOf: (0..<(1 + random.below(8))).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            }
            // A size other than the declared one now and then.
            let declared = random.below(8) == 0 ? max(0, size + random.below(5) - 2) : size
            let expected = Self.reference(block, size: declared)
            for kind in Self.kinds {
                #expect(Self.decode(block, size: declared, kind: kind) == expected, "round \(round), kind \(kind)")
            }
        }
    }

    @Test func equalsTheLibraryOnCompressedInputs() throws {
        var random = Random(state: 99)
        var inputs: [[UInt8]] = []
        for _ in 0..<40 {
            let size = random.below(20_000)
            switch random.below(4) {
            case 0:  // near-unique 8-byte keys, as dictionary pages hold
                var keys: [UInt8] = []
                while keys.count < size {
                    withUnsafeBytes(of: UInt64(random.below(1 << (8 + random.below(24)))).littleEndian) {
                        keys.append(contentsOf: $0)
                    }
                }
                inputs.append(keys)
            case 1:  // words with repeats at every distance
                let words = ["final", "deposits", "sleep", "quickly", "express", "ideas", " ", "the"]
                var text: [UInt8] = []
                while text.count < size { text.append(contentsOf: words[random.below(words.count)].utf8) }
                inputs.append(text)
            case 2:  // short runs of few distinct bytes
                inputs.append((0..<size).map { _ in UInt8(random.below(3)) })
            default:  // noise
                inputs.append((0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            }
        }
        for raw in inputs {
            var block: [UInt8] = []
            try raw.withUnsafeBytes { try Snappy.compress($0, appendingTo: &block) }
            for kind in Self.kinds {
                #expect(Self.decode(block, size: raw.count, kind: kind) == raw, "kind \(kind), \(raw.count) bytes")
            }
        }
    }
}
