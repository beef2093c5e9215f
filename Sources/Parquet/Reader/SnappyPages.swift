import CTributary

/// Snappy page bodies decompressed by the project's own decoder (`tributary_snappy_decompress`),
/// which moves short elements as whole words instead of calling memmove for each: pages of 8-byte
/// keys compress to about four output bytes per element, and there the system library spends
/// most of its time in those calls.
enum SnappyPages {
    /// Decompresses `input` into `output`, whose size must be the one the block declares.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws {
        guard let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ParquetError.corrupt("empty snappy page")
        }
        var declared = 0
        var header = 0
        guard tributary_snappy_uncompressed_length(source, input.count, &declared, &header) == 0 else {
            throw ParquetError.corrupt("snappy page without a valid length")
        }
        guard declared == output.count else {
            throw ParquetError.corrupt("snappy page declares \(declared) bytes, its header \(output.count)")
        }
        let destination = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard tributary_snappy_decompress(source, input.count, destination, output.count) == 0 else {
            throw ParquetError.corrupt("snappy page is corrupt")
        }
    }

    /// The bytes of a block that is one literal of `size` bytes (what writers leave of a page that
    /// does not compress, such as bit-packed dictionary indices), as a slice of `input`; nil for any
    /// other block. Such a page needs no decompression, nor a copy.
    static func wholeLiteral(_ input: UnsafeRawBufferPointer, size: Int) -> UnsafeRawBufferPointer? {
        guard size > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var declared = 0
        var header = 0
        guard tributary_snappy_uncompressed_length(source, input.count, &declared, &header) == 0, declared == size,
              header < input.count
        else { return nil }
        let tag = Int(input[header])
        guard tag & 3 == 0 else { return nil }
        var length = (tag >> 2) + 1
        var start = header + 1
        if length > 60 {
            // 1 to 4 little-endian bytes hold the length minus one.
            let bytes = length - 60
            guard input.count - start >= bytes else { return nil }
            var value = 0
            for k in 0..<bytes { value |= Int(input[start + k]) << (8 * k) }
            length = value + 1
            start += bytes
        }
        guard length == size, input.count - start == size else { return nil }
        return UnsafeRawBufferPointer(rebasing: input[start..<(start + size)])
    }

    /// Decompresses `input`, which must declare `size` bytes, into `output`, which then holds
    /// exactly those bytes. A reused buffer is resized rather than emptied and filled with zeros
    /// again (the decoder overwrites every byte).
    static func decompress(_ input: UnsafeRawBufferPointer, size: Int, into output: inout [UInt8]) throws {
        OutputGrowth.resize(&output, to: size)
        try output.withUnsafeMutableBytes { try decompress(input, into: $0) }
    }
}
