import Columnar
import TributaryCore

/// Spark's hash and digest functions: `hash`, `xxhash64`, `crc32`, `md5`, `sha1`, `sha2`.
enum HashFunctions {
    static let all: [String: ScalarFunction] = [
        "hash": ScalarFunction(1...255, [nil], returns: .int32) { c in
            var out = ColumnBuilder(type: .int32, capacity: c.rowCount)
            for row in 0..<c.rowCount { out.appendInt(Int64(c.args.reduce(42) { SparkMurmur3.fold($1, row, $0) })) }
            return out.finish()
        },
        "xxhash64": ScalarFunction(1...255, [nil], returns: .int64) { c in
            var out = ColumnBuilder(type: .int64, capacity: c.rowCount)
            for row in 0..<c.rowCount { out.appendInt(c.args.reduce(42) { SparkXXHash64.fold($1, row, $0) }) }
            return out.finish()
        },
        "crc32": ScalarFunction(1...1, [.binary], returns: .int64) { c in
            let s = c.strings(0)
            return c.map { row, out in
                out.appendInt(Int64(CRC32IEEE.checksum(Array(s[row]))))
            }
        },
        "md5": digest { Digest.md5($0) },
        "sha1": digest { Digest.sha1($0) },
        "sha": digest { Digest.sha1($0) },
        "sha2": ScalarFunction(2...2, [.binary, .int32], returns: .string, sha2),
    ]

    /// A digest function of one binary argument whose answer is lower-case hexadecimal.
    static func digest(_ fn: @escaping @Sendable (ArraySlice<UInt8>) -> [UInt8]) -> ScalarFunction {
        ScalarFunction(1...1, [.binary], returns: .string) { c in
            let s = c.strings(0)
            return c.map { row, out in out.appendBytes(hex(fn(s[row]))) }
        }
    }

    /// `sha2(bin, bits)`: SHA-224, SHA-256 (also for 0), SHA-384 or SHA-512; null for other sizes.
    static func sha2(_ c: ScalarCall) -> ColumnVector {
        let s = c.strings(0), bits = c.ints(1)
        return c.map { row, out in
            switch bits[row] {
            case 224: out.appendBytes(hex(Digest.sha256(s[row], bits: 224)))
            case 0, 256: out.appendBytes(hex(Digest.sha256(s[row], bits: 256)))
            case 384: out.appendBytes(hex(Digest.sha512(s[row], bits: 384)))
            case 512: out.appendBytes(hex(Digest.sha512(s[row], bits: 512)))
            default: out.appendNull()
            }
        }
    }

    /// Lower-case hexadecimal, as Spark writes digests.
    static func hex(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        EncodingFunctions.appendHex(bytes, to: &out, uppercase: false)
        return out
    }
}
