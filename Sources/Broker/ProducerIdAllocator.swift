import LogStorage
import NIOConcurrencyHelpers

/// Hands out producer ids for InitProducerId. Ids are reserved in blocks whose end is written
/// to disk before any id of the block is used, so a restart never reuses one.
final class ProducerIdAllocator: @unchecked Sendable {
    private static let blockSize: Int64 = 1000
    private let lock = NIOLock()
    private let path: String
    private var next: Int64
    private var blockEnd: Int64

    init(dataDirectory: String) throws {
        path = dataDirectory + "/producer-id-block"
        let saved = (try? FileSystem.readText(path)).flatMap { Int64($0.filter { !$0.isWhitespace }) } ?? 0
        next = saved
        blockEnd = saved
    }

    func allocate() throws -> Int64 {
        try lock.withLock {
            if next >= blockEnd {
                blockEnd = next + Self.blockSize
                try FileSystem.writeAtomically(path, contents: String(blockEnd))
            }
            defer { next += 1 }
            return next
        }
    }
}
