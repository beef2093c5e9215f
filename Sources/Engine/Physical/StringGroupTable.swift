import Columnar
import Foundation

/// Groups rows by one string (or binary) key, hashing and comparing each row's bytes where they
/// lie in the column: no encoded key is built per row (the general `KeyEncoder` path makes every
/// key twice: sizes, then bytes with escaped zeros).
///
/// Open addressing over a slot array that packs the upper 32 bits of a key's hash (a tag) with
/// the group number, so a probe touches the key bytes only on a tag match. Null is a group of its
/// own, numbered when first met.
struct StringGroupTable {
    /// 0 is an empty slot; otherwise `tag << 32 | (group + 1)`.
    private var slots: [UInt64]
    private var mask: Int
    /// Group `g`'s key is `arena[keyOffsets[g]..<keyOffsets[g + 1]]` (empty for the null group).
    private var keyOffsets: [Int] = [0]
    private var arena: [UInt8] = []
    /// Each group's hash (0 for the null group), kept for growing and merging.
    private var hashes: [UInt64] = []
    /// The null key's group, or -1 before a null is met.
    private(set) var nullGroup: Int32 = -1

    /// The number of groups.
    var count: Int { hashes.count }

    /// An empty table sized for about `capacity` groups.
    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always) private static func slot(hash: UInt64, group: Int) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(group + 1)
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        fresh.withUnsafeMutableBufferPointer { s in
            hashes.withUnsafeBufferPointer { h in
                for g in 0..<h.count where Int32(g) != nullGroup {
                    var i = Int(truncatingIfNeeded: h[g]) & newMask
                    while s[i] != 0 { i = (i + 1) & newMask }
                    s[i] = Self.slot(hash: h[g], group: g)
                }
            }
        }
        slots = fresh
        mask = newMask
    }

    /// The null key's group, made when absent.
    mutating func nullGroupNumber() -> Int32 {
        if nullGroup < 0 {
            nullGroup = Int32(hashes.count)
            hashes.append(0)
            keyOffsets.append(arena.count)
        }
        return nullGroup
    }

    /// Whether `arena[start..<start + length]` holds the bytes `p[0..<length]`: short keys (the
    /// usual group key) compared a word at a time in place, longer ones with `memcmp`.
    @inline(__always)
    private static func equal(_ arena: UnsafePointer<UInt8>?, _ start: Int, _ p: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        if length == 0 { return true }
        guard let arena else { return false }
        let a = UnsafeRawPointer(arena + start), b = UnsafeRawPointer(p)
        if length > 16 { return memcmp(a, b, length) == 0 }
        var k = 0
        while k + 8 <= length {
            if a.loadUnaligned(fromByteOffset: k, as: UInt64.self) != b.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
                return false
            }
            k += 8
        }
        if k + 4 <= length {
            if a.loadUnaligned(fromByteOffset: k, as: UInt32.self) != b.loadUnaligned(fromByteOffset: k, as: UInt32.self) {
                return false
            }
            k += 4
        }
        while k < length {
            if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) { return false }
            k += 1
        }
        return true
    }

    /// The hash of the key `p[0..<length]`, where `p[0..<readable]` may be read: a key of up to
    /// eight bytes is one word (loaded whole when the buffer allows, so no byte loop), mixed once;
    /// longer keys take `KeyEncoder.hash`. Every key gets the same hash whichever way it is read.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ length: Int, readable: Int) -> UInt64 {
        if length > 8 { return KeyEncoder.hash(p, length) }
        var w: UInt64 = 0
        if length > 0 {
            if readable >= 8 {
                let all = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                w = length == 8 ? all : all & ((UInt64(1) << UInt64(length * 8)) - 1)
            } else {
                for k in 0..<length { w |= UInt64(p[k]) << UInt64(k * 8) }
            }
        }
        var h = (w ^ (UInt64(length) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 32)
    }

    /// The group of the key `p[0..<length]`, made when absent.
    @inline(__always)
    mutating func findOrInsert(_ p: UnsafePointer<UInt8>, _ length: Int, hash: UInt64) -> Int32 {
        if (hashes.count + 1) * 2 > slots.count { grow() }
        let tag = hash >> 32
        var i = Int(truncatingIfNeeded: hash) & mask
        let found: Int32 = slots.withUnsafeBufferPointer { s in
            keyOffsets.withUnsafeBufferPointer { o in
                arena.withUnsafeBufferPointer { a in
                    while true {
                        let v = s[i]
                        if v == 0 { return -1 }
                        if v >> 32 == tag {
                            let g = Int(truncatingIfNeeded: v & 0xFFFF_FFFF) - 1
                            let start = o[g]
                            if o[g + 1] - start == length
                                && Self.equal(a.baseAddress, start, p, length) {
                                return Int32(g)
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
        if found >= 0 { return found }
        let group = hashes.count
        slots[i] = Self.slot(hash: hash, group: group)
        hashes.append(hash)
        arena.append(contentsOf: UnsafeBufferPointer(start: p, count: length))
        keyOffsets.append(arena.count)
        return Int32(group)
    }

    /// Each row's group for the key column `column` (string or binary), into `out` (resized to
    /// the column's row count).
    mutating func groups(for column: ColumnVector, into out: inout [Int32]) {
        let n = column.count
        out.removeAll(keepingCapacity: true)
        guard case let .bytes(offsets, data) = column.storage else {
            // A column of nulls only (`.null` storage).
            out.append(contentsOf: repeatElement(nullGroupNumber(), count: n))
            return
        }
        out.reserveCapacity(n)
        let validity = column.validity
        data.withUnsafeBufferPointer { d in
            offsets.withUnsafeBufferPointer { o in
                // An empty data buffer may have no base address; any non-nil pointer serves then,
                // as every key of such a column is empty.
                let base = d.baseAddress ?? UnsafePointer(bitPattern: 1)!
                for r in 0..<n {
                    if let validity, !validity[r] {
                        out.append(nullGroupNumber())
                        continue
                    }
                    let s = Int(o[r]), e = Int(o[r + 1])
                    let p = base + s
                    out.append(findOrInsert(p, e - s, hash: Self.hash(p, e - s, readable: d.count - s)))
                }
            }
        }
    }

    /// Where each group of `other` is in this table (inserting the groups missing here).
    mutating func merge(_ other: StringGroupTable) -> [Int32] {
        var mapping = [Int32](repeating: 0, count: other.count)
        other.arena.withUnsafeBufferPointer { a in
            let base = a.baseAddress ?? UnsafePointer(bitPattern: 1)!
            for g in 0..<other.count {
                if Int32(g) == other.nullGroup {
                    mapping[g] = nullGroupNumber()
                    continue
                }
                let s = other.keyOffsets[g], e = other.keyOffsets[g + 1]
                mapping[g] = findOrInsert(base + s, e - s, hash: other.hashes[g])
            }
        }
        return mapping
    }

    /// The groups' keys as a column of `type` (string or binary), in group order.
    func keyColumn(_ type: DataType) -> ColumnVector {
        let n = count
        var validity: Bitmap? = nil
        if nullGroup >= 0 {
            var v = Bitmap(count: n, value: true)
            v[Int(nullGroup)] = false
            validity = v
        }
        return ColumnVector(type: type, count: n,
                            storage: .bytes(offsets: keyOffsets.map { Int32(truncatingIfNeeded: $0) }, data: arena),
                            validity: validity)
    }

    /// Bytes held by the keys (for the memory accounting of the result).
    var keyBytes: Int { arena.count + keyOffsets.count * 8 }
}
