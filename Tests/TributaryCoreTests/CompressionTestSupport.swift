import Foundation
@testable import TributaryCore

/// Inputs shared by the compression tests; `small` and `big` match tests/compression/make_fixtures.py.
enum CompressionInputs {
    static let small: [UInt8] = Array(String(repeating: "hello tributary ", count: 10).utf8)

    static let big: [UInt8] = {
        var out: [UInt8] = []
        for index in 0..<8000 { out.append(contentsOf: "key-\(index % 50):value;".utf8) }
        return out
    }()

    /// Bytes from a fixed-seed xorshift generator: incompressible, reproducible.
    static func noise(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        var out = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            out[index] = UInt8(truncatingIfNeeded: state)
        }
        return out
    }

    /// Text that compresses well and spans several codec blocks (about 1.3 MB).
    static let large: [UInt8] = {
        var out: [UInt8] = []
        out.reserveCapacity(1_400_000)
        for index in 0..<100_000 { out.append(contentsOf: "row \(index) payload \(index % 97)\n".utf8) }
        return out
    }()
}

/// The codec entry points the tests drive, one per format.
enum CodecUnderTest: CaseIterable, CustomStringConvertible {
    case gzip, zlib, rawDeflate, snappyRaw, snappyXerial, lz4Frame, lz4Block, zstd

    var description: String {
        switch self {
        case .gzip: return "gzip"
        case .zlib: return "zlib"
        case .rawDeflate: return "raw deflate"
        case .snappyRaw: return "snappy raw"
        case .snappyXerial: return "snappy xerial"
        case .lz4Frame: return "lz4 frame"
        case .lz4Block: return "lz4 block"
        case .zstd: return "zstd"
        }
    }

    func compress(_ input: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        try input.withUnsafeBytes { raw in
            switch self {
            case .gzip: try Deflate.compress(raw, appendingTo: &out, framing: .gzip)
            case .zlib: try Deflate.compress(raw, appendingTo: &out, framing: .zlib)
            case .rawDeflate: try Deflate.compress(raw, appendingTo: &out, framing: .raw)
            case .snappyRaw: try Snappy.compress(raw, appendingTo: &out)
            case .snappyXerial: try SnappyXerial.compress(raw, appendingTo: &out)
            case .lz4Frame: try LZ4.compressFrame(raw, appendingTo: &out)
            case .lz4Block: try LZ4.compressBlock(raw, appendingTo: &out)
            case .zstd: try Zstd.compress(raw, appendingTo: &out)
            }
        }
        return out
    }

    /// Decompresses into `out` (appending). `expectedBytes` is only used by raw LZ4 blocks, whose
    /// size comes from their container.
    func decompress(_ input: [UInt8], into out: inout [UInt8], maxOutputBytes: Int, expectedBytes: Int) throws {
        try input.withUnsafeBytes { raw in
            switch self {
            case .gzip: try Deflate.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes, framing: .gzip)
            case .zlib: try Deflate.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes, framing: .zlib)
            case .rawDeflate:
                try Deflate.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes, framing: .raw)
            case .snappyRaw: try Snappy.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes)
            case .snappyXerial: try SnappyXerial.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes)
            case .lz4Frame: try LZ4.decompressFrame(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes)
            case .lz4Block: try LZ4.decompressBlock(raw, appendingTo: &out, decompressedBytes: expectedBytes)
            case .zstd: try Zstd.decompress(raw, appendingTo: &out, maxOutputBytes: maxOutputBytes)
            }
        }
    }

    /// Whether the format can represent an empty input as a non-empty stream that decodes.
    var boundsOutput: Bool { self != .lz4Block }
}

extension Data {
    var bytes: [UInt8] { [UInt8](self) }
}
