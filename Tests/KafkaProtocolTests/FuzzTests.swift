import NIOCore
import Testing
@testable import KafkaProtocol

/// Random mutations of valid requests must decode or throw, never crash or hang. The seed is fixed and
/// printed, so a failure replays.
@Suite struct FuzzTests {
    static let seed: UInt64 = 0x5EED_2026
    static let mutationsPerInput = 40

    func mutate(_ input: ByteBuffer, _ rng: inout SplitMix64) -> ByteBuffer {
        var bytes = Array(input.readableBytesView)
        switch rng.next() % 4 {
        case 0 where !bytes.isEmpty:  // flip bits in a few bytes
            for _ in 0..<(1 + rng.next() % 3) {
                bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            }
        case 1 where !bytes.isEmpty:  // overwrite with "interesting" values (lengths, -1, max)
            let values: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01]
            for _ in 0..<(1 + rng.next() % 4) {
                bytes[Int(rng.next() % UInt64(bytes.count))] = values[Int(rng.next() % UInt64(values.count))]
            }
        case 2 where bytes.count > 1:  // cut
            bytes.removeLast(Int(rng.next() % UInt64(bytes.count)))
        default:  // insert random bytes
            let at = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            for _ in 0..<(1 + rng.next() % 6) { bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at) }
        }
        return ByteBuffer(bytes: bytes)
    }

    @Test func mutatedRequestBodiesNeverCrashTheDecoder() throws {
        print("FuzzTests seed \(Self.seed)")
        var rng = SplitMix64(seed: Self.seed)
        var decoded = 0, rejected = 0
        for type in allMessageTypes {
            guard let request = type as? any KafkaRequestMessage.Type else { continue }
            for version in versions(of: request.apiKey) {
                let valid = try encodedSample(request, version: version, seed: rng.next())
                for _ in 0..<Self.mutationsPerInput {
                    let input = mutate(valid, &rng)
                    do {
                        _ = try RequestBody.decode(apiKey: request.apiKey, version: version, from: input)
                        decoded += 1
                    } catch is ProtocolError {
                        rejected += 1
                    }
                }
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the decoder.
        #expect(decoded > 0 && rejected > 0, "decoded \(decoded), rejected \(rejected)")
    }

    @Test func mutatedGoldenFramesNeverCrash() throws {
        var rng = SplitMix64(seed: Self.seed ^ 1)
        for name in Fixtures.allNames {
            let frame = try Fixtures.load(name)
            for _ in 0..<200 {
                do { _ = try KafkaFrame.decodeRequest(from: mutate(frame, &rng)) } catch is ProtocolError {}
            }
        }
    }

    @Test func mutatedRecordBatchesNeverCrash() throws {
        var rng = SplitMix64(seed: Self.seed ^ 2)
        for name in Fixtures.allNames where name.hasPrefix("produce_") {
            guard case .produce(let request) = try KafkaFrame.decodeRequest(from: Fixtures.load(name)).body,
                  let records = request.topicData.first?.partitionData.first?.records else { continue }
            for _ in 0..<500 {
                do {
                    for batch in try RecordBatches.split(mutate(records, &rng)) {
                        _ = batch.isCRCValid
                        _ = try batch.records()
                    }
                } catch is ProtocolError {}
            }
        }
    }

    func encodedSample<T: KafkaRequestMessage>(_: T.Type, version: Int16, seed: UInt64) throws -> ByteBuffer {
        try KafkaFrame.encodeBody(try filled(T.self, version: version, seed: seed), version: version)
    }
}
