import CCompression

/// LZ4 in the two forms we meet: the frame format (Kafka codec 3 for magic-2 batches) and raw blocks
/// (Parquet's LZ4_RAW codec).
public enum LZ4 {
    /// Compresses `input` as one LZ4 frame: 64 KiB independent blocks, no content size, no checksums
    /// beyond the header's — the shape Kafka's Java client writes, and the only one its reader accepts
    /// (it reads a single frame and does not support linked blocks).
    public static func compressFrame(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        try OutputBuffer.append(to: &output, room: bound) { out in
            let written = LZ4F_compressFrame(out.startOrEmpty, out.count, input.startOrEmpty, input.count, &preferences)
            guard LZ4F_isError(written) == 0 else {
                throw CompressionError.libraryFailure(codec: "lz4", detail: errorName(written))
            }
            return written
        }
    }

    /// Decompresses LZ4 frames (one or several concatenated) and appends the content to `output`,
    /// throwing if it would exceed `maxOutputBytes` or if the input ends inside a frame.
    public static func decompressFrame(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], maxOutputBytes: Int
    ) throws {
        guard input.count > 0 else {
            throw CompressionError.corrupt(codec: "lz4", detail: "empty input")
        }
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw CompressionError.libraryFailure(codec: "lz4", detail: "cannot create a decompression context")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        let start = output.count
        do {
            var consumed = 0
            var hint = 1
            var chunk = max(min(input.count * 4, 1 << 20), 64 * 1024)
            while consumed < input.count || hint != 0 {
                let produced = output.count - start
                if produced > maxOutputBytes {
                    throw CompressionError.outputTooLarge(codec: "lz4", limitBytes: maxOutputBytes)
                }
                let room = min(chunk, OutputBuffer.limitPlusOne(maxOutputBytes) - produced)
                var inputUsed = 0
                var outputUsed = 0
                try OutputBuffer.append(to: &output, room: room) { out in
                    var outSize = out.count
                    var inSize = input.count - consumed
                    let result = LZ4F_decompress(
                        context, out.startOrEmpty, &outSize, input.startOrEmpty.advanced(by: consumed), &inSize, nil)
                    guard LZ4F_isError(result) == 0 else {
                        throw CompressionError.corrupt(codec: "lz4", detail: errorName(result))
                    }
                    hint = result
                    inputUsed = inSize
                    outputUsed = outSize
                    return outSize
                }
                consumed += inputUsed
                if consumed == input.count && hint != 0 && inputUsed == 0 && outputUsed == 0 {
                    // No input left and no progress although the frame is not finished.
                    throw CompressionError.corrupt(codec: "lz4", detail: "frame is truncated")
                }
                chunk = min(chunk * 2, 16 << 20)
            }
            if output.count - start > maxOutputBytes {
                throw CompressionError.outputTooLarge(codec: "lz4", limitBytes: maxOutputBytes)
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    /// Compresses `input` as one raw LZ4 block (no frame, no length prefix).
    public static func compressBlock(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        guard input.count <= Int(LZ4_MAX_INPUT_SIZE) else {
            throw CompressionError.libraryFailure(codec: "lz4", detail: "block input of \(input.count) bytes is too large")
        }
        let bound = Int(LZ4_compressBound(Int32(input.count)))
        try OutputBuffer.append(to: &output, room: bound) { out in
            let written = LZ4_compress_default(
                input.startOrEmpty.assumingMemoryBound(to: CChar.self),
                out.startOrEmpty.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(out.count))
            guard written > 0 || input.count == 0 else {
                throw CompressionError.libraryFailure(codec: "lz4", detail: "LZ4_compress_default failed")
            }
            return Int(written)
        }
    }

    /// Decompresses one raw LZ4 block whose decompressed size is known from its container (Parquet's
    /// page header), appending exactly `decompressedBytes` bytes to `output`.
    public static func decompressBlock(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], decompressedBytes: Int
    ) throws {
        guard decompressedBytes >= 0, decompressedBytes <= Int(Int32.max), input.count <= Int(Int32.max) else {
            throw CompressionError.corrupt(codec: "lz4", detail: "block size out of range")
        }
        try OutputBuffer.append(to: &output, room: decompressedBytes) { out in
            // LZ4_decompress_safe never reads or writes outside the two buffers it is given.
            let written = LZ4_decompress_safe(
                input.startOrEmpty.assumingMemoryBound(to: CChar.self),
                out.startOrEmpty.assumingMemoryBound(to: CChar.self), Int32(input.count), Int32(out.count))
            guard written >= 0 else {
                throw CompressionError.corrupt(codec: "lz4", detail: "invalid block")
            }
            guard Int(written) == decompressedBytes else {
                throw CompressionError.sizeMismatch(
                    codec: "lz4", expectedBytes: decompressedBytes, actualBytes: Int(written))
            }
            return Int(written)
        }
    }

    private static func errorName(_ code: Int) -> String {
        LZ4F_getErrorName(code).map { String(cString: $0) } ?? "lz4 error \(code)"
    }
}
