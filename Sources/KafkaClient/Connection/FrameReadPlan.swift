import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many bytes the next socket read of a broker connection takes, and when the socket wakes the
/// reader, so that a response is read in one piece into a buffer of its own size.
///
/// Without it a large answer (a Fetch of a megabyte) is read as it trickles in — a read per wake-up,
/// each into a fresh buffer that the framing then copies onto the ones before — whenever the reader
/// runs while the broker is still writing: one more copy of every fetched byte and several wake-ups
/// per answer. With it the connection reads a frame's 4-byte size first, then asks the kernel not to
/// wake it (`SO_RCVLOWAT`) before the rest of the frame is there and reads exactly that rest, so the
/// frame is the read buffer itself. Only the framing decoder and the receive allocator of one
/// connection use a plan, both on the connection's event loop.
final class FrameReadPlan: @unchecked Sendable {
    /// The bytes of a frame's size prefix.
    static let sizePrefixBytes = 4
    /// Below this many missing bytes a frame is read as it comes: waiting for all of it saves less
    /// than the system calls that set the wake-up threshold cost.
    static let wholeReadBytesMin = 64 * 1024

    /// The most one read takes (and the highest wake-up threshold): a frame longer than this comes in
    /// several reads copied together.
    let readBytesMax: Int
    /// How many bytes of a large frame are read ahead of the rest, so that the requester can look at
    /// the beginning of an answer (`ResponseHead`) while the rest is still on its way; 0 reads large
    /// frames whole.
    let headBytes: Int
    /// The size of the buffer the next read fills.
    private(set) var nextReadBytes = FrameReadPlan.sizePrefixBytes
    /// Bytes already read (a frame's head) that the next read's buffer starts with, so that the frame
    /// is one buffer without copying the rest onto the head.
    private(set) var carried: ByteBuffer?
    /// The receive low-water mark set on the socket (1 is the kernel's default).
    private var lowWatermarkBytes = 1

    init(readBytesMax: Int, headBytes: Int = 0) {
        self.readBytesMax = max(Self.sizePrefixBytes, readBytesMax)
        self.headBytes = max(0, headBytes)
    }

    /// Whether a frame of `frameBytes` is read head first.
    func readsHeadFirst(frameBytes: Int) -> Bool {
        headBytes > 0 && frameBytes >= Self.wholeReadBytesMin && frameBytes > headBytes
    }

    /// The framing has read a frame's head and wants the rest (`missing` bytes) in a buffer that starts
    /// with the head.
    func carry(_ head: ByteBuffer, thenExpect missing: Int, _ channel: Channel) {
        carried = head
        expectFrameRest(missing, channel)
    }

    /// The head to put in front of the next read, taken (it goes in front of one read only).
    func takeCarried() -> ByteBuffer? {
        defer { carried = nil }
        return carried
    }

    /// The framing has consumed whole frames and nothing of the next: read a size prefix next, woken
    /// by any byte.
    func expectSizePrefix(_ channel: Channel, have: Int = 0) {
        nextReadBytes = max(1, Self.sizePrefixBytes - have)
        setLowWatermark(1, channel)
    }

    /// The framing waits for `missing` more bytes of a frame: read at most that, and for a large rest
    /// sleep until it has all arrived (or as much as one read takes).
    func expectFrameRest(_ missing: Int, _ channel: Channel) {
        let next = min(max(1, missing), readBytesMax)
        nextReadBytes = next
        setLowWatermark(next >= Self.wholeReadBytesMin ? next : 1, channel)
    }

    private func setLowWatermark(_ bytes: Int, _ channel: Channel) {
        guard bytes != lowWatermarkBytes, let options = channel.syncOptions else { return }
        let option = ChannelOptions.Types.SocketOption(level: .socket, name: .init(rawValue: SO_RCVLOWAT))
        // Best effort: where the option is missing the reads just come in smaller pieces.
        if (try? options.setOption(option, value: SocketOptionValue(bytes))) != nil { lowWatermarkBytes = bytes }
    }
}

/// Hands the socket reads of one connection buffers of the size its `FrameReadPlan` asks for. Every
/// read gets a buffer of its own (none is pooled and reused), since a frame handed on keeps its read
/// buffer alive as the frame's storage.
struct FrameSizedRecvAllocator: RecvByteBufferAllocator {
    let plan: FrameReadPlan

    func buffer(allocator: ByteBufferAllocator) -> ByteBuffer {
        let bytes = plan.nextReadBytes
        var carried = plan.takeCarried()
        let carriedBytes = carried?.readableBytes ?? 0
        var buffer = allocator.buffer(capacity: carriedBytes + bytes)
        // The allocator rounds capacities up to a power of two, and a read fills all that is writable:
        // skip the excess at the front so that the read takes exactly `bytes` (never the start of the
        // next frame). The skipped bytes are never read.
        let excess = buffer.capacity - carriedBytes - bytes
        if excess > 0 {
            buffer.moveWriterIndex(forwardBy: excess)
            buffer.moveReaderIndex(forwardBy: excess)
        }
        if carried != nil { buffer.writeBuffer(&carried!) }
        return buffer
    }

    /// No size hint: NIO's pool then allocates a buffer for every read instead of reusing one.
    func nextBufferSize() -> Int? { nil }

    /// Always "may grow", which also keeps NIO's pool from reusing its last buffer.
    mutating func record(actualReadBytes: Int) -> Bool { true }
}
