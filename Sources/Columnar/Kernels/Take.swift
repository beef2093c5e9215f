extension ColumnVector {
    /// Gathers values at `indices`; a negative index yields null (used by outer joins).
    public func take(_ indices: [Int32]) -> ColumnVector {
        let n = indices.count
        var anyNegative = false
        for i in indices where i < 0 { anyNegative = true; break }
        var validityOut: Bitmap? = nil
        if validity != nil || anyNegative {
            var bits = Bitmap(count: n, value: true)
            indices.withUnsafeBufferPointer { idx in
                for k in 0..<n {
                    let i = Int(idx[k])
                    if i < 0 || isNull(i) { bits[k] = false }
                }
            }
            validityOut = bits
        }
        func gather<T: BitwiseCopyable>(_ values: [T], zero: T) -> [T] {
            [T](unsafeUninitializedCapacity: n) { out, initialized in
                values.withUnsafeBufferPointer { v in
                    indices.withUnsafeBufferPointer { idx in
                        if anyNegative {
                            for k in 0..<n {
                                let i = Int(idx[k])
                                out[k] = i < 0 ? zero : v[i]
                            }
                        } else {
                            // Indices come from this column's own rows: no null padding to test for.
                            for k in 0..<n { out[k] = v[Int(idx[k])] }
                        }
                    }
                }
                initialized = n
            }
        }
        let storageOut: ColumnStorage
        switch storage {
        case .null: storageOut = .null
        case let .boolean(bits):
            var out = Bitmap(count: n, value: false)
            for k in 0..<n {
                let i = Int(indices[k])
                if i >= 0 && bits[i] { out[k] = true }
            }
            storageOut = .boolean(out)
        case let .int8(v): storageOut = .int8(gather(v, zero: 0))
        case let .int16(v): storageOut = .int16(gather(v, zero: 0))
        case let .int32(v): storageOut = .int32(gather(v, zero: 0))
        case let .int64(v): storageOut = .int64(gather(v, zero: 0))
        case let .float32(v): storageOut = .float32(gather(v, zero: 0))
        case let .float64(v): storageOut = .float64(gather(v, zero: 0))
        case let .decimal(v): storageOut = .decimal(gather(v, zero: 0))
        case let .bytes(offsets, data):
            var newOffsets = [Int32](repeating: 0, count: n + 1)
            var total = 0
            offsets.withUnsafeBufferPointer { off in
                for k in 0..<n {
                    let i = Int(indices[k])
                    if i >= 0 { total += Int(off[i + 1] - off[i]) }
                    newOffsets[k + 1] = Int32(truncatingIfNeeded: total)
                }
            }
            let newData = [UInt8](unsafeUninitializedCapacity: total) { out, initialized in
                data.withUnsafeBufferPointer { d in
                    offsets.withUnsafeBufferPointer { off in
                        var pos = 0
                        for k in 0..<n {
                            let i = Int(indices[k])
                            guard i >= 0 else { continue }
                            let s = Int(off[i])
                            let len = Int(off[i + 1]) - s
                            if len > 0 {
                                UnsafeMutableRawPointer(out.baseAddress! + pos)
                                    .copyMemory(from: d.baseAddress! + s, byteCount: len)
                            }
                            pos += len
                        }
                    }
                }
                initialized = total
            }
            storageOut = .bytes(offsets: newOffsets, data: newData)
        case let .list(offsets, values):
            // Gather the element ranges of the chosen rows, then the elements themselves.
            var newOffsets = [Int32](repeating: 0, count: n + 1)
            var childIndices: [Int32] = []
            offsets.withUnsafeBufferPointer { off in
                var total = 0
                for k in 0..<n {
                    let i = Int(indices[k])
                    if i >= 0 {
                        let s = off[i], e = off[i + 1]
                        if e > s {
                            childIndices.reserveCapacity(childIndices.count + Int(e - s))
                            for j in s..<e { childIndices.append(j) }
                            total += Int(e - s)
                        }
                    }
                    newOffsets[k + 1] = Int32(truncatingIfNeeded: total)
                }
            }
            storageOut = .list(offsets: newOffsets, values: values.take(childIndices))
        case let .struct(children):
            storageOut = .struct(children.map { $0.take(indices) })
        }
        return ColumnVector(type: type, count: n, storage: storageOut, validity: validityOut)
    }

    /// Keeps the values whose bit in `mask` is set.
    public func filter(_ mask: Bitmap) -> ColumnVector {
        take(Self.indices(of: mask))
    }

    /// The positions of set bits, ascending.
    public static func indices(of mask: Bitmap) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(mask.popcount)
        mask.words.withUnsafeBufferPointer { w in
            for wi in 0..<w.count {
                var word = w[wi]
                while word != 0 {
                    let bit = word.trailingZeroBitCount
                    out.append(Int32(truncatingIfNeeded: wi << 6 | bit))
                    word &= word &- 1
                }
            }
        }
        return out
    }

    /// Values `range` as a new column.
    public func slice(_ range: Range<Int>) -> ColumnVector {
        var idx = [Int32]()
        idx.reserveCapacity(range.count)
        for i in range { idx.append(Int32(truncatingIfNeeded: i)) }
        return take(idx)
    }

    /// Concatenates columns of one type.
    public static func concat(_ parts: [ColumnVector], type: DataType) -> ColumnVector {
        if parts.count == 1 { return parts[0] }
        let n = parts.reduce(0) { $0 + $1.count }
        var validity: Bitmap? = nil
        if parts.contains(where: { $0.validity != nil || { if case .null = $0.storage { return true }; return false }($0) }) {
            var bits = Bitmap(reservingCapacity: n)
            for p in parts { for i in 0..<p.count { bits.append(!p.isNull(i)) } }
            validity = bits
        }
        func join<T>(_ extract: (ColumnStorage) -> [T]?) -> [T] {
            var out = [T]()
            out.reserveCapacity(n)
            for p in parts { if let v = extract(p.storage) { out.append(contentsOf: v) } }
            return out
        }
        let storage: ColumnStorage
        switch type {
        case .null: storage = .null
        case .boolean:
            var bits = Bitmap(reservingCapacity: n)
            for p in parts {
                if case let .boolean(b) = p.storage { for i in 0..<p.count { bits.append(b[i]) } }
                else { for _ in 0..<p.count { bits.append(false) } }
            }
            storage = .boolean(bits)
        case .int8: storage = .int8(join { if case let .int8(v) = $0 { return v }; return nil })
        case .int16: storage = .int16(join { if case let .int16(v) = $0 { return v }; return nil })
        case .int32, .date: storage = .int32(join { if case let .int32(v) = $0 { return v }; return nil })
        case .int64, .timestamp: storage = .int64(join { if case let .int64(v) = $0 { return v }; return nil })
        case .float32: storage = .float32(join { if case let .float32(v) = $0 { return v }; return nil })
        case .float64: storage = .float64(join { if case let .float64(v) = $0 { return v }; return nil })
        case .decimal: storage = .decimal(join { if case let .decimal(v) = $0 { return v }; return nil })
        case .string, .binary:
            var offsets = [Int32]()
            offsets.reserveCapacity(n + 1)
            offsets.append(0)
            var data = [UInt8]()
            for p in parts {
                guard case let .bytes(o, d) = p.storage else {
                    for _ in 0..<p.count { offsets.append(Int32(truncatingIfNeeded: data.count)) }
                    continue
                }
                let base = Int32(truncatingIfNeeded: data.count) - o[0]
                for i in 1..<o.count { offsets.append(o[i] &+ base) }
                data.append(contentsOf: d[Int(o[0])..<Int(o[o.count - 1])])
            }
            storage = .bytes(offsets: offsets, data: data)
        case .array, .map:
            var offsets = [Int32]()
            offsets.reserveCapacity(n + 1)
            offsets.append(0)
            var childParts: [ColumnVector] = []
            var total: Int32 = 0
            for p in parts {
                guard case let .list(o, values) = p.storage else {
                    for _ in 0..<p.count { offsets.append(total) }
                    continue
                }
                let first = o[0], last = o[o.count - 1]
                for i in 1..<o.count { offsets.append(o[i] - first + total) }
                total += last - first
                childParts.append(first == 0 && Int(last) == values.count ? values : values.slice(Int(first)..<Int(last)))
            }
            let childType: DataType
            switch type {
            case let .array(e, _): childType = e
            case let .map(k, v, vn): childType = DataType.mapEntry(key: k, value: v, valueContainsNull: vn)
            default: childType = .null
            }
            let child = childParts.isEmpty ? ColumnVector.nulls(childType, count: 0) : concat(childParts, type: childType)
            storage = .list(offsets: offsets, values: child)
        case let .struct(fields):
            storage = .struct(fields.indices.map { f in
                concat(parts.map { p in p.field(f) ?? ColumnVector.nulls(fields[f].type, count: p.count) }, type: fields[f].type)
            })
        }
        return ColumnVector(type: type, count: n, storage: storage, validity: validity)
    }
}

extension RecordBatch {
    /// Gathers rows at `indices` from every column.
    public func take(_ indices: [Int32]) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns.map { $0.take(indices) }, rowCount: indices.count)
    }

    /// Keeps the rows whose bit in `mask` is set.
    public func filter(_ mask: Bitmap) -> RecordBatch {
        if mask.allSet { return self }
        return take(ColumnVector.indices(of: mask))
    }

    /// Concatenates batches of one schema into one batch.
    public static func concat(_ batches: [RecordBatch], schema: Schema) -> RecordBatch {
        if batches.count == 1 { return batches[0] }
        if batches.isEmpty { return .empty(schema) }
        let cols = schema.fields.indices.map { c in
            ColumnVector.concat(batches.map { $0.columns[c] }, type: schema.fields[c].type)
        }
        return RecordBatch(schema: schema, columns: cols, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }
}
