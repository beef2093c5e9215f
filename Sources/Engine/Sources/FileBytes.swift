#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads with POSIX calls (no Foundation `Data` on this path).
enum FileBytes {
    /// The size of a file in bytes.
    static func size(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw EngineError.io(path: path, message: String(cString: strerror(errno)))
        }
        return Int(st.st_size)
    }

    /// The bytes of a file, refusing files larger than `EngineLimits.sourceFileBytesMax`.
    static func read(_ path: String) throws -> [UInt8] {
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
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        try bytes.withUnsafeMutableBytes { buf in
            while done < size {
                let r = systemRead(fd, buf.baseAddress! + done, size - done)
                if r < 0 {
                    if errno == EINTR { continue }
                    throw EngineError.io(path: path, message: String(cString: strerror(errno)))
                }
                if r == 0 { break }
                done += r
            }
        }
        if done < size { bytes.removeLast(size - done) }
        return bytes
    }

    /// Writes bytes to a file, replacing it.
    static func write(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw EngineError.io(path: path, message: String(cString: strerror(errno))) }
        defer { close(fd) }
        var done = 0
        try bytes.withUnsafeBytes { buf in
            while done < buf.count {
                let r = systemWrite(fd, buf.baseAddress! + done, buf.count - done)
                if r < 0 {
                    if errno == EINTR { continue }
                    throw EngineError.io(path: path, message: String(cString: strerror(errno)))
                }
                done += r
            }
        }
    }
}

#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
#endif
