#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes mapped read-only into memory for the length of one scan.
///
/// Mapping instead of reading saves the copy into a buffer and the zero-fill of that buffer,
/// and lets the workers fault in the parts they parse in parallel. Readers copy every value
/// they keep, so nothing refers to the mapping after the scan. A file truncated by another
/// process while it is mapped faults on access, as it would for any mapping reader.
final class MappedFile {
    /// The bytes of the file (empty for an empty file).
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapping: UnsafeMutableRawPointer?

    /// Maps `path`, refusing files larger than `EngineLimits.sourceFileBytesMax`.
    init(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw EngineError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw EngineError.io(path: path, message: String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        guard size <= EngineLimits.sourceFileBytesMax else {
            throw EngineError.limitExceeded("\(path) is \(size) bytes; files larger than "
                                            + "\(EngineLimits.sourceFileBytesMax) bytes are not read")
        }
        guard size > 0 else {
            mapping = nil
            bytes = UnsafeBufferPointer(start: nil, count: 0)
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw EngineError.io(path: path, message: String(cString: strerror(errno)))
        }
        _ = madvise(p, size, MADV_WILLNEED)
        mapping = p
        bytes = UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit {
        if let mapping { munmap(mapping, bytes.count) }
    }
}
