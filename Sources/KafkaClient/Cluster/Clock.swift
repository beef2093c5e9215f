#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Time as the client needs it.
enum Clock {
    /// Wall-clock milliseconds since the epoch, as Kafka timestamps count them.
    static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Monotonic time, for deadlines.
    static func monotonic() -> NIODeadline { .now() }
}
