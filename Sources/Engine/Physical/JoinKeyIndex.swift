import Columnar

/// The join keys of a hash join's build side, indexed so that probe rows find the group of
/// build rows with an equal key.
///
/// Keys that are all integer-like (integers, dates, timestamps, decimals whose unscaled values
/// fit 64 bits, strings of at most 7 bytes) are packed into one integer code per row and looked up as integers; other keys
/// are encoded into bytes (`KeyEncoder`) and hashed as bytes. A null key matches nothing
/// unless `nullsEqual` (INTERSECT / EXCEPT), where null matches null.
enum JoinKeyIndex {
    case packed(PackedKeyLayout, PackedKeyTable)
    case bytes(KeyTable)

    /// Bytes the index holds (for memory accounting).
    var byteCount: Int {
        switch self {
        case let .packed(_, t): return t.byteCount
        case let .bytes(t): return t.keys.bytes.count + t.count * 8
        }
    }

    /// The number of distinct build keys (groups).
    var groupCount: Int {
        switch self {
        case let .packed(_, t): return t.count
        case let .bytes(t): return t.count
        }
    }

    /// True when a build key of type `b` and a probe key of type `p` may be compared as
    /// packed integers: both integers, or both dates, timestamps, short strings (see
    /// `PackedKeyLayout`), or decimals of one scale.
    static func packable(_ b: DataType, _ p: DataType) -> Bool {
        guard PackedKeyLayout.supports(b), PackedKeyLayout.supports(p) else { return false }
        switch (b, p) {
        case let (.decimal(_, s1), .decimal(_, s2)): return s1 == s2
        case (.date, .date), (.timestamp, .timestamp), (.string, .string), (.binary, .binary): return true
        default: return b.isInteger && p.isInteger
        }
    }

    /// Indexes `count` build rows; returns the index and each row's group (-1 for rows whose
    /// key can match nothing).
    static func build(_ keys: [ColumnVector], probeTypes: [DataType], count n: Int, nullsEqual: Bool)
        -> (JoinKeyIndex, [Int32]) {
        let types = keys.map(\.type)
        if types.count == probeTypes.count, zip(types, probeTypes).allSatisfy(packable),
           let layout = PackedKeyLayout.make(types: types, columns: [keys]) {
            let codes = layout.pack(keys, count: n, nullsMatch: nullsEqual)
            // Probes usually outnumber build rows by far: an index of up to 1 Mi codes (4 MiB)
            // costs little to clear and answers every probe with one load.
            var table = PackedKeyTable(domain: layout.domain, expected: n, directBelow: 1 << 20)
            let groups = table.groups(for: codes)
            table.addPresenceFilter(domain: layout.domain)
            return (.packed(layout, table), groups)
        }
        let encoded = KeyEncoder.encode(keys, count: n)
        var table = KeyTable(capacity: max(16, n))
        var groups = [Int32](repeating: -1, count: n)
        encoded.bytes.withUnsafeBufferPointer { b in
            for i in 0..<n {
                if !nullsEqual, let an = encoded.anyNull, an[i] { continue }
                let s = encoded.offsets[i], e = encoded.offsets[i + 1]
                groups[i] = table.findOrInsert(UnsafeBufferPointer(rebasing: b[s..<e]), hash: KeyEncoder.hash(b, s, e))
            }
        }
        return (.bytes(table), groups)
    }

    /// The build group of each of `count` probe rows, -1 where no build row has its key or
    /// where `passing` (the rows a filter below kept, when given) has no bit.
    func probe(_ keys: [ColumnVector], count n: Int, nullsEqual: Bool, passing: Bitmap? = nil) -> [Int32] {
        switch self {
        case let .packed(layout, table):
            var codes = layout.pack(keys, count: n, nullsMatch: nullsEqual)
            if let passing { MaskedJoinProbe.excludeFailing(&codes, passing) }
            return table.lookup(codes)
        case let .bytes(table):
            let encoded = KeyEncoder.encode(keys, count: n)
            var groups = [Int32](repeating: -1, count: n)
            encoded.bytes.withUnsafeBufferPointer { b in
                // Keys may be empty (a join without equality keys): then every build row matches.
                let base = b.baseAddress
                for i in 0..<n {
                    if !nullsEqual, let an = encoded.anyNull, an[i] { continue }
                    let s = encoded.offsets[i], e = encoded.offsets[i + 1]
                    let key = UnsafeBufferPointer(start: base.map { $0 + s }, count: e - s)
                    groups[i] = table.find(key, hash: KeyEncoder.hash(b, s, e))
                }
            }
            if let passing { MaskedJoinProbe.dropFailing(&groups, passing) }
            return groups
        }
    }
}
