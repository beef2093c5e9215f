/// A 128-bit UUID as the protocol carries it (topic ids, directory ids): 16 big-endian bytes.
public struct Uuid: Hashable, Sendable, WireDefault, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init() { high = 0; low = 0 }
    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    /// The all-zero id, which the protocol uses for "no id".
    public static let zero = Uuid()

    /// A random version-4 UUID.
    public static func random() -> Uuid {
        var g = SystemRandomNumberGenerator()
        let high = (g.next() as UInt64) & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = (g.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return Uuid(high: high, low: low)
    }

    public var isZero: Bool { high == 0 && low == 0 }

    /// Kafka prints topic ids as URL-safe base64 without padding.
    public var description: String { base64 }

    public var base64: String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        let n = UInt32(bytes[15]) << 16
        out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses the URL-safe base64 form (22 characters).
    public init?(base64 text: String) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let chars = Array(text.utf8)
        guard chars.count == 22 else { return nil }
        var bits: [UInt8] = []
        var acc: UInt32 = 0
        var n = 0
        for c in chars {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            acc = acc << 6 | UInt32(v)
            n += 6
            if n >= 8 { n -= 8; bits.append(UInt8(truncatingIfNeeded: acc >> UInt32(n))) }
        }
        guard bits.count == 16 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(bits[i]) }
        for i in 8..<16 { l = l << 8 | UInt64(bits[i]) }
        self.init(high: h, low: l)
    }
}
