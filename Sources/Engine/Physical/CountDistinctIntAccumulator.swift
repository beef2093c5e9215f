import Columnar

/// `count(DISTINCT x)` of one integer-valued column (int8–int64, date, timestamp), as TPC-H Q16's
/// `count(DISTINCT ps_suppkey)`: the distinct (group, value) pairs live in `GroupValueSet`, an
/// open-addressing set of two parallel arrays, rather than as encoded byte keys in a `KeyTable`,
/// so a row costs one multiply-hash and a probe of fixed-width slots, with no key encoding, no
/// copy into a buffer and no byte comparison.
final class CountDistinctIntAccumulator: Accumulator {
    private var set = GroupValueSet()
    private var counts: [Int64] = []

    /// Whether a column of `type` is held as integers this accumulator reads.
    static func handles(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .date, .timestamp: return true
        default: return false
        }
    }

    func resize(_ groups: Int) { if counts.count < groups { counts += [Int64](repeating: 0, count: groups - counts.count) } }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        guard let column = args.first else { return }
        switch column.storage {
        case let .int8(v): add(groups, v, column.validity)
        case let .int16(v): add(groups, v, column.validity)
        case let .int32(v): add(groups, v, column.validity)
        case let .int64(v): add(groups, v, column.validity)
        case .null: return  // every value null: nothing to count
        default: throw EngineError.execution("count(DISTINCT) over integers got a column of \(column.type)")
        }
    }

    private func add<T: FixedWidthInteger>(_ groups: [Int32], _ values: [T], _ validity: Bitmap?) {
        let n = min(groups.count, values.count)
        // Worked on as locals: no exclusivity checks of the class's properties inside the loop.
        var pairs = set
        var local = counts
        set = GroupValueSet()
        counts = []
        pairs.reserve(pairs.count + n)
        local.withUnsafeMutableBufferPointer { c in
            groups.withUnsafeBufferPointer { g in
                values.withUnsafeBufferPointer { v in
                    if let validity {
                        for i in 0..<n where validity[i] {
                            if pairs.insert(group: g[i], value: Int64(v[i])) { c[Int(g[i])] += 1 }
                        }
                    } else {
                        for i in 0..<n where pairs.insert(group: g[i], value: Int64(v[i])) { c[Int(g[i])] += 1 }
                    }
                }
            }
        }
        set = pairs
        counts = local
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? CountDistinctIntAccumulator else { return }
        var pairs = set
        set = GroupValueSet()
        pairs.reserve(pairs.count + o.set.count)
        o.set.forEach { g, value in
            let mine = mapping[Int(g)]
            if pairs.insert(group: mine, value: value) { counts[Int(mine)] += 1 }
        }
        set = pairs
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        return ColumnVector(type: .int64, count: groups, storage: .int64(Array(counts.prefix(groups))), validity: nil)
    }
}

/// A set of (group, 64-bit value) pairs: open addressing with linear probing over two parallel
/// arrays (group + 1, 0 marking an empty slot; and the value), at most half full.
struct GroupValueSet {
    private var tags: [UInt32]
    private var values: [Int64]
    private var mask: Int
    /// The pairs held.
    private(set) var count = 0

    init() {
        tags = [UInt32](repeating: 0, count: 16)
        values = [Int64](repeating: 0, count: 16)
        mask = 15
    }

    @inline(__always)
    private static func hash(_ group: Int32, _ value: Int64) -> Int {
        var h = UInt64(bitPattern: value) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(UInt32(bitPattern: group)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    /// Makes room for `total` pairs without growing inside `insert`.
    mutating func reserve(_ total: Int) {
        guard total * 2 > tags.count else { return }
        var size = tags.count
        while total * 2 > size { size <<= 1 }
        let oldTags = tags, oldValues = values
        tags = [UInt32](repeating: 0, count: size)
        values = [Int64](repeating: 0, count: size)
        mask = size - 1
        for i in oldTags.indices where oldTags[i] != 0 {
            var j = Self.hash(Int32(bitPattern: oldTags[i] &- 1), oldValues[i]) & mask
            while tags[j] != 0 { j = (j + 1) & mask }
            tags[j] = oldTags[i]
            values[j] = oldValues[i]
        }
    }

    /// Adds the pair; true when it was not there yet. Room must have been reserved.
    @inline(__always)
    mutating func insert(group: Int32, value: Int64) -> Bool {
        let tag = UInt32(bitPattern: group) &+ 1
        var j = Self.hash(group, value) & mask
        let added: Bool = tags.withUnsafeMutableBufferPointer { t in
            values.withUnsafeMutableBufferPointer { v in
                while true {
                    let s = t[j]
                    if s == 0 {
                        t[j] = tag
                        v[j] = value
                        return true
                    }
                    if s == tag && v[j] == value { return false }
                    j = (j + 1) & mask
                }
            }
        }
        if added { count += 1 }
        return added
    }

    /// Calls `body` with every pair held.
    func forEach(_ body: (Int32, Int64) -> Void) {
        for i in tags.indices where tags[i] != 0 { body(Int32(bitPattern: tags[i] &- 1), values[i]) }
    }
}
