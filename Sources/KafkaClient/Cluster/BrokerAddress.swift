/// A broker's `host:port`.
public struct BrokerAddress: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `host` (port 9092) or `[v6addr]:port`.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: " \t")
        guard !t.isEmpty else { throw KafkaClientError.invalidArgument("empty broker address") }
        if t.hasPrefix("["), let close = t.firstIndex(of: "]") {
            host = String(t[t.index(after: t.startIndex)..<close])
            let rest = t[t.index(after: close)...]
            port = rest.hasPrefix(":") ? try Self.parsePort(String(rest.dropFirst()), text) : 9092
            return
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            host = t
            port = 9092
        case 2:
            host = String(parts[0])
            port = try Self.parsePort(String(parts[1]), text)
        default:
            throw KafkaClientError.invalidArgument("broker address '\(text)' is not host:port")
        }
        guard !host.isEmpty else { throw KafkaClientError.invalidArgument("broker address '\(text)' has no host") }
    }

    private static func parsePort(_ s: String, _ text: String) throws -> Int {
        guard let p = Int(s), (1...65535).contains(p) else {
            throw KafkaClientError.invalidArgument("broker address '\(text)' has an invalid port '\(s)'")
        }
        return p
    }

    /// Parses a comma-separated list (`bootstrap.servers`).
    public static func parseList(_ text: String) throws -> [BrokerAddress] {
        let list = try text.split(separator: ",").map { try BrokerAddress(parsing: String($0)) }
        guard !list.isEmpty else { throw KafkaClientError.invalidArgument("no broker addresses in '\(text)'") }
        return list
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
