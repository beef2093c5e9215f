import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor in large blocks and hands them out as slices of the block
/// read, with no copy and no String per line. A line ends at "\n" (a "\r" before it is dropped too,
/// as `readLine` does); a last line without "\n" is a line as well.
///
/// `nextLines` returns the complete lines of whatever one `read(2)` brought, so lines typed one at a
/// time are handed out as soon as they arrive.
struct StdinLineReader {
    /// Bytes asked of each `read(2)`; a longer line grows the buffer.
    static let blockBytes = 1 << 20

    private let fd: Int32
    /// The unread tail of the last block (a line not yet ended), then newly read bytes.
    private var pending = ByteBuffer()
    private var atEOF = false

    init(fd: Int32 = 0) { self.fd = fd }

    /// Calls `body` with each line (without its line end) of the next block read; false at the end of input.
    mutating func nextLines(_ body: (ByteBuffer) throws -> Void) throws -> Bool {
        while true {
            if atEOF {
                if pending.readableBytes == 0 { return false }
                // The last line had no line end.
                var last = pending
                pending = ByteBuffer()
                try body(Self.strippingCarriageReturn(last.readSlice(length: last.readableBytes) ?? ByteBuffer()))
                return true
            }
            try readBlock()
            var found = false
            while let line = Self.nextLine(in: &pending) {
                found = true
                try body(line)
            }
            if found { return true }
        }
    }

    /// Takes the next complete line off the front of `buffer`, or nil when it holds none.
    private static func nextLine(in buffer: inout ByteBuffer) -> ByteBuffer? {
        let newline = buffer.withUnsafeReadableBytes { raw -> Int? in
            guard let base = raw.baseAddress, raw.count > 0,
                  let hit = memchr(base, 0x0A, raw.count) else { return nil }
            return UnsafeRawPointer(hit) - base
        }
        guard let newline, let line = buffer.readSlice(length: newline) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        return strippingCarriageReturn(line)
    }

    private static func strippingCarriageReturn(_ line: ByteBuffer) -> ByteBuffer {
        guard line.readableBytes > 0, line.getInteger(at: line.writerIndex - 1, as: UInt8.self) == 0x0D else { return line }
        return line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line
    }

    /// Reads one block after the unread tail: a fresh buffer each time, so lines handed out earlier
    /// keep their bytes while the records that hold them are alive.
    private mutating func readBlock() throws {
        var next = ByteBuffer()
        next.reserveCapacity(pending.readableBytes + Self.blockBytes)
        next.writeImmutableBuffer(pending)
        var got = 0
        var failure: Int32 = 0
        next.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.blockBytes) { out -> Int in
            while true {
                got = read(fd, out.baseAddress, out.count)
                if got >= 0 { return got }
                if errno != EINTR { failure = errno; return 0 }
            }
        }
        if got < 0 { throw StdinReadError(errno: failure) }
        if got == 0 { atEOF = true }
        pending = next
    }
}

/// Reading standard input failed.
struct StdinReadError: Error, CustomStringConvertible {
    var errno: Int32
    var description: String { "reading standard input: \(String(cString: strerror(errno)))" }
}
