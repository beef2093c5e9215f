import CCompression

/// Snappy raw blocks (Parquet's SNAPPY codec, and the payload of each xerial block Kafka's Java
/// clients write; see `SnappyXerial` for that framing).
public enum Snappy {
    /// Compresses `input` as one raw snappy block appended to `output`.
    public static func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        let bound = snappy_max_compressed_length(input.count)
        try OutputBuffer.append(to: &output, room: bound) { out in
            var length = out.count
            let status = snappy_compress(
                input.startOrEmpty.assumingMemoryBound(to: CChar.self), input.count,
                out.startOrEmpty.assumingMemoryBound(to: CChar.self), &length)
            guard status == SNAPPY_OK else {
                throw CompressionError.libraryFailure(codec: "snappy", detail: "snappy_compress failed (\(status))")
            }
            return length
        }
    }

    /// The uncompressed length a raw block declares in its varint header.
    public static func uncompressedLength(_ input: UnsafeRawBufferPointer) throws -> Int {
        var length = 0
        let status = snappy_uncompressed_length(
            input.startOrEmpty.assumingMemoryBound(to: CChar.self), input.count, &length)
        guard status == SNAPPY_OK else {
            throw CompressionError.corrupt(codec: "snappy", detail: "invalid length header")
        }
        return length
    }

    /// Decompresses one raw snappy block and appends it to `output`. The length the block declares is
    /// checked against `maxOutputBytes` before any memory is reserved.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], maxOutputBytes: Int
    ) throws {
        let declared = try uncompressedLength(input)
        guard declared <= maxOutputBytes else {
            throw CompressionError.outputTooLarge(codec: "snappy", limitBytes: maxOutputBytes)
        }
        try OutputBuffer.append(to: &output, room: declared) { out in
            var length = out.count
            // snappy_uncompress checks every copy against both buffers, so corrupt input is reported
            // as SNAPPY_INVALID_INPUT rather than read or written out of bounds.
            let status = snappy_uncompress(
                input.startOrEmpty.assumingMemoryBound(to: CChar.self), input.count,
                out.startOrEmpty.assumingMemoryBound(to: CChar.self), &length)
            guard status == SNAPPY_OK else {
                throw CompressionError.corrupt(codec: "snappy", detail: "invalid compressed block")
            }
            guard length == declared else {
                throw CompressionError.sizeMismatch(codec: "snappy", expectedBytes: declared, actualBytes: length)
            }
            return length
        }
    }
}
