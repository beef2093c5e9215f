import NIOCore
import Testing
@testable import KafkaProtocol

/// One body per message type and served version, each checked byte for byte against kafka-python's
/// schema-driven codec (decode + encode gave the same bytes; see `Fixtures/tools/`). Our decoder must
/// read each one completely and our encoder must write it back unchanged.
@Suite struct CrossCheckCorpusTests {
    struct Entry: Sendable, CustomStringConvertible {
        var typeName: String
        var version: Int16
        var bytes: [UInt8]
        var description: String { "\(typeName) v\(version)" }
    }

    static func corpus() throws -> [Entry] {
        let file = try Fixtures.load("crosscheck_kafka_python.txt")
        let text = String(decoding: Array(file.readableBytesView), as: UTF8.self)
        return try text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)  // empty bodies have no hex
            guard parts.count == 3, let version = Int16(parts[1]) else {
                throw ProtocolError(.invalid, "bad corpus line \(line)")
            }
            return Entry(typeName: String(parts[0]), version: version, bytes: try hexBytes(parts[2]))
        }
    }

    static func hexBytes(_ hex: Substring) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw ProtocolError(.invalid, "odd hex length") }
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: throw ProtocolError(.invalid, "not hex")
            }
        }
        return try stride(from: 0, to: digits.count, by: 2).map { try nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    @Test func corpusCoversEveryTypeAndServedVersion() throws {
        let covered = Set(try Self.corpus().map { "\($0.typeName) \($0.version)" })
        for type in allMessageTypes {
            for version in versions(of: type.apiKey) {
                #expect(covered.contains("\(type) \(version)"), "\(type) v\(version) missing from the corpus")
            }
        }
    }

    @Test func everyEntryDecodesAndReencodesIdentically() throws {
        let byName = Dictionary(uniqueKeysWithValues: allMessageTypes.map { ("\($0)", $0) })
        for entry in try Self.corpus() {
            let type = try #require(byName[entry.typeName], "unknown type \(entry.typeName)")
            try check(type, entry)
        }
    }

    func check<T: KafkaMessage & Equatable>(_: T.Type, _ entry: Entry) throws {
        let bytes = ByteBuffer(bytes: entry.bytes)
        let decoded = try KafkaFrame.decodeBody(T.self, version: entry.version, from: bytes)
        #expect(try KafkaFrame.encodeBody(decoded, version: entry.version) == bytes, "\(entry)")
    }
}
