import NIOCore

/// One request handed to the connection pipeline: the whole frame (size prefix included, its
/// correlation id still to be stamped), and the promise for the response frame.
struct OutboundRequest {
    var frame: ByteBuffer
    var apiKey: ApiKeyRaw
    /// nil for requests the broker does not answer (Produce with acks=0); the write completes them.
    var response: EventLoopPromise<ByteBuffer>?
    var timeout: TimeAmount
    /// Called on the event loop with the first bytes of a large answer (correlation id first) before
    /// the rest of it has been read, when the connection reads heads first.
    var onHead: ((ByteBuffer) -> Void)? = nil
}

/// The raw API key, kept only for error messages.
typealias ApiKeyRaw = Int16

/// The requests of one connection that await responses, by correlation id. Kafka answers requests
/// of one connection in order, but matching by id also catches a broker that does not.
struct OutstandingRequests {
    struct Entry {
        var promise: EventLoopPromise<ByteBuffer>
        var apiKey: ApiKeyRaw
        var timeout: Scheduled<Void>?
        var onHead: ((ByteBuffer) -> Void)? = nil
    }

    private(set) var entries: [Int32: Entry] = [:]
    private var nextId: Int32 = 0

    /// The next correlation id (wrapping, never negative).
    mutating func allocateId() -> Int32 {
        let id = nextId
        nextId = nextId == Int32.max ? 0 : nextId + 1
        return id
    }

    mutating func add(_ id: Int32, _ entry: Entry) { entries[id] = entry }

    mutating func remove(_ id: Int32) -> Entry? { entries.removeValue(forKey: id) }

    /// The entry of `id`, left in place.
    func entry(_ id: Int32) -> Entry? { entries[id] }

    /// Takes every entry out (the connection is going away).
    mutating func drain() -> [Entry] {
        let all = Array(entries.values)
        entries.removeAll()
        return all
    }

    var isEmpty: Bool { entries.isEmpty }
}
