/// A hash table from packed key codes (see `PackedKeyLayout`) to dense group numbers 0, 1, 2, …
///
/// When the codes' domain is small compared with the expected number of keys, the table is a
/// direct array indexed by the code (no hashing, no comparisons); otherwise it is open
/// addressing with linear probing over slots holding the code next to its group.
public struct PackedKeyTable: Sendable {
    /// The code of each group.
    public private(set) var codes: [UInt64] = []
    /// Direct mode: `index[code]` is `group + 1`, 0 when absent. Empty in hashed mode.
    private var index: [Int32] = []
    /// Hashed mode: slot `i` holds `slotCodes[i]` for group `slotGroups[i] - 1` (0 = empty).
    private var slotCodes: [UInt64] = []
    private var slotGroups: [Int32] = []
    private var mask = 0
    private var shift: UInt64 = 0
    /// Hashed mode, after `addPresenceFilter`: bit `code` set for every code in the table.
    private var presence: [UInt64] = []
    /// True when codes index `index` directly.
    public let isDirect: Bool

    /// The largest domain indexed directly regardless of the expected key count (64 Ki codes).
    public static let directAlways: UInt64 = 1 << 16
    /// The largest domain indexed directly at all (64 MiB of `Int32`).
    static let directMax: UInt64 = 1 << 24

    /// The number of groups.
    public var count: Int { codes.count }

    /// Bytes held by the table's arrays (for memory accounting).
    public var byteCount: Int {
        codes.count * 8 + index.count * 4 + slotCodes.count * 8 + slotGroups.count * 4 + presence.count * 8
    }

    /// The largest domain given a presence filter (16 MiB of bits).
    static let presenceDomainMax: UInt64 = 1 << 27

    /// Gives a hashed table over codes below `domain` one bit per code, so that `lookup` answers
    /// an absent code from the bits (a small array that stays in cache) without probing the
    /// slots (a large one that does not): a join's probe rows mostly miss when its build side
    /// was filtered (TPC-H Q21 looks up every lineitem among the few late orders). Only when
    /// the bits take at most half the slots' bytes; nothing for direct tables.
    public mutating func addPresenceFilter(domain: UInt64) {
        guard !isDirect, domain <= Self.presenceDomainMax,
              domain / 8 <= UInt64(slotCodes.count * 12 / 2) else { return }
        var bits = [UInt64](repeating: 0, count: Int((domain + 63) >> 6))
        bits.withUnsafeMutableBufferPointer { b in
            for c in codes where c < domain { b[Int(c >> 6)] |= 1 << (c & 63) }
        }
        presence = bits
    }

    /// An empty table for codes below `domain`, sized for about `expected` keys; indexed directly
    /// when the domain is at most `directBelow` codes whatever the number of keys (a join's few
    /// build keys probed by many rows are found faster by one load than by hashing), or when the
    /// keys fill at least an eighth of it.
    public init(domain: UInt64, expected: Int, directBelow: UInt64 = PackedKeyTable.directAlways) {
        let e = UInt64(max(expected, 1))
        if domain <= max(Self.directAlways, min(directBelow, Self.directMax))
            || (domain <= Self.directMax && domain <= e &* 8) {
            isDirect = true
            index = [Int32](repeating: 0, count: Int(domain))
        } else {
            isDirect = false
            // Start modestly (aggregates pass their input row count, which may be far more than
            // the groups) and grow.
            var size = 16
            while size < min(expected, 1 << 16) * 2 { size <<= 1 }
            allocate(size)
        }
        codes.reserveCapacity(min(expected, 1 << 20))
    }

    private mutating func allocate(_ size: Int) {
        slotCodes = [UInt64](repeating: 0, count: size)
        slotGroups = [Int32](repeating: 0, count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Where a code's probe sequence starts: the high bits of a multiplicative hash (codes of
    /// keys are often consecutive integers, which this spreads evenly).
    @inline(__always) private func home(_ code: UInt64) -> Int {
        let h = (code ^ (code >> 29)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> shift)
    }

    private mutating func grow() {
        let oldCodes = slotCodes, oldGroups = slotGroups
        allocate(slotCodes.count * 2)
        var newCodes = slotCodes, newGroups = slotGroups
        slotCodes = []
        slotGroups = []
        let m = mask
        newCodes.withUnsafeMutableBufferPointer { sc in
            newGroups.withUnsafeMutableBufferPointer { sg in
                for j in 0..<oldGroups.count where oldGroups[j] != 0 {
                    var i = home(oldCodes[j])
                    while sg[i] != 0 { i = (i + 1) & m }
                    sc[i] = oldCodes[j]
                    sg[i] = oldGroups[j]
                }
            }
        }
        slotCodes = newCodes
        slotGroups = newGroups
    }

    /// The group of `code` (below the domain), inserting it as a new group when absent.
    @inline(__always) public mutating func findOrInsert(_ code: UInt64) -> Int32 {
        if isDirect {
            let g = index[Int(code)]
            if g != 0 { return g - 1 }
            let group = Int32(codes.count)
            codes.append(code)
            index[Int(code)] = group + 1
            return group
        }
        if (codes.count + 1) * 2 > slotCodes.count { grow() }
        var i = home(code)
        while true {
            let g = slotGroups[i]
            if g == 0 { break }
            if slotCodes[i] == code { return g - 1 }
            i = (i + 1) & mask
        }
        let group = Int32(codes.count)
        codes.append(code)
        slotCodes[i] = code
        slotGroups[i] = group + 1
        return group
    }

    /// The group of `code`, or -1 (also for `PackedKeyLayout.noMatch` and other codes outside
    /// the domain).
    @inline(__always) public func find(_ code: UInt64) -> Int32 {
        if isDirect {
            guard code < UInt64(index.count) else { return -1 }
            return index[Int(code)] - 1
        }
        var i = home(code)
        while true {
            let g = slotGroups[i]
            if g == 0 { return -1 }
            if slotCodes[i] == code { return g - 1 }
            i = (i + 1) & mask
        }
    }

    /// Looks up (inserting) every code; returns each row's group. Codes at or above
    /// `PackedKeyLayout.noMatch` are not inserted and get -1.
    public mutating func groups(for keys: [UInt64]) -> [Int32] {
        let n = keys.count
        var out = [Int32](repeating: -1, count: n)
        if isDirect {
            var next = Int32(codes.count)
            var table = index
            index = []
            var newCodes = codes
            codes = []
            table.withUnsafeMutableBufferPointer { t in
                keys.withUnsafeBufferPointer { k in
                    out.withUnsafeMutableBufferPointer { o in
                        for i in 0..<n where k[i] < PackedKeyLayout.noMatch {
                            let c = Int(k[i])
                            var g = t[c]
                            if g == 0 {
                                next += 1
                                g = next
                                t[c] = g
                                newCodes.append(k[i])
                            }
                            o[i] = g - 1
                        }
                    }
                }
            }
            index = table
            codes = newCodes
            return out
        }
        // Chunks small enough that making room for every row of a chunk to be a new group
        // never over-allocates much; inside a chunk the slots need no growth checks.
        let chunk = 4096
        var start = 0
        while start < n {
            let end = min(n, start + chunk)
            while (codes.count + end - start) * 2 > slotCodes.count { grow() }
            var sc = slotCodes, sg = slotGroups, all = codes
            slotCodes = []
            slotGroups = []
            codes = []
            let m = mask
            sc.withUnsafeMutableBufferPointer { sc in
                sg.withUnsafeMutableBufferPointer { sg in
                    keys.withUnsafeBufferPointer { k in
                        out.withUnsafeMutableBufferPointer { o in
                            for i in start..<end where k[i] < PackedKeyLayout.noMatch {
                                let code = k[i]
                                var j = home(code)
                                while true {
                                    let g = sg[j]
                                    if g == 0 {
                                        let group = Int32(all.count)
                                        all.append(code)
                                        sc[j] = code
                                        sg[j] = group + 1
                                        o[i] = group
                                        break
                                    }
                                    if sc[j] == code {
                                        o[i] = g - 1
                                        break
                                    }
                                    j = (j + 1) & m
                                }
                            }
                        }
                    }
                }
            }
            slotCodes = sc
            slotGroups = sg
            codes = all
            start = end
        }
        return out
    }

    /// The groups of every code (-1 where absent), without inserting.
    public func lookup(_ keys: [UInt64]) -> [Int32] {
        let n = keys.count
        var out = [Int32](repeating: -1, count: n)
        out.withUnsafeMutableBufferPointer { o in
            keys.withUnsafeBufferPointer { k in
                if isDirect {
                    index.withUnsafeBufferPointer { t in
                        guard !t.isEmpty else { return }
                        let limit = UInt64(t.count)
                        // Branch-free: a filter below the join marks its failing rows' codes, in
                        // no pattern a branch predictor could learn.
                        for i in 0..<n {
                            let code = k[i]
                            let inRange = code < limit
                            let g = t[inRange ? Int(truncatingIfNeeded: code) : 0]
                            o[i] = inRange ? g - 1 : -1
                        }
                    }
                } else {
                    slotCodes.withUnsafeBufferPointer { sc in
                        slotGroups.withUnsafeBufferPointer { sg in
                            presence.withUnsafeBufferPointer { bits in
                                let bitLimit = UInt64(bits.count) << 6
                                let filtered = !bits.isEmpty
                                for i in 0..<n {
                                    let code = k[i]
                                    if filtered {
                                        // One branch, mostly not taken when most probes miss;
                                        // marked codes (`noMatch`) are past the bits.
                                        let inBits = code < bitLimit
                                        let word = bits[inBits ? Int(truncatingIfNeeded: code >> 6) : 0]
                                        if (word >> (code & 63)) & (inBits ? 1 : 0) == 0 { continue }
                                    } else if code >= PackedKeyLayout.noMatch {
                                        continue
                                    }
                                    var j = home(code)
                                    while true {
                                        let g = sg[j]
                                        if g == 0 { break }
                                        if sc[j] == code {
                                            o[i] = g - 1
                                            break
                                        }
                                        j = (j + 1) & mask
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
