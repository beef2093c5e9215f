/// An open-addressing hash table from encoded keys to dense group numbers 0, 1, 2, …
///
/// Keys are copied into one byte arena; slots hold group numbers; lookups compare the
/// stored hash first and the bytes only on a hash match.
public struct KeyTable: Sendable {
    private var slots: [Int32]
    private var mask: Int
    /// The hash of each group's key.
    public private(set) var hashes: [UInt64] = []
    /// Group `g`'s key is `arena[keyOffsets[g]..<keyOffsets[g + 1]]`.
    public private(set) var keyOffsets: [Int] = [0]
    /// The key bytes of all groups.
    public private(set) var arena: [UInt8] = []

    /// The number of groups.
    public var count: Int { hashes.count }

    /// An empty table sized for about `capacity` groups.
    public init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The keys of all groups as `EncodedKeys` (for decoding).
    public var keys: EncodedKeys { EncodedKeys(offsets: keyOffsets, bytes: arena, anyNull: nil) }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        slots.withUnsafeMutableBufferPointer { s in
            for g in 0..<hashes.count {
                var i = Int(truncatingIfNeeded: hashes[g]) & mask
                while s[i] >= 0 { i = (i + 1) & mask }
                s[i] = Int32(g)
            }
        }
    }

    /// The group of a key, inserting it as a new group when absent.
    public mutating func findOrInsert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        if (hashes.count + 1) * 2 > slots.count { grow() }
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let g = slots[i]
            if g < 0 {
                let newGroup = Int32(hashes.count)
                slots[i] = newGroup
                hashes.append(hash)
                arena.append(contentsOf: key)
                keyOffsets.append(arena.count)
                return newGroup
            }
            if hashes[Int(g)] == hash && equal(Int(g), key) { return g }
            i = (i + 1) & mask
        }
    }

    /// The group of a key, or -1.
    public func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let g = slots[i]
            if g < 0 { return -1 }
            if hashes[Int(g)] == hash && equal(Int(g), key) { return g }
            i = (i + 1) & mask
        }
    }

    private func equal(_ g: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = keyOffsets[g], e = keyOffsets[g + 1]
        guard e - s == key.count else { return false }
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
