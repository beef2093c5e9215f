/// An open-addressing hash table from encoded keys to dense group numbers 0, 1, 2, …
///
/// Keys are copied into one byte arena. Each slot packs the upper 32 bits of the key's hash (a tag)
/// with the group number, so a probe reads only the slot array until a tag matches: a lookup that
/// misses, or passes other keys on its way, never touches the arena. Key bytes are compared only
/// on a tag match. When every key has the same length (keys of fixed-width columns), a group's key
/// is found by multiplication instead of through the offsets array.
public struct KeyTable: Sendable {
    /// 0 is an empty slot; otherwise `tag << 32 | (group + 1)`.
    private var slots: [UInt64]
    private var mask: Int
    /// The hash of each group's key.
    public private(set) var hashes: [UInt64] = []
    /// Group `g`'s key is `arena[keyOffsets[g]..<keyOffsets[g + 1]]`.
    public private(set) var keyOffsets: [Int] = [0]
    /// The key bytes of all groups.
    public private(set) var arena: [UInt8] = []
    /// The length every key has so far, or -1 once two lengths differ (or before the first key).
    private var uniformWidth = -1

    /// The number of groups.
    public var count: Int { hashes.count }

    /// An empty table sized for about `capacity` groups.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// The keys of all groups as `EncodedKeys` (for decoding).
    public var keys: EncodedKeys { EncodedKeys(offsets: keyOffsets, bytes: arena, anyNull: nil) }

    @inline(__always) private static func slot(hash: UInt64, group: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(group + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        fresh.withUnsafeMutableBufferPointer { s in
            hashes.withUnsafeBufferPointer { h in
                for g in 0..<h.count {
                    var i = Int(truncatingIfNeeded: h[g]) & newMask
                    while s[i] != 0 { i = (i + 1) & newMask }
                    s[i] = Self.slot(hash: h[g], group: g)
                }
            }
        }
        slots = fresh
        mask = newMask
    }

    /// The group of a key, inserting it as a new group when absent.
    public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let tag = hash >> 32
        var i = Int(truncatingIfNeeded: hash) & mask
        let found: Int32? = slots.withUnsafeBufferPointer { s in
            while true {
                let v = s[i]
                if v == 0 { return nil }
                if v >> 32 == tag {
                    let g = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                    if equal(g, key) { return Int32(g) }
                }
                i = (i + 1) & mask
            }
        }
        if let found { return found }
        let group = hashes.count
        slots[i] = Self.slot(hash: hash, group: group)
        hashes.append(hash)
        if group == 0 {
            uniformWidth = key.count
        } else if key.count != uniformWidth {
            uniformWidth = -1
        }
        arena.append(contentsOf: key)
        keyOffsets.append(arena.count)
        return Int32(group)
    }

    /// The group of a key, or -1.
    public func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        let tag = hash >> 32
        var i = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { s in
            while true {
                let v = s[i]
                if v == 0 { return -1 }
                if v >> 32 == tag {
                    let g = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                    if equal(g, key) { return Int32(g) }
                }
                i = (i + 1) & mask
            }
        }
    }

    @inline(__always) private func equal(_ g: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let s: Int
        if uniformWidth >= 0 {
            guard key.count == uniformWidth else { return false }
            s = g * uniformWidth
        } else {
            s = keyOffsets[g]
            guard keyOffsets[g + 1] - s == key.count else { return false }
        }
        if key.count == 0 { return true }
        return arena.withUnsafeBufferPointer { a in memcmpBytes(a.baseAddress! + s, key.baseAddress!, key.count) == 0 }
    }

    /// Looks up (inserting) every row of `keys`; returns each row's group.
    public mutating func groups(for keys: EncodedKeys) -> [Int32] {
        let n = keys.count
        var out = [Int32](repeating: 0, count: n)
        keys.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                let s = keys.offsets[i], e = keys.offsets[i + 1]
                let slice = UnsafeBufferPointer(rebasing: b[s..<e])
                let h = KeyEncoder.hash(b, s, e)
                out[i] = findOrInsert(slice, hash: h)
            }
        }
        return out
    }
}
