import Columnar

/// `collect_list(x)` / `collect_set(x)`: the non-null values of a group as an array, in input
/// order (`collect_set` keeps the first of equal values). Values are kept as their key
/// encoding, one byte run per value, and decoded once at the end.
final class CollectAccumulator: Accumulator {
    let elementType: DataType
    let distinct: Bool
    /// Per group: the encoded values, all in one buffer, with their end offsets.
    var bytes: [[UInt8]] = []
    var ends: [[Int]] = []
    var seen: [Set<ArraySlice<UInt8>>] = []

    init(elementType: DataType, distinct: Bool) {
        self.elementType = elementType
        self.distinct = distinct
    }

    func resize(_ groups: Int) {
        guard bytes.count < groups else { return }
        let extra = groups - bytes.count
        bytes += [[UInt8]](repeating: [], count: extra)
        ends += [[Int]](repeating: [], count: extra)
        if distinct { seen += [Set<ArraySlice<UInt8>>](repeating: [], count: extra) }
    }

    private func add(_ g: Int, _ key: ArraySlice<UInt8>) {
        if distinct && !seen[g].insert(key).inserted { return }
        bytes[g].append(contentsOf: key)
        ends[g].append(bytes[g].count)
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        let a = args[0]
        let keys = KeyEncoder.encode([a], count: a.count)
        for i in 0..<groups.count where !a.isNull(i) {
            add(Int(groups[i]), keys.bytes[keys.offsets[i]..<keys.offsets[i + 1]])
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? CollectAccumulator else { return }
        for g in 0..<o.bytes.count {
            var start = 0
            for end in o.ends[g] {
                add(Int(mapping[g]), o.bytes[g][start..<end])
                start = end
            }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var offsets = [Int32](repeating: 0, count: groups + 1)
        var keyOffsets = [0]
        var all: [UInt8] = []
        for g in 0..<groups {
            let base = all.count
            all.append(contentsOf: bytes[g])
            for e in ends[g] { keyOffsets.append(base + e) }
            offsets[g + 1] = Int32(truncatingIfNeeded: keyOffsets.count - 1)
        }
        let values = KeyEncoder.decode(EncodedKeys(offsets: keyOffsets, bytes: all, anyNull: nil), types: [elementType])[0]
        return ColumnVector(type: .array(element: elementType, containsNull: true), count: groups,
                            storage: .list(offsets: offsets, values: values), validity: nil)
    }
}
