import Columnar

/// `bit_and(x)`, `bit_or(x)`, `bit_xor(x)` over an integer column: the bits of the group's
/// non-null values combined, in the input's own type; null for a group without one.
final class BitwiseAccumulator: Accumulator {
    enum Operation { case and, or, xor }

    let operation: Operation
    let type: DataType
    private var bits: [Int64] = []
    private var seen: [Bool] = []

    init(_ operation: Operation, type: DataType) {
        self.operation = operation
        self.type = type
    }

    func resize(_ groups: Int) {
        guard bits.count < groups else { return }
        let identity: Int64 = operation == .and ? -1 : 0
        bits += [Int64](repeating: identity, count: groups - bits.count)
        seen += [Bool](repeating: false, count: groups - seen.count)
    }

    func update(_ groups: [Int32], _ args: [ColumnVector]) throws {
        let column = args[0]
        let values: [Int64]
        switch column.storage {
        case let .int64(v): values = v
        case let .int32(v): values = v.map(Int64.init)
        case let .int16(v): values = v.map(Int64.init)
        case let .int8(v): values = v.map(Int64.init)
        case .null: return
        default: throw EngineError.execution("bitwise aggregates need an integer argument, not \(column.type)")
        }
        for i in 0..<groups.count where !column.isNull(i) { combine(Int(groups[i]), values[i]) }
    }

    @inline(__always) private func combine(_ g: Int, _ v: Int64) {
        switch operation {
        case .and: bits[g] &= v
        case .or: bits[g] |= v
        case .xor: bits[g] ^= v
        }
        seen[g] = true
    }

    func merge(_ other: any Accumulator, mapping: [Int32]) {
        guard let o = other as? BitwiseAccumulator else { return }
        for g in 0..<o.bits.count where o.seen[g] { combine(Int(mapping[g]), o.bits[g]) }
    }

    func finish(_ groups: Int) -> ColumnVector {
        resize(groups)
        var out = ColumnBuilder(type: type, capacity: groups)
        for g in 0..<groups {
            // The bits stay within the input type: and/or/xor of sign-extended values never leave it.
            if seen[g] { out.appendInt(bits[g]) } else { out.appendNull() }
        }
        return out.finish()
    }
}
