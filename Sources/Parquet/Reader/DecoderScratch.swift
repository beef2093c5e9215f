import Foundation

/// Decompression buffers passed from one column chunk's decoder to the next, so that a scan does not
/// allocate (and grow, copying as it goes, and fault in fresh pages for) a buffer of a page's size
/// for every column chunk it reads. At most `buffersMax` buffers of at most `bufferBytesMax` bytes
/// each are kept; larger ones are freed.
enum DecoderScratch {
    static let buffersMax = 8
    static let bufferBytesMax = 16 << 20
    private static let lock = NSLock()
    // Guarded by `lock`.
    nonisolated(unsafe) private static var free: [[UInt8]] = []

    /// An empty buffer, with the capacity of one used before when there is one.
    static func take() -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return free.popLast() ?? []
    }

    /// Keeps `buffer` (emptied) for a later `take`, unless it is too large or enough are kept.
    static func giveBack(_ buffer: inout [UInt8]) {
        guard buffer.capacity > 0, buffer.capacity <= bufferBytesMax else { return }
        buffer.removeAll(keepingCapacity: true)
        lock.lock()
        defer { lock.unlock() }
        if free.count < buffersMax { free.append(buffer) }
        buffer = []
    }

    /// Buffers kept now (for tests).
    static var keptCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return free.count
    }
}
