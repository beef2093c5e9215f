/// Helpers that let the C codecs write straight into the tail of a caller's `[UInt8]`.
///
/// Swift arrays cannot grow without initialising the new elements, so the tail is zero-filled (a
/// memset, cheap next to any codec) and trimmed to what the codec wrote; an empty buffer without
/// the room is made anew with uninitialised capacity, which the codec fills. Capacity is kept, so a caller
/// that reuses one buffer with `removeAll(keepingCapacity: true)` pays no allocation after warm-up.
enum OutputBuffer {
    /// Appends `room` bytes, lets `body` fill a prefix of them, and keeps only that prefix.
    /// `body` returns how many bytes it wrote. If `body` throws, the appended room is removed again.
    @inline(__always)
    static func append(
        to output: inout [UInt8], room: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows {
        if output.isEmpty && output.capacity < room {
            // A fresh buffer is allocated anyway: let the codec write into uninitialised memory
            // instead of zero-filling it first (a whole extra pass over every decompressed page).
            output = try [UInt8](unsafeUninitializedCapacity: room) { buffer, initialized in
                let written = try body(UnsafeMutableRawBufferPointer(buffer))
                assert(written >= 0 && written <= room, "codec reported writing outside the room it was given")
                initialized = written
            }
            return
        }
        let start = output.count
        appendZeros(to: &output, count: room)
        do {
            let written = try output.withUnsafeMutableBytes { all in
                try body(UnsafeMutableRawBufferPointer(rebasing: all[start..<(start + room)]))
            }
            assert(written >= 0 && written <= room, "codec reported writing outside the room it was given")
            output.removeLast(room - written)
        } catch {
            output.removeLast(room)
            throw error
        }
    }

    /// Appends `count` zero bytes with memcpy from a shared zero page, which stays fast even in
    /// unoptimised builds (a `repeatElement` append runs element by element there).
    @inline(__always)
    static func appendZeros(to output: inout [UInt8], count: Int) {
        var remaining = count
        while remaining > 0 {
            let piece = min(remaining, zeroPageBytes)
            output.append(contentsOf: UnsafeRawBufferPointer(start: zeroPage, count: piece))
            remaining -= piece
        }
    }

    /// `limit + 1` without overflow: streaming decoders are given one byte more than the caller allows
    /// so that crossing the limit is observable.
    @inline(__always)
    static func limitPlusOne(_ limit: Int) -> Int {
        limit >= Int.max - 1 ? Int.max : max(limit, 0) + 1
    }
}

extension UnsafeRawBufferPointer {
    /// The start address, or a valid dangling pointer for an empty buffer (C codecs want non-null).
    @inline(__always)
    var startOrEmpty: UnsafeRawPointer {
        if let base = baseAddress { return base }
        return UnsafeRawPointer(emptyByte)
    }
}

extension UnsafeMutableRawBufferPointer {
    /// The start address, or a valid dangling pointer for an empty buffer (C codecs want non-null).
    @inline(__always)
    var startOrEmpty: UnsafeMutableRawPointer {
        if let base = baseAddress { return base }
        return emptyByte
    }
}

private let zeroPageBytes = 64 * 1024

/// Zeros appended to grow output buffers; never written.
nonisolated(unsafe) private let zeroPage: UnsafeMutableRawPointer = {
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: zeroPageBytes, alignment: 16)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: zeroPageBytes)
    return pointer
}()

/// One byte of storage handed to C functions when a buffer is empty; they never write to it because
/// the length they are given is zero.
nonisolated(unsafe) private let emptyByte: UnsafeMutableRawPointer = {
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
    pointer.storeBytes(of: 0, as: UInt8.self)
    return pointer
}()
