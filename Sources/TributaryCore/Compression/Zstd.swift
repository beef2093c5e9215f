import CCompression

/// Zstandard frames (Kafka codec 4, Parquet's ZSTD codec).
public enum Zstd {
    /// zstd's default level (3).
    public static let defaultLevel: Int32 = 3

    /// Compresses `input` as one zstd frame (content size recorded) appended to `output`.
    public static func compress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], level: Int32 = defaultLevel
    ) throws {
        let bound = ZSTD_compressBound(input.count)
        try OutputBuffer.append(to: &output, room: bound) { out in
            let written = ZSTD_compress(out.startOrEmpty, out.count, input.startOrEmpty, input.count, level)
            guard ZSTD_isError(written) == 0 else {
                throw CompressionError.libraryFailure(codec: "zstd", detail: errorName(written))
            }
            return written
        }
    }

    /// Decompresses one or more concatenated zstd frames, whether or not they record their content size,
    /// in a streaming loop bounded by `maxOutputBytes`. Throws if the input ends inside a frame.
    public static func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], maxOutputBytes: Int
    ) throws {
        guard input.count > 0 else {
            throw CompressionError.corrupt(codec: "zstd", detail: "empty input")
        }
        guard let context = ZSTD_createDStream() else {
            throw CompressionError.libraryFailure(codec: "zstd", detail: "cannot create a decompression context")
        }
        defer { ZSTD_freeDStream(context) }
        // zstd's default windowLogMax (27) already caps the window a hostile frame can make it reserve;
        // a lower cap derived from maxOutputBytes would reject valid small frames that declare big windows.

        // When the first frame declares its size, start with exactly that much room (if allowed).
        let declared = ZSTD_getFrameContentSize(input.startOrEmpty, input.count)
        var chunk = max(min(input.count * 4, 1 << 20), Int(ZSTD_DStreamOutSize()))
        if declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != ZSTD_CONTENTSIZE_ERROR {
            guard declared <= UInt64(maxOutputBytes) else {
                throw CompressionError.outputTooLarge(codec: "zstd", limitBytes: maxOutputBytes)
            }
            chunk = max(Int(declared) + 1, 64)
        }

        let start = output.count
        do {
            var consumed = 0
            var remainingHint = 1
            while consumed < input.count || remainingHint != 0 {
                let produced = output.count - start
                if produced > maxOutputBytes {
                    throw CompressionError.outputTooLarge(codec: "zstd", limitBytes: maxOutputBytes)
                }
                let room = min(chunk, OutputBuffer.limitPlusOne(maxOutputBytes) - produced)
                var inputUsed = 0
                var outputUsed = 0
                try OutputBuffer.append(to: &output, room: room) { out in
                    var inBuffer = ZSTD_inBuffer(src: input.startOrEmpty, size: input.count, pos: consumed)
                    var outBuffer = ZSTD_outBuffer(dst: out.startOrEmpty, size: out.count, pos: 0)
                    let result = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
                    guard ZSTD_isError(result) == 0 else {
                        throw CompressionError.corrupt(codec: "zstd", detail: errorName(result))
                    }
                    remainingHint = result
                    inputUsed = inBuffer.pos - consumed
                    outputUsed = outBuffer.pos
                    return outBuffer.pos
                }
                consumed += inputUsed
                if consumed == input.count && remainingHint != 0 && inputUsed == 0 && outputUsed == 0 {
                    throw CompressionError.corrupt(codec: "zstd", detail: "frame is truncated")
                }
                chunk = min(chunk * 2, 16 << 20)
            }
            if output.count - start > maxOutputBytes {
                throw CompressionError.outputTooLarge(codec: "zstd", limitBytes: maxOutputBytes)
            }
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    private static func errorName(_ code: Int) -> String {
        ZSTD_getErrorName(code).map { String(cString: $0) } ?? "zstd error \(code)"
    }
}
