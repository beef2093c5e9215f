import NIOCore
import Testing
@testable import KafkaProtocol

/// Encode → decode round trips for every message type at every served version.
@Suite struct MessageRoundTripTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 1234]

    @Test(arguments: allMessageTypes.map { ($0 as any KafkaMessage.Type).apiKey }.uniqued())
    func everyVersionRoundTrips(key: ApiKey) throws {
        let types = allMessageTypes.filter { $0.apiKey == key }
        #expect(types.count == 2, "a request and a response for \(key)")
        for type in types {
            for version in versions(of: key) {
                for seed in Self.seeds {
                    try roundTrip(type, version: version, seed: seed)
                }
            }
        }
    }

    func roundTrip<T: KafkaMessage & Equatable>(_: T.Type, version: Int16, seed: UInt64) throws {
        let original = try filled(T.self, version: version, seed: seed)
        let bytes = try KafkaFrame.encodeBody(original, version: version)
        let decoded = try KafkaFrame.decodeBody(T.self, version: version, from: bytes)
        #expect(decoded == original, "\(T.self) v\(version) seed \(seed)")
        // Re-encoding what was decoded gives the same bytes.
        #expect(try KafkaFrame.encodeBody(decoded, version: version) == bytes, "\(T.self) v\(version) seed \(seed)")
    }

    @Test(arguments: allMessageTypes.map { ($0 as any KafkaMessage.Type).apiKey }.uniqued())
    func everyPrefixOfAnEncodingThrows(key: ApiKey) throws {
        for type in allMessageTypes where type.apiKey == key {
            for version in versions(of: key) {
                try prefixesThrow(type, version: version)
            }
        }
    }

    func prefixesThrow<T: KafkaMessage & Equatable>(_: T.Type, version: Int16) throws {
        let bytes = try KafkaFrame.encodeBody(try filled(T.self, version: version, seed: 7), version: version)
        for length in 0..<bytes.readableBytes {
            let prefix = bytes.getSlice(at: bytes.readerIndex, length: length)!
            #expect(throws: ProtocolError.self, "\(T.self) v\(version) prefix \(length)/\(bytes.readableBytes)") {
                _ = try KafkaFrame.decodeBody(T.self, version: version, from: prefix)
            }
        }
    }

    @Test func versionsOutsideTheServedRangeAreRefused() throws {
        for key in ApiKey.allCases {
            #expect(throws: ProtocolError.self) {
                _ = try RequestBody.decode(apiKey: key, version: key.versions.max + 1, from: ByteBuffer())
            }
        }
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
