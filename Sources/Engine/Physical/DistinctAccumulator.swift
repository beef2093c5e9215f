import Columnar

/// `sum(DISTINCT x)`, `avg(DISTINCT x)` and other aggregates over distinct values: the distinct
/// (group, value) pairs are collected (and merged across workers) first; the inner aggregate
/// runs once over them at the end, so a value seen by two workers is counted once.
final class DistinctAccumulator: Accumulator {
    let name: String
    let argType: DataType
    let resultType: DataType
    var seen = KeyTable()

    init(name: String, argType: DataType, resultType: DataType) {
        self.name = name
        self.argType = argType
        self.resultType = resultType
    }

    func resize(_ groups: Int) {}

    private func insert(_ g: Int32, _ key: UnsafeBufferPointer<UInt8>, _ buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: g.littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: key)
        buffer.withUnsafeBufferPointer { p in
            _ = seen.findOrInsert(p, hash: KeyEncoder.hash(p.baseAddress!, p.count))
        }
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        let a = args[0]
        let keys = KeyEncoder.encode([a], count: a.count)
        var buffer: [UInt8] = []
        keys.bytes.withUnsafeBufferPointer { b in
            for i in 0..<groups.count where !a.isNull(i) {
                insert(groups[i], UnsafeBufferPointer(rebasing: b[keys.offsets[i]..<keys.offsets[i + 1]]), &buffer)
            }
        }
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? DistinctAccumulator else { return }
        var buffer: [UInt8] = []
        let keys = o.seen.keys
        keys.bytes.withUnsafeBufferPointer { b in
            for k in 0..<keys.count {
                let s = keys.offsets[k]
                var g: Int32 = 0
                withUnsafeMutableBytes(of: &g) { dst in for j in 0..<4 { dst[j] = b[s + j] } }
                insert(mapping[Int(Int32(littleEndian: g))], UnsafeBufferPointer(rebasing: b[(s + 4)..<keys.offsets[k + 1]]), &buffer)
            }
        }
    }

    func finish(_ groups: Int) -> ColumnVector {
        let keys = seen.keys
        var groupOf = [Int32](repeating: 0, count: keys.count)
        var valueOffsets = [Int](repeating: 0, count: keys.count + 1)
        var valueBytes: [UInt8] = []
        keys.bytes.withUnsafeBufferPointer { b in
            for k in 0..<keys.count {
                let s = keys.offsets[k]
                var g: Int32 = 0
                withUnsafeMutableBytes(of: &g) { dst in for j in 0..<4 { dst[j] = b[s + j] } }
                groupOf[k] = Int32(littleEndian: g)
                valueBytes.append(contentsOf: b[(s + 4)..<keys.offsets[k + 1]])
                valueOffsets[k + 1] = valueBytes.count
            }
        }
        let values = KeyEncoder.decode(EncodedKeys(offsets: valueOffsets, bytes: valueBytes, anyNull: nil), types: [argType])[0]
        do {
            let inner = try makeAccumulator(name, distinct: false, argTypes: [argType], resultType: resultType)
            inner.resize(groups)
            try inner.update(groupOf, [values])
            return inner.finish(groups)
        } catch {
            return ColumnVector.nulls(resultType, count: groups)
        }
    }
}
