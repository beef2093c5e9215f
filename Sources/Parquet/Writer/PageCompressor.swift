import TributaryCore

/// Compresses page bodies for the writer.
enum PageCompressor {
    static func compress(_ input: [UInt8], codec: ParquetCompression, into output: inout [UInt8]) throws {
        output.removeAll(keepingCapacity: true)
        try input.withUnsafeBytes { raw in
            switch codec {
            case .uncompressed: output.append(contentsOf: raw)
            case .snappy: try Snappy.compress(raw, appendingTo: &output)
            case .gzip: try Deflate.compress(raw, appendingTo: &output, framing: .gzip)
            case .zstd: try Zstd.compress(raw, appendingTo: &output)
            case .lz4Raw: try LZ4.compressBlock(raw, appendingTo: &output)
            case .lz4, .lzo, .brotli: throw ParquetError(.unsupported, "writing \(codec) pages")
            }
        }
    }
}
