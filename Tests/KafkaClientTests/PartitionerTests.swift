import KafkaClient
import NIOCore
import Testing
import TributaryCore

/// Vectors computed with kafka-python's `murmur2` (a port of the Java client's `Utils.murmur2`):
/// the unsigned hash, and `(hash & 0x7fffffff) % n` for n = 3, 7, 12, 100.
struct Murmur2Tests {
    struct Vector: Sendable {
        var key: [UInt8]
        var hash: UInt32
        var partitions: [Int32]
    }

    static let vectors: [Vector] = [
        Vector(key: [], hash: 275_646_681, partitions: [0, 2, 9, 81]),
        Vector(key: Array("a".utf8), hash: 2_731_586_172, partitions: [1, 5, 4, 24]),
        Vector(key: Array("ab".utf8), hash: 316_155_434, partitions: [2, 0, 2, 34]),
        Vector(key: Array("abc".utf8), hash: 479_470_107, partitions: [0, 4, 3, 7]),
        Vector(key: Array("abcd".utf8), hash: 2_971_317_748, partitions: [2, 5, 8, 0]),
        Vector(key: Array("abcde".utf8), hash: 461_995_741, partitions: [1, 4, 1, 41]),
        Vector(key: Array("hello world".utf8), hash: 1_221_641_059, partitions: [1, 2, 7, 59]),
        Vector(key: Array("key-0".utf8), hash: 29_210_041, partitions: [1, 0, 1, 41]),
        Vector(key: Array("key-1".utf8), hash: 193_331_640, partitions: [0, 5, 0, 40]),
        Vector(key: Array("key-42".utf8), hash: 4_107_880_775, partitions: [0, 3, 3, 27]),
        Vector(key: Array("user_1234567".utf8), hash: 352_644_791, partitions: [2, 2, 11, 91]),
        Vector(key: Array("ünïcödé".utf8), hash: 201_421_315, partitions: [1, 4, 7, 15]),
        Vector(key: Array(0..<37), hash: 74_000_851, partitions: [1, 1, 7, 51]),
    ]

    @Test(arguments: vectors)
    func hashMatchesJavaClient(_ v: Vector) {
        #expect(UInt32(bitPattern: Murmur2.hash(v.key)) == v.hash)
    }

    @Test(arguments: vectors)
    func partitionMatchesJavaDefaultPartitioner(_ v: Vector) {
        let got = [3, 7, 12, 100].map { n in
            Partitioner.murmur2.partition(forKey: ByteBuffer(bytes: v.key), partitionCount: n)
        }
        #expect(got == v.partitions.map { Optional($0) })
    }

    @Test func nullKeyIsLeftToTheStickyChoice() {
        #expect(Partitioner.murmur2.partition(forKey: nil, partitionCount: 3) == nil)
        #expect(Partitioner.consistentRandom.partition(forKey: nil, partitionCount: 3) == nil)
    }
}

/// librdkafka's consistent partitioners use zlib's CRC-32; vectors from Python's `zlib.crc32`.
struct ConsistentRandomTests {
    @Test func crc32CheckValue() {
        #expect(CRC32IEEE.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32IEEE.checksum(Array("hello world".utf8)) == 222_957_957)
    }

    @Test func partitionIsCrcModuloCount() {
        let p = Partitioner.consistentRandom
        #expect(p.partition(forKey: ByteBuffer(string: "a"), partitionCount: 3) == 0)
        #expect(p.partition(forKey: ByteBuffer(string: "a"), partitionCount: 7) == 4)
        #expect(p.partition(forKey: ByteBuffer(string: "key-42"), partitionCount: 3) == 2)
        #expect(p.partition(forKey: ByteBuffer(string: "hello world"), partitionCount: 7) == 5)
    }

    @Test func namesParse() throws {
        #expect(try Partitioner(name: "consistent_random") == .consistentRandom)
        #expect(try Partitioner(name: "murmur2") == .murmur2)
        #expect(throws: KafkaClientError.self) { try Partitioner(name: "fnv") }
    }
}
