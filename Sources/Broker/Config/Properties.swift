/// Java-style `.properties` text: `key=value` (or `key: value`) lines, `#` and `!` comments.
public enum Properties {
    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "line \(line): expected key=value, found '\(text)'" }
    }

    public static func parse(_ text: String) throws -> [(key: String, value: String)] {
        var out: [(String, String)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let sep = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(line: n + 1, text: String(line))
            }
            let key = line[..<sep].trimmingSpaces()
            let value = line[line.index(after: sep)...].trimmingSpaces()
            guard !key.isEmpty else { throw ParseError(line: n + 1, text: String(line)) }
            out.append((String(key), String(value)))
        }
        return out
    }

    public static func render(_ pairs: [(String, String)]) -> String {
        pairs.map { "\($0.0)=\($0.1)\n" }.joined()
    }
}

extension StringProtocol {
    func trimmingSpaces() -> SubSequence {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
