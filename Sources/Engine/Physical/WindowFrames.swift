import Columnar

/// Aggregates over explicit window frames: `ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING`,
/// `RANGE BETWEEN 10 PRECEDING AND CURRENT ROW` and the other bounded forms.
///
/// Each row's frame is a range of positions in the sorted order of its partition. ROWS bounds
/// count positions; RANGE bounds compare the (single, numeric) ORDER BY value with the current
/// row's, and CURRENT ROW in a RANGE frame means the whole peer group. Rows whose order value is
/// null frame the null peer group, as Spark does.
enum WindowFrames {
    /// The frame `[lo, hi)` of every sorted position.
    static func bounds(_ frame: WindowFrame, n: Int, sorted: [Int32], partitionOf: [Int32], peerStart: [Int],
                       spec: WindowSpec, orderCols: [ColumnVector]) throws -> [(lo: Int, hi: Int)] {
        // Partition and peer-group bounds per sorted position.
        let positions = WindowPositions(sorted: sorted, partitionOf: partitionOf, peerStart: peerStart)
        let partStart = positions.partStart, partEnd = positions.partEnd, peerEnd = positions.peerEnd

        var out = [(lo: Int, hi: Int)](repeating: (0, 0), count: n)
        switch frame.kind {
        case .rows:
            for k in 0..<n {
                let ps = partStart[k], pe = partEnd[k]
                func position(_ b: FrameBound, isEnd: Bool) -> Int {
                    let offsetEnd = isEnd ? 1 : 0
                    switch b {
                    case .unboundedPreceding: return ps
                    case .unboundedFollowing: return pe
                    case .currentRow: return k + offsetEnd
                    case let .preceding(m): return min(pe, max(ps, k - m + offsetEnd))
                    case let .following(m): return min(pe, max(ps, k + m + offsetEnd))
                    }
                }
                out[k] = (position(frame.start, isEnd: false), position(frame.end, isEnd: true))
            }
        case .range:
            let numericBounds = [frame.start, frame.end].contains { b in
                if case .preceding = b { return true }
                if case .following = b { return true }
                return false
            }
            var values: [Double] = []
            var ascending = true
            if numericBounds {
                guard spec.orderBy.count == 1, let key = orderCols.first,
                      key.type.isNumeric || key.type == .date || key.type == .timestamp else {
                    throw EngineError.analysis("[DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER] A RANGE frame with offsets needs "
                                               + "exactly one numeric ORDER BY expression.", position: nil)
                }
                ascending = spec.orderBy[0].ascending
                let asDouble: ColumnVector
                switch key.storage {
                case let .int32(v): asDouble = ColumnVector(type: .float64, count: n, storage: .float64(v.map(Double.init)), validity: key.validity)
                case let .int64(v): asDouble = ColumnVector(type: .float64, count: n, storage: .float64(v.map(Double.init)), validity: key.validity)
                default: asDouble = CastKernel.cast(key, to: .float64)
                }
                guard case let .float64(v) = asDouble.storage else { throw EngineError.execution("RANGE frame order key") }
                values = sorted.map { v[Int($0)] }
                let nulls = sorted.map { key.isNull(Int($0)) }
                // The non-null stretch of each partition (nulls sort together at one end).
                var nonNullStart = [Int](repeating: 0, count: n)
                var nonNullEnd = [Int](repeating: 0, count: n)
                var p = 0
                while p < n {
                    let pe = partEnd[p]
                    var lo = p, hi = pe
                    while lo < hi && nulls[lo] { lo += 1 }
                    while hi > lo && nulls[hi - 1] { hi -= 1 }
                    for j in p..<pe {
                        nonNullStart[j] = lo
                        nonNullEnd[j] = hi
                    }
                    p = pe
                }
                for k in 0..<n {
                    let ps = partStart[k], pe = partEnd[k]
                    if nulls[k] {
                        // A null order value frames its null peers only (or the partition edges).
                        let lo = frame.start == .unboundedPreceding ? ps : peerStart[k]
                        let hi = frame.end == .unboundedFollowing ? pe : peerEnd[k]
                        out[k] = (lo, hi)
                        continue
                    }
                    // Along the sort order, "preceding" values lie behind: smaller when ascending.
                    let dir: Double = ascending ? 1 : -1
                    let current = values[k] * dir
                    let (segLo, segHi) = (nonNullStart[k], nonNullEnd[k])
                    // The first non-null position whose directed value is >= target (> when strict).
                    func firstAtLeast(_ target: Double, strict: Bool) -> Int {
                        var lo = segLo, hi = segHi
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            let v = values[mid] * dir
                            if strict ? v <= target : v < target { lo = mid + 1 } else { hi = mid }
                        }
                        return lo
                    }
                    func position(_ b: FrameBound, isEnd: Bool) -> Int {
                        switch b {
                        case .unboundedPreceding: return ps
                        case .unboundedFollowing: return pe
                        case .currentRow: return isEnd ? peerEnd[k] : peerStart[k]
                        case let .preceding(m):
                            return isEnd ? firstAtLeast(current - Double(m), strict: true) : firstAtLeast(current - Double(m), strict: false)
                        case let .following(m):
                            return isEnd ? firstAtLeast(current + Double(m), strict: true) : firstAtLeast(current + Double(m), strict: false)
                        }
                    }
                    out[k] = (position(frame.start, isEnd: false), position(frame.end, isEnd: true))
                }
            } else {
                for k in 0..<n {
                    let ps = partStart[k], pe = partEnd[k]
                    func position(_ b: FrameBound, isEnd: Bool) -> Int {
                        switch b {
                        case .unboundedPreceding: return ps
                        case .unboundedFollowing: return pe
                        default: return isEnd ? peerEnd[k] : peerStart[k]
                        }
                    }
                    out[k] = (position(frame.start, isEnd: false), position(frame.end, isEnd: true))
                }
            }
        }
        return out
    }

    /// The aggregate of each row's frame (null for an empty frame, 0 for count).
    static func aggregate(_ name: String, distinct: Bool, args: [ColumnVector], resultType: DataType, sorted: [Int32],
                          bounds: [(lo: Int, hi: Int)]) throws -> ColumnVector {
        let n = sorted.count
        let argTypes = args.map(\.type)
        // One accumulator over all frames: frame k is group k, fed the rows of its range.
        let acc = try makeAccumulator(name, distinct: distinct, argTypes: argTypes, resultType: resultType)
        acc.resize(n)
        var groups: [Int32] = []
        var rows: [Int32] = []
        let chunk = 1 << 16
        var k = 0
        while k < n {
            groups.removeAll(keepingCapacity: true)
            rows.removeAll(keepingCapacity: true)
            while k < n && groups.count < chunk {
                let (lo, hi) = bounds[k]
                if hi > lo {
                    for j in lo..<hi {
                        groups.append(Int32(k))
                        rows.append(sorted[j])
                    }
                }
                k += 1
            }
            if !groups.isEmpty { try acc.update(groups, args.map { $0.take(rows) }) }
        }
        let bySorted = acc.finish(n)
        // Back from sorted positions to input rows.
        var idx = [Int32](repeating: 0, count: n)
        for k in 0..<n { idx[Int(sorted[k])] = Int32(k) }
        return bySorted.take(idx)
    }
}
