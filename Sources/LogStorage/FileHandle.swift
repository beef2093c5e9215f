#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// An error from the file system, naming the file and the operation.
public struct StorageError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func errno(_ op: String, _ path: String) -> StorageError {
        StorageError("\(op) \(path): \(String(cString: strerror(Glibc.errno)))")
    }
}

/// A POSIX file descriptor opened by the log: positioned reads and appends, sync, truncate.
///
/// No `FileHandle`/`Data`: bytes move between the kernel and `ByteBuffer`s directly.
public final class LogFile {
    public private(set) var path: String
    public let fd: Int32

    public init(path: String, create: Bool) throws {
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0)
        let fd = open(path, flags, 0o644)
        guard fd >= 0 else { throw StorageError.errno("open", path) }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Renames the file to `newPath` (replacing what is there, atomically); the descriptor stays open.
    public func move(to newPath: String) throws {
        try FileSystem.rename(path, newPath)
        path = newPath
    }

    public func size() throws -> Int {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StorageError.errno("fstat", path) }
        return Int(st.st_size)
    }

    /// Writes all of `buffer`'s readable bytes at `offset`.
    public func write(_ buffer: ByteBuffer, at offset: Int) throws {
        try buffer.withUnsafeReadableBytes { raw in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw StorageError.errno("write", path)
                }
                done += n
            }
        }
    }

    /// Reads up to `length` bytes at `offset` into a new buffer (shorter at the end of the file).
    public func read(at offset: Int, length: Int) throws -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: length)
        let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { raw in
            var done = 0
            while done < length {
                let n = pread(fd, raw.baseAddress! + done, length - done, off_t(offset + done))
                if n < 0 {
                    if Glibc.errno == EINTR { continue }
                    throw StorageError.errno("read", path)
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        _ = got
        return buffer
    }

    /// Makes written data durable (fdatasync: the file size is part of the data it covers).
    public func sync() throws {
        guard fdatasync(fd) == 0 else { throw StorageError.errno("fdatasync", path) }
    }

    public func truncate(to size: Int) throws {
        guard ftruncate(fd, off_t(size)) == 0 else { throw StorageError.errno("truncate", path) }
    }
}

/// Small file-system helpers the log needs.
public enum FileSystem {
    public static func createDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && Glibc.errno != EEXIST {
                throw StorageError.errno("mkdir", current)
            }
        }
    }

    public static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw StorageError.errno("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public static func remove(_ path: String) throws {
        guard unlink(path) == 0 || Glibc.errno == ENOENT else { throw StorageError.errno("unlink", path) }
    }

    /// Removes a directory and everything in it.
    public static func removeTree(_ path: String) throws {
        if isDirectory(path) {
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw StorageError.errno("rmdir", path) }
        } else {
            try remove(path)
        }
    }

    public static func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw StorageError.errno("rename", from) }
    }

    /// Writes a small file atomically: a temporary file, fsync, rename, fsync of the directory.
    public static func writeAtomically(_ path: String, contents: String) throws {
        let tmp = path + ".tmp"
        let file = try LogFile(path: tmp, create: true)
        try file.truncate(to: 0)
        var buffer = ByteBufferAllocator().buffer(capacity: contents.utf8.count)
        buffer.writeString(contents)
        try file.write(buffer, at: 0)
        try file.sync()
        try rename(tmp, path)
        syncDirectory(of: path)
    }

    public static func readText(_ path: String) throws -> String {
        let file = try LogFile(path: path, create: false)
        let size = try file.size()
        var buffer = try file.read(at: 0, length: size)
        return buffer.readString(length: buffer.readableBytes) ?? ""
    }

    /// Makes a rename or create in a directory durable.
    public static func syncDirectory(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}
