#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts CSV bytes into ranges that each begin at a record, so one large file is parsed by all
/// workers at once.
///
/// A newline ends a record unless it lies inside a quoted field, which only a scan from the
/// start of the file can tell for sure. So the cuts are guesses: each range after the first
/// starts after the first newline at or after its nominal offset. The parse of the range before
/// it proves or disproves the guess: it must stop exactly at that offset
/// (`CSVTable.scan` parses a disproved range again from where the previous one stopped).
enum CSVChunking {
    /// About `count` guessed record starts, ascending, the first 0; the ranges run from each to
    /// the next and the last to the end of the bytes.
    static func guessedStarts(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [Int] {
        let n = bytes.count
        guard n > 0, let base = bytes.baseAddress else { return [] }
        var starts = [0]
        for c in 1..<max(1, min(count, n)) {
            let nominal = c * (n / count) + min(c, n % count)
            guard nominal > starts[starts.count - 1] else { continue }
            let nl = memchr(base + nominal - 1, 0x0A, n - nominal + 1)
                .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
            if nl + 1 < n && nl + 1 > starts[starts.count - 1] { starts.append(nl + 1) }
        }
        return starts
    }

    /// Where the record starting at `start` ends: the offset of its terminating newline (outside
    /// quotes), or `n` when the bytes end first.
    static func recordEnd(_ base: UnsafePointer<UInt8>, from start: Int, _ n: Int, quote: UInt8) -> Int {
        var i = start
        var inQuotes = false
        while true {
            let nl = memchr(base + i, 0x0A, n - i).map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? n
            var q = i
            while q < nl, let hit = memchr(base + q, Int32(quote), nl - q) {
                inQuotes.toggle()
                q = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
            }
            if !inQuotes || nl >= n { return nl }
            i = nl + 1
        }
    }

    /// The 1-based line number of the byte at `offset` (counted only when an error is reported).
    static func lineNumber(_ base: UnsafePointer<UInt8>, at offset: Int) -> Int {
        countOf(0x0A, base, from: 0, to: offset) + 1
    }

    /// How many times `byte` occurs in `from..<to`.
    static func countOf(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var k = 0
        var p = from
        while p < to, let hit = memchr(base + p, Int32(byte), to - p) {
            k += 1
            p = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
        return k
    }
}
