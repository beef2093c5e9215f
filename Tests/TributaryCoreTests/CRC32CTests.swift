import Testing
import TributaryCore

@Suite struct CRC32CTests {
    @Test func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 (iSCSI) B.4: 32 bytes of zeros, of 0xFF, and an ascending sequence.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    }

    @Test func hardwareAndPortablePathsAgreeAtEveryLengthAndAlignment() {
        var state: UInt64 = 0x1234_5678
        let bytes: [UInt8] = (0..<1100).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        bytes.withUnsafeBytes { raw in
            for start in 0..<9 {
                for length in [0, 1, 7, 8, 9, 15, 16, 63, 64, 100, 1000] where start + length <= raw.count {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.portableChecksum(slice), "start \(start) length \(length)")
                }
            }
        }
    }

    /// Inputs of three strides (3 KiB) and more are checksummed as three interleaved streams joined
    /// afterwards; around and across those boundaries the result must equal the one-stream table loop.
    @Test func interleavedStreamsAgreeWithThePortableLoopOnLongInputs() {
        var state: UInt64 = 0x9E37_79B9
        let bytes: [UInt8] = (0..<20_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        bytes.withUnsafeBytes { raw in
            for start in [0, 1, 5] {
                for length in [3071, 3072, 3073, 3080, 6143, 6144, 6151, 9216, 12_345, 19_990] {
                    let slice = UnsafeRawBufferPointer(rebasing: raw[start..<(start + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.portableChecksum(slice), "start \(start) length \(length)")
                    let cut = length / 3 + start
                    let chained = CRC32C.update(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: slice[..<cut])),
                                                UnsafeRawBufferPointer(rebasing: slice[cut...]))
                    #expect(chained == CRC32C.portableChecksum(slice), "start \(start) length \(length) cut \(cut)")
                }
            }
        }
    }

    @Test func checksumsChain() {
        let a = Array("hello, ".utf8), b = Array("world".utf8)
        let whole = CRC32C.checksum(a + b)
        let chained = b.withUnsafeBytes { CRC32C.update(CRC32C.checksum(a), $0) }
        #expect(chained == whole)
    }
}
