#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Sequential file output with a buffer; tracks the position for the footer's offsets.
final class FileSink {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes written so far (including what is buffered).
    private(set) var position = 0
    let path: String

    init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ParquetError(.io, "cannot create: \(String(cString: strerror(errno)))", at: ParquetLocation(file: path))
        }
        descriptor = fd
        self.path = path
        buffer.reserveCapacity(1 << 20)
    }

    deinit { close(descriptor) }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        position += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        var done = 0
        try buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let wrote = systemWrite(descriptor, raw.baseAddress! + done, raw.count - done)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    throw ParquetError(.io, "write failed: \(String(cString: strerror(errno)))", at: ParquetLocation(file: path))
                }
                done += wrote
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and makes the file durable.
    func finish() throws {
        try flush()
        guard fsync(descriptor) == 0 else {
            throw ParquetError(.io, "fsync failed: \(String(cString: strerror(errno)))", at: ParquetLocation(file: path))
        }
    }
}
