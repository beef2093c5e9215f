#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a Parquet file: an open file read with `pread` (safe from many threads at once), or
/// a buffer in memory.
final class ParquetSource: @unchecked Sendable {
    // Immutable after init; pread on one descriptor from several threads is safe.
    private let descriptor: Int32
    private let memory: [UInt8]?
    /// The file size in bytes.
    let size: Int
    /// The path, or a name for in-memory data, used in error messages.
    let name: String

    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot open: \(String(cString: strerror(errno)))", at: ParquetLocation(file: path))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw ParquetError(.io, "cannot stat: \(String(cString: strerror(errno)))", at: ParquetLocation(file: path))
        }
        descriptor = fd
        memory = nil
        size = Int(info.st_size)
        name = path
    }

    init(bytes: [UInt8], name: String) {
        descriptor = -1
        memory = bytes
        size = bytes.count
        self.name = name
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Reads `count` bytes at `offset`, which the caller has checked lie inside the file.
    func read(offset: Int, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "byte range \(offset)+\(count) lies outside the \(size)-byte file",
                               at: ParquetLocation(file: name))
        }
        if let memory { return Array(memory[offset..<(offset + count)]) }
        // Read straight into uninitialised storage: zero-filling first would touch every page twice.
        var failure: ParquetError?
        let out = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = ParquetError(.io, "read failed: \(String(cString: strerror(errno)))", at: ParquetLocation(file: name))
                    break
                }
                if got == 0 {
                    failure = ParquetError(.io, "file ended early (truncated while reading?)", at: ParquetLocation(file: name))
                    break
                }
                done += got
            }
            // On failure the partial bytes are discarded with the array; report them as initialised
            // only when complete.
            initialized = failure == nil ? count : 0
        }
        if let failure { throw failure }
        return out
    }
}
