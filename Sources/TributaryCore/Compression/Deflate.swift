import CCompression

/// DEFLATE through zlib, in the three framings the formats we speak use: gzip (Kafka codec 1 and
/// Parquet's GZIP codec), zlib, and raw deflate.
public enum Deflate {
    /// The container around the deflate stream.
    public enum Framing: Sendable {
        /// RFC 1952 gzip members (header, deflate stream, CRC-32 and length trailer).
        case gzip
        /// RFC 1950 zlib stream (two-byte header, Adler-32 trailer).
        case zlib
        /// A bare RFC 1951 deflate stream.
        case raw

        /// zlib's `windowBits` argument that selects this framing when compressing.
        var compressWindowBits: Int32 {
            switch self {
            case .gzip: return 15 + 16
            case .zlib: return 15
            case .raw: return -15
            }
        }

        /// zlib's `windowBits` when decompressing. gzip also accepts zlib streams (15 + 32 makes zlib
        /// detect the header), because some Parquet writers label zlib data as GZIP.
        var decompressWindowBits: Int32 {
            switch self {
            case .gzip: return 15 + 32
            case .zlib: return 15
            case .raw: return -15
            }
        }
    }

    /// zlib's default compression level (6).
    public static let defaultLevel: Int32 = Z_DEFAULT_COMPRESSION

    /// Compresses `input` and appends the result to `output`.
    public static func compress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8],
        framing: Framing = .gzip, level: Int32 = defaultLevel
    ) throws {
        var stream = z_stream()
        let initResult = deflateInit2_(
            &stream, level, Z_DEFLATED, framing.compressWindowBits, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw CompressionError.libraryFailure(codec: "gzip", detail: "deflateInit2 failed (\(initResult))")
        }
        defer { deflateEnd(&stream) }

        // deflateBound is exact for a single Z_FINISH call, so one pass always suffices for inputs that
        // fit zlib's 32-bit counters; larger inputs are fed in slices.
        let sliceMax = 1 << 30
        var consumed = 0
        repeat {
            let slice = min(sliceMax, input.count - consumed)
            let last = consumed + slice == input.count
            stream.next_in = UnsafeMutablePointer(
                mutating: input.startOrEmpty.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(slice)
            let room = Int(deflateBound(&stream, uLong(slice))) + 64
            var status: Int32 = Z_OK
            // Loop because a non-final slice may leave pending output beyond the bound of this slice.
            repeat {
                try OutputBuffer.append(to: &output, room: room) { out in
                    stream.next_out = out.startOrEmpty.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(out.count)
                    status = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw CompressionError.libraryFailure(codec: "gzip", detail: "deflate failed (\(status))")
                    }
                    return out.count - Int(stream.avail_out)
                }
            } while (last && status != Z_STREAM_END) || (!last && stream.avail_in > 0)
            consumed += slice
        } while consumed < input.count
    }

    /// Decompresses `input` and appends the result to `output`, throwing if it would exceed
    /// `maxOutputBytes`. With `.gzip` framing, several concatenated members decode as one stream
    /// (RFC 1952 allows it and `gzip` writes it when files are appended).
    public static func decompress(
        _ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8],
        maxOutputBytes: Int, framing: Framing = .gzip
    ) throws {
        let codec = framing == .raw ? "deflate" : (framing == .zlib ? "zlib" : "gzip")
        var stream = z_stream()
        let initResult = inflateInit2_(
            &stream, framing.decompressWindowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else {
            throw CompressionError.libraryFailure(codec: codec, detail: "inflateInit2 failed (\(initResult))")
        }
        defer { inflateEnd(&stream) }

        let start = output.count
        do {
            try inflateAll(
                &stream, input, &output, start: start, maxOutputBytes: maxOutputBytes,
                concatenated: framing == .gzip, codec: codec)
        } catch {
            output.removeSubrange(start...)
            throw error
        }
    }

    private static func inflateAll(
        _ stream: inout z_stream, _ input: UnsafeRawBufferPointer, _ output: inout [UInt8],
        start: Int, maxOutputBytes: Int, concatenated: Bool, codec: String
    ) throws {
        guard input.count > 0 else {
            throw CompressionError.corrupt(codec: codec, detail: "empty input")
        }
        var consumed = 0
        var chunk = max(min(input.count * 4, 1 << 20), 256)
        while true {
            let inSlice = min(1 << 30, input.count - consumed)
            stream.next_in = UnsafeMutablePointer(
                mutating: input.startOrEmpty.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(inSlice)
            // Room for one more byte than allowed, so that exceeding the limit is observable.
            let produced = output.count - start
            let room = min(chunk, OutputBuffer.limitPlusOne(maxOutputBytes) - produced)
            var status: Int32 = Z_OK
            OutputBuffer.append(to: &output, room: room) { out in
                stream.next_out = out.startOrEmpty.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(out.count)
                status = inflate(&stream, Z_NO_FLUSH)
                return out.count - Int(stream.avail_out)
            }
            consumed += inSlice - Int(stream.avail_in)
            if output.count - start > maxOutputBytes {
                throw CompressionError.outputTooLarge(codec: codec, limitBytes: maxOutputBytes)
            }
            switch status {
            case Z_STREAM_END:
                if consumed == input.count { return }
                guard concatenated else {
                    throw CompressionError.corrupt(
                        codec: codec, detail: "\(input.count - consumed) bytes after the end of the stream")
                }
                // Another gzip member follows.
                guard inflateReset(&stream) == Z_OK else {
                    throw CompressionError.libraryFailure(codec: codec, detail: "inflateReset failed")
                }
            case Z_OK:
                chunk = min(chunk * 2, 16 << 20)
            case Z_BUF_ERROR:
                // No progress possible: either the output room was used up (grow and retry) or the
                // input ended in the middle of the stream.
                if consumed == input.count && stream.avail_out != 0 {
                    throw CompressionError.corrupt(codec: codec, detail: "stream is truncated")
                }
                chunk = min(chunk * 2, 16 << 20)
            case Z_NEED_DICT:
                throw CompressionError.corrupt(codec: codec, detail: "stream needs a preset dictionary")
            case Z_MEM_ERROR:
                throw CompressionError.libraryFailure(codec: codec, detail: "out of memory")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "inflate error \(status)"
                throw CompressionError.corrupt(codec: codec, detail: message)
            }
            if status == Z_OK && consumed == input.count && stream.avail_out != 0 {
                // All input consumed, output room left over, and the stream did not end: truncated.
                throw CompressionError.corrupt(codec: codec, detail: "stream is truncated")
            }
        }
    }
}
