import TributaryCore

/// Decompresses page bodies with the codec of their column chunk.
enum PageDecompressor {
    /// Decompresses `input` into `output` (replacing its contents), expecting exactly `size` bytes.
    static func decompress(
        _ input: UnsafeRawBufferPointer, codec: ParquetCompression, size: Int, into output: inout [UInt8]
    ) throws {
        guard size >= 0, size <= ParquetLimits.pageBytesMax else {
            throw ParquetError.corrupt("page declares \(size) uncompressed bytes")
        }
        // Snappy writes over the reused buffer's old bytes, without emptying and zero-filling it first.
        if codec != .snappy { output.removeAll(keepingCapacity: true) }
        switch codec {
        case .uncompressed:
            output.append(contentsOf: input)
        case .snappy:
            try SnappyPages.decompress(input, size: size, into: &output)
        case .gzip:
            try Deflate.decompress(input, appendingTo: &output, maxOutputBytes: size, framing: .gzip)
        case .zstd:
            try Zstd.decompress(input, appendingTo: &output, maxOutputBytes: size)
        case .lz4Raw:
            try LZ4.decompressBlock(input, appendingTo: &output, decompressedBytes: size)
        case .lz4:
            try decompressHadoopLZ4(input, size: size, into: &output)
        case .lzo, .brotli:
            throw ParquetError.unsupported("compression codec \(codec)")
        }
        guard output.count == size else {
            throw ParquetError.corrupt("page decompressed to \(output.count) bytes, header says \(size)")
        }
    }

    /// Calls `body` with the `size` decompressed bytes of page body `input`: `input` itself when the
    /// page is stored uncompressed or as one snappy literal (no copy), else `scratch` (its contents
    /// replaced) holding the decompressed bytes. The pointer is valid only inside `body`.
    static func withPageBytes<R>(
        _ input: UnsafeRawBufferPointer, codec: ParquetCompression, size: Int, scratch: inout [UInt8],
        _ body: (UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        if codec == .uncompressed {
            guard input.count == size else {
                throw ParquetError.corrupt("page holds \(input.count) bytes, its header says \(size)")
            }
            return try body(input)
        }
        if codec == .snappy, let literal = SnappyPages.wholeLiteral(input, size: size) { return try body(literal) }
        try decompress(input, codec: codec, size: size, into: &scratch)
        return try scratch.withUnsafeBytes(body)
    }

    /// The deprecated LZ4 codec: Hadoop's framing (big-endian decompressed and compressed lengths in
    /// front of each raw block). Old pyarrow wrote an LZ4 frame instead and fastparquet writes one raw
    /// block; when the Hadoop framing does not fit, the frame's magic number tells those two apart.
    private static func decompressHadoopLZ4(
        _ input: UnsafeRawBufferPointer, size: Int, into output: inout [UInt8]
    ) throws {
        var cursor = 0
        var ok = true
        while cursor < input.count {
            guard input.count - cursor >= 8 else { ok = false; break }
            let raw = UInt32(input[cursor]) << 24 | UInt32(input[cursor + 1]) << 16
                | UInt32(input[cursor + 2]) << 8 | UInt32(input[cursor + 3])
            let compressed = Int(UInt32(input[cursor + 4]) << 24 | UInt32(input[cursor + 5]) << 16
                | UInt32(input[cursor + 6]) << 8 | UInt32(input[cursor + 7]))
            cursor += 8
            guard compressed <= input.count - cursor, Int(raw) <= size - output.count else { ok = false; break }
            do {
                try LZ4.decompressBlock(
                    UnsafeRawBufferPointer(rebasing: input[cursor..<(cursor + compressed)]),
                    appendingTo: &output, decompressedBytes: Int(raw))
            } catch {
                ok = false
                break
            }
            cursor += compressed
        }
        if !ok || output.count != size {
            output.removeAll(keepingCapacity: true)
            let frameMagic: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
            if input.count >= 4, zip(input.prefix(4), frameMagic).allSatisfy({ $0 == $1 }) {
                try LZ4.decompressFrame(input, appendingTo: &output, maxOutputBytes: size)
            } else {
                try LZ4.decompressBlock(input, appendingTo: &output, decompressedBytes: size)
            }
        }
    }
}
