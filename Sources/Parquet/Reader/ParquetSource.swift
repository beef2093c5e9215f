#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a Parquet file: a file mapped read-only into memory (or, where mapping fails, an open
/// file read with `pread`), or a buffer in memory. All of them are safe to read from many threads.
///
/// Column chunks are decoded straight from the mapping: no copy into a fresh buffer per chunk, and
/// the pages a reader has touched stay mapped for its later scans. Decoders copy every value they
/// keep, so nothing refers to the mapping once a read returns. A file cut shorter since it was
/// opened (rewritten in place) is an error when a range past its new end is asked for, as `pread`
/// would report; only a truncation racing with the read itself faults, as with any mapping reader.
final class ParquetSource: @unchecked Sendable {
    // Immutable after init; pread and fstat on one descriptor from several threads are safe.
    private let descriptor: Int32
    private let memory: [UInt8]?
    /// The whole file, when mapping it worked.
    private let mapping: UnsafeRawPointer?
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
        memory = nil
        size = Int(info.st_size)
        name = path
        if size > 0, let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED {
            mapping = UnsafeRawPointer(mapped)
        } else {
            mapping = nil
        }
        descriptor = fd
    }

    init(bytes: [UInt8], name: String) {
        descriptor = -1
        mapping = nil
        memory = bytes
        size = bytes.count
        self.name = name
    }

    deinit {
        if let mapping { munmap(UnsafeMutableRawPointer(mutating: mapping), size) }
        if descriptor >= 0 { close(descriptor) }
    }

    private func checkRange(offset: Int, count: Int) throws {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
            throw ParquetError(.corrupt, "byte range \(offset)+\(count) lies outside the \(size)-byte file",
                               at: ParquetLocation(file: name))
        }
    }

    /// Throws unless the file still reaches past `offset + count`: mapped pages beyond a file's end
    /// fault when touched, where `pread` would simply come back short.
    private func checkStillCovers(offset: Int, count: Int) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ParquetError(.io, "cannot stat: \(String(cString: strerror(errno)))", at: ParquetLocation(file: name))
        }
        guard Int(info.st_size) >= offset + count else {
            throw ParquetError(.io, "file is now \(info.st_size) bytes, \(size) when opened (rewritten while being read?)",
                               at: ParquetLocation(file: name))
        }
    }

    /// Calls `body` with the `count` bytes at `offset`: the mapped or in-memory bytes themselves
    /// when there are such, else a buffer read with `pread`. The pointer is valid only inside `body`.
    func withBytes<R>(offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try checkRange(offset: offset, count: count)
        if let mapping {
            try checkStillCovers(offset: offset, count: count)
            return try body(UnsafeRawBufferPointer(start: mapping + offset, count: count))
        }
        if let memory {
            return try memory.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
        }
        return try read(offset: offset, count: count).withUnsafeBytes(body)
    }

    /// Reads `count` bytes at `offset`, which the caller has checked lie inside the file.
    func read(offset: Int, count: Int) throws -> [UInt8] {
        try checkRange(offset: offset, count: count)
        if let mapping {
            try checkStillCovers(offset: offset, count: count)
            return Array(UnsafeRawBufferPointer(start: mapping + offset, count: count))
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
