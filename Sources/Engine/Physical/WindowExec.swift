import Columnar

/// Computes window functions and appends them to the input's columns.
///
/// Each window expression sorts row positions by (partition keys, order keys) and walks the
/// partitions in that order. Ranking and offset functions are computed directly; aggregates
/// over the whole partition reuse the hash-aggregate accumulators with the partition as the
/// group; running aggregates (an ORDER BY with the default or a ROWS … CURRENT ROW frame)
/// fold row by row.
final class WindowExec: PhysicalOperator {
    let windows: [Expr]
    let child: any PhysicalOperator
    let output: [Attribute]

    init(windows: [Expr], child: any PhysicalOperator) throws {
        self.windows = windows
        self.child = child
        output = child.output + windows.compactMap(\.toAttribute)
    }

    var children: [any PhysicalOperator] { [child] }
    var nodeString: String { "Window [\(windows.map(\.description).joined(separator: ", "))]" }

    func execute(_ context: ExecutionContext) throws -> [RecordBatch] {
        let input = RecordBatch.concat(try child.execute(context), schema: child.schema)
        let n = input.rowCount
        let evaluator = ExprEvaluator(input: child.output)
        var extra: [ColumnVector] = []
        for w in windows {
            guard case let .window(fn, spec) = w.unaliased, case let .call(name, args, distinct) = fn else {
                throw EngineError.execution("malformed window expression \(w)")
            }
            if n == 0 {
                extra.append(ColumnVector.nulls(w.dataType, count: 0))
                continue
            }
            let partCols = try spec.partitionBy.map { try evaluator.evaluate($0, input) }
            let orderCols = try spec.orderBy.map { try evaluator.evaluate($0.expr, input) }
            let partKeys = KeyEncoder.encode(partCols, count: n)
            let orderKeys = KeyEncoder.encode(orderCols, count: n,
                                              orders: spec.orderBy.map { KeyOrder(descending: !$0.ascending, nullsFirst: $0.nullsFirst) })
            let combined = KeyEncoder.encode(partCols + orderCols, count: n,
                                             orders: spec.partitionBy.map { _ in KeyOrder() }
                                                 + spec.orderBy.map { KeyOrder(descending: !$0.ascending, nullsFirst: $0.nullsFirst) })
            let sorted = SortKernel.sortedIndices(combined, limit: nil)
            func sameKey(_ k: EncodedKeys, _ a: Int32, _ b: Int32) -> Bool {
                let (as_, ae) = (k.offsets[Int(a)], k.offsets[Int(a) + 1])
                let (bs, be) = (k.offsets[Int(b)], k.offsets[Int(b) + 1])
                return ae - as_ == be - bs && k.bytes[as_..<ae].elementsEqual(k.bytes[bs..<be])
            }
            // Partition number and peer-group start of each sorted position.
            var partitionOf = [Int32](repeating: 0, count: n)
            var partStart = [Int](repeating: 0, count: n)
            var peerStart = [Int](repeating: 0, count: n)
            var p: Int32 = 0
            for k in 0..<n {
                if k > 0 && !sameKey(partKeys, sorted[k - 1], sorted[k]) { p += 1 }
                partitionOf[k] = p
                partStart[k] = k > 0 && partitionOf[k - 1] == p ? partStart[k - 1] : k
                let peer = k > 0 && partitionOf[k - 1] == p && sameKey(orderKeys, sorted[k - 1], sorted[k])
                peerStart[k] = peer ? peerStart[k - 1] : k
            }
            var result: ColumnVector
            switch name {
            case "row_number", "rank", "dense_rank":
                var values = [Int32](repeating: 0, count: n)
                var dense: Int32 = 0
                for k in 0..<n {
                    if partStart[k] == k { dense = 0 }
                    if peerStart[k] == k { dense += 1 }
                    switch name {
                    case "row_number": values[Int(sorted[k])] = Int32(k - partStart[k] + 1)
                    case "rank": values[Int(sorted[k])] = Int32(peerStart[k] - partStart[k] + 1)
                    default: values[Int(sorted[k])] = dense
                    }
                }
                result = ColumnVector(type: .int32, count: n, storage: .int32(values), validity: nil)
            case "lag", "lead":
                var offset = 1
                if args.count > 1, case let .literal(.int(v), _) = args[1] { offset = Int(v) }
                offset = max(-n, min(n, offset))
                if name == "lag" { offset = -offset }
                let value = try evaluator.evaluate(args[0], input)
                var idx = [Int32](repeating: -1, count: n)
                for k in 0..<n {
                    let t = k + offset
                    if t >= 0 && t < n && partitionOf[t] == partitionOf[k] { idx[Int(sorted[k])] = sorted[t] }
                }
                result = value.take(idx)
                if args.count > 2 {
                    let dflt = CastKernel.cast(try evaluator.evaluate(args[2], input), to: result.type)
                    let missing = Bitmap(idx.map { $0 < 0 })
                    result = SelectKernel.select(missing, dflt, result)
                }
            case "ntile", "percent_rank", "cume_dist", "nth_value":
                guard !spec.orderBy.isEmpty else {
                    throw EngineError.analysis("[WINDOW_FUNCTION_FRAME_NOT_ORDERED] Window function \(name) requires the window "
                                               + "to be ordered. You need to add an ORDER BY clause.", position: nil)
                }
                let positions = WindowPositions(sorted: sorted, partitionOf: partitionOf, peerStart: peerStart)
                switch name {
                case "ntile": result = positions.ntile(try Self.positiveConstant(args, 0, name))
                case "percent_rank": result = positions.percentRank()
                case "cume_dist": result = positions.cumeDist()
                default:
                    let frames = try spec.frame.map {
                        try WindowFrames.bounds($0, n: n, sorted: sorted, partitionOf: partitionOf, peerStart: peerStart,
                                                spec: spec, orderCols: orderCols)
                    } ?? positions.defaultFrames(ordered: !spec.orderBy.isEmpty)
                    result = positions.nthValue(try evaluator.evaluate(args[0], input), try Self.positiveConstant(args, 1, name),
                                                frames: frames)
                }
            default:
                guard FunctionRegistry.kind(of: name) == .aggregate else {
                    throw EngineError.unsupported("window function `\(name)`")
                }
                let argCols = try args.map { try evaluator.evaluate($0, input) }
                let frame = spec.frame
                let wholePartition = frame.map { $0.start == .unboundedPreceding && $0.end == .unboundedFollowing }
                    ?? spec.orderBy.isEmpty
                let runningFrame = frame.map { $0.start == .unboundedPreceding && $0.end == .currentRow } ?? true
                if wholePartition || runningFrame {
                    result = try aggregate(name, distinct: distinct, args: argCols, resultType: fn.dataType, n: n,
                                           sorted: sorted, partitionOf: partitionOf, peerStart: peerStart,
                                           running: !wholePartition, rowsFrame: frame?.kind == .rows)
                } else if let frame {
                    let bounds = try WindowFrames.bounds(frame, n: n, sorted: sorted, partitionOf: partitionOf,
                                                         peerStart: peerStart, spec: spec, orderCols: orderCols)
                    result = try WindowFrames.aggregate(name, distinct: distinct, args: argCols, resultType: fn.dataType,
                                                        sorted: sorted, bounds: bounds)
                } else {
                    throw EngineError.execution("window frame missing")
                }
            }
            extra.append(result)
        }
        return [RecordBatch(schema: schema, columns: input.columns + extra, rowCount: n)]
    }

    /// Argument `i` as a positive integer constant (ntile's buckets, nth_value's n).
    static func positiveConstant(_ args: [Expr], _ i: Int, _ name: String) throws -> Int {
        guard i < args.count, case let .literal(.int(v), _) = args[i], v > 0, v <= Int32.max else {
            throw EngineError.analysis("the \(i == 0 ? "argument" : "offset") of `\(name)` must be a positive integer constant", position: nil)
        }
        return Int(v)
    }

    private func aggregate(_ name: String, distinct: Bool, args: [ColumnVector], resultType: DataType, n: Int,
                           sorted: [Int32], partitionOf: [Int32], peerStart: [Int], running: Bool, rowsFrame: Bool)
        throws -> ColumnVector {
        let argTypes = args.map(\.type)
        if !running {
            let acc = try makeAccumulator(name, distinct: distinct, argTypes: argTypes, resultType: resultType)
            let groups = Int(partitionOf[n - 1]) + 1
            acc.resize(groups)
            // Group of each original row = its partition.
            var groupOfRow = [Int32](repeating: 0, count: n)
            for k in 0..<n { groupOfRow[Int(sorted[k])] = partitionOf[k] }
            try acc.update(groupOfRow, args)
            return acc.finish(groups).take(groupOfRow)
        }
        // Running aggregate: fold rows in order, one group per partition, reading the
        // current value after each row (or after each peer group for RANGE frames).
        var builder = ColumnBuilder(type: resultType, capacity: n)
        var valueAt = [Scalar](repeating: .null, count: n)
        var current: (any Accumulator)? = nil
        var k = 0
        while k < n {
            if k == 0 || partitionOf[k] != partitionOf[k - 1] {
                current = try makeAccumulator(name, distinct: distinct, argTypes: argTypes, resultType: resultType)
                current!.resize(1)
            }
            // The rows folded before reading: one row (ROWS) or the whole peer group (RANGE).
            var end = k + 1
            if !rowsFrame { while end < n && peerStart[end] == peerStart[k] && partitionOf[end] == partitionOf[k] { end += 1 } }
            let idx = sorted[k..<end].map { $0 }
            try current!.update([Int32](repeating: 0, count: idx.count), args.map { $0.take(idx) })
            let v = current!.finish(1).scalar(at: 0)
            for j in k..<end { valueAt[Int(sorted[j])] = v }
            k = end
        }
        for v in valueAt { builder.append(v) }
        return builder.finish()
    }
}
