#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File sizes and whole-file writes with POSIX calls (no Foundation `Data` on this path);
/// reads map the file (`MappedFile`).
enum FileBytes {
    /// The size of a file in bytes.
    static func size(_ path: String) throws -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw EngineError.io(path: path, message: String(cString: strerror(errno)))
        }
        return Int(st.st_size)
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
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif
