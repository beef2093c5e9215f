/// Row keys of integer-like columns packed into one `UInt64` each, for hash joins and
/// aggregates whose keys are all integers, dates, timestamps, small decimals or short strings.
///
/// A string of at most `shortStringBytes` bytes counts as the integer of its bytes (first byte
/// lowest) plus its length above them (`ShortString.value`), so the one-character flags and
/// status codes that queries group by (TPC-H's `l_returnflag`) pack like small integers.
///
/// Each key column is mapped onto `0..<cardinality` from the range of values it holds: 0 is
/// null and `v - minimum + 1` a value. The columns are then combined in mixed radix
/// (`code = Σ part_c · multiplier_c`), so two rows have equal codes exactly when their key tuples
/// are equal with null equal to null, and codes are dense enough to index an array when the
/// ranges are small (keys such as TPC-H's order, part and customer numbers).
///
/// The layout is built from the values (the build side of a join, or all input of an
/// aggregate); `pack` maps any batch onto it. A value outside the layout's range, or a null
/// where nulls must not match, gets the code `PackedKeyLayout.noMatch`.
public struct PackedKeyLayout: Sendable {
    /// One key column's share of the code.
    public struct Part: Sendable {
        /// The column's type.
        public let type: DataType
        /// The smallest value (as an integer: days, microseconds, unscaled decimal).
        public let minimum: Int64
        /// The largest value (below `minimum` for a column of nulls only).
        public let maximum: Int64
        /// The number of codes the column uses: `maximum - minimum + 2` (0 is null).
        public let cardinality: UInt64
        /// The column's place value in the code.
        public let multiplier: UInt64
    }

    /// The parts, in key column order.
    public let parts: [Part]
    /// Every code is below this bound.
    public let domain: UInt64

    /// The code of a row that can match nothing (a value outside the range, or a null key in
    /// a join). Above every code of the domain.
    public static let noMatch: UInt64 = 1 << 63

    /// Codes are kept well below `noMatch` so the marker never collides with a code.
    static let domainLimit: UInt64 = 1 << 62

    /// True when `type` can be part of a packed key (decimals only while their unscaled
    /// values fit an `Int64`, which `make` checks on the values).
    public static func supports(_ type: DataType) -> Bool {
        switch type {
        case .int8, .int16, .int32, .int64, .date, .timestamp, .decimal, .string, .binary: return true
        default: return false
        }
    }

    /// The smallest and largest non-null value of a column, or nil when the column cannot be
    /// packed (unsupported storage, or a decimal beyond `Int64`). `(Int64.max, Int64.min)`
    /// when every value is null.
    public static func range(of c: ColumnVector) -> (min: Int64, max: Int64)? {
        var lo = Int64.max, hi = Int64.min
        let valid = c.validity
        @inline(__always) func scan<T: FixedWidthInteger>(_ v: [T]) {
            v.withUnsafeBufferPointer { p in
                if let valid {
                    for i in 0..<c.count where valid[i] {
                        let x = Int64(p[i])
                        lo = Swift.min(lo, x)
                        hi = Swift.max(hi, x)
                    }
                } else {
                    var l = Int64.max, h = Int64.min
                    for i in 0..<c.count {
                        let x = Int64(p[i])
                        l = Swift.min(l, x)
                        h = Swift.max(h, x)
                    }
                    lo = l
                    hi = h
                }
            }
        }
        switch c.storage {
        case .null: return (Int64.max, Int64.min)
        case let .int8(v): scan(v)
        case let .int16(v): scan(v)
        case let .int32(v): scan(v)
        case let .int64(v): scan(v)
        case let .decimal(v):
            var dlo = Int128.max, dhi = Int128.min
            v.withUnsafeBufferPointer { p in
                for i in 0..<c.count where valid == nil || valid![i] {
                    dlo = Swift.min(dlo, p[i])
                    dhi = Swift.max(dhi, p[i])
                }
            }
            if dlo > dhi { return (Int64.max, Int64.min) }
            guard dlo >= Int128(Int64.min), dhi <= Int128(Int64.max) else { return nil }
            lo = Int64(dlo)
            hi = Int64(dhi)
        case let .bytes(offsets, data):
            guard let r = ShortString.range(offsets, data, validity: valid, count: c.count) else { return nil }
            return r
        default: return nil
        }
        return (lo, hi)
    }

    /// A layout covering the given value ranges (from `range(of:)`, merged over batches), or
    /// nil when a type is unsupported or the combined domain is too large for one code.
    public static func make(types: [DataType], ranges: [(min: Int64, max: Int64)]) -> PackedKeyLayout? {
        guard types.count == ranges.count, !types.isEmpty else { return nil }
        var parts: [Part] = []
        var domain: UInt64 = 1
        for (t, r) in zip(types, ranges) {
            guard supports(t) else { return nil }
            let minimum: Int64, maximum: Int64
            let cardinality: UInt64
            if r.min > r.max {
                // Only nulls: one code, and no value in range.
                minimum = 0
                maximum = -1
                cardinality = 1
            } else {
                minimum = r.min
                maximum = r.max
                let span = UInt64(bitPattern: r.max &- r.min)  // exact: max ≥ min
                guard span < domainLimit else { return nil }
                cardinality = span + 2
            }
            let (next, overflow) = domain.multipliedReportingOverflow(by: cardinality)
            guard !overflow, next <= domainLimit else { return nil }
            parts.append(Part(type: t, minimum: minimum, maximum: maximum, cardinality: cardinality, multiplier: domain))
            domain = next
        }
        return PackedKeyLayout(parts: parts, domain: domain)
    }

    /// A layout for key columns of several batches (`columns[batch][key]`), or nil when they
    /// cannot be packed.
    public static func make(types: [DataType], columns: [[ColumnVector]]) -> PackedKeyLayout? {
        guard types.allSatisfy(supports) else { return nil }
        var ranges = [(min: Int64, max: Int64)](repeating: (Int64.max, Int64.min), count: types.count)
        for batch in columns {
            for (k, c) in batch.enumerated() {
                guard let r = range(of: c) else { return nil }
                ranges[k] = (Swift.min(ranges[k].min, r.min), Swift.max(ranges[k].max, r.max))
            }
        }
        return make(types: types, ranges: ranges)
    }

    /// The codes of `count` rows of `columns` (typed as the layout's parts). With
    /// `nullsMatch` false a row with a null key gets `noMatch`; a value outside a part's
    /// range always does.
    public func pack(_ columns: [ColumnVector], count n: Int, nullsMatch: Bool) -> [UInt64] {
        var codes = [UInt64](repeating: 0, count: n)
        codes.withUnsafeMutableBufferPointer { out in
            for (k, c) in columns.enumerated() {
                let part = parts[k]
                let mult = part.multiplier
                let minimum = part.minimum, maximum = part.maximum
                let valid = c.validity
                let nullCode: UInt64 = nullsMatch ? 0 : Self.noMatch
                @inline(__always) func fold<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>) {
                    if let valid {
                        for i in 0..<n {
                            if !valid[i] {
                                out[i] |= nullCode
                                continue
                            }
                            let x = Int64(v[i])
                            // In range, x - minimum is below 2^62: no overflow.
                            out[i] = x >= minimum && x <= maximum
                                ? out[i] &+ (UInt64(bitPattern: x &- minimum) &+ 1) &* mult : out[i] | Self.noMatch
                        }
                    } else {
                        for i in 0..<n {
                            let x = Int64(v[i])
                            out[i] = x >= minimum && x <= maximum
                                ? out[i] &+ (UInt64(bitPattern: x &- minimum) &+ 1) &* mult : out[i] | Self.noMatch
                        }
                    }
                }
                switch c.storage {
                case .null:
                    for i in 0..<n { out[i] |= nullCode }
                case let .int8(v): v.withUnsafeBufferPointer { fold($0) }
                case let .int16(v): v.withUnsafeBufferPointer { fold($0) }
                case let .int32(v): v.withUnsafeBufferPointer { fold($0) }
                case let .int64(v): v.withUnsafeBufferPointer { fold($0) }
                case let .decimal(v):
                    v.withUnsafeBufferPointer { p in
                        for i in 0..<n {
                            if let valid, !valid[i] {
                                out[i] |= nullCode
                                continue
                            }
                            let x = p[i]
                            guard x >= Int128(minimum), x <= Int128(maximum) else {
                                out[i] |= Self.noMatch
                                continue
                            }
                            out[i] &+= (UInt64(bitPattern: Int64(x) &- minimum) &+ 1) &* mult
                        }
                    }
                case let .bytes(offsets, data):
                    offsets.withUnsafeBufferPointer { o in
                        data.withUnsafeBufferPointer { d in
                            for i in 0..<n {
                                if let valid, !valid[i] {
                                    out[i] |= nullCode
                                    continue
                                }
                                // A longer string than any the layout holds matches nothing.
                                guard let x = ShortString.value(o, d, i), x >= minimum, x <= maximum else {
                                    out[i] |= Self.noMatch
                                    continue
                                }
                                out[i] &+= (UInt64(bitPattern: x &- minimum) &+ 1) &* mult
                            }
                        }
                    }
                default:
                    // Not a packable column: nothing can match (callers check types first).
                    for i in 0..<n { out[i] |= Self.noMatch }
                }
            }
        }
        return codes
    }

    /// The key columns of the given codes (each below `domain`), typed as the parts.
    public func unpack(_ codes: [UInt64]) -> [ColumnVector] {
        let n = codes.count
        return parts.map { part in
            var valid = Bitmap(count: n, value: true)
            var values = [Int64](repeating: 0, count: n)
            codes.withUnsafeBufferPointer { c in
                values.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let p = (c[i] / part.multiplier) % part.cardinality
                        if p == 0 {
                            valid[i] = false
                        } else {
                            out[i] = part.minimum &+ Int64(bitPattern: p - 1)
                        }
                    }
                }
            }
            let storage: ColumnStorage
            switch part.type {
            case .int8: storage = .int8(values.map { Int8(truncatingIfNeeded: $0) })
            case .int16: storage = .int16(values.map { Int16(truncatingIfNeeded: $0) })
            case .int32, .date: storage = .int32(values.map { Int32(truncatingIfNeeded: $0) })
            case .decimal: storage = .decimal(values.map { Int128($0) })
            case .string, .binary: storage = ShortString.column(values)
            default: storage = .int64(values)
            }
            return ColumnVector(type: part.type, count: n, storage: storage, validity: valid)
        }
    }
}

/// Strings of at most `maxBytes` bytes as non-negative integers: byte `k` at bits `8k`, the length
/// at bits 56–58. Equal strings, and only they, get equal values.
enum ShortString {
    /// The longest string that has a value.
    static let maxBytes = 7

    /// The value of string `i` (offsets and bytes as in `ColumnStorage.bytes`), nil when longer
    /// than `maxBytes`.
    @inline(__always) static func value(_ o: UnsafeBufferPointer<Int32>, _ d: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int64? {
        let s = Int(o[i]), e = Int(o[i + 1])
        let len = e - s
        guard len <= maxBytes else { return nil }
        var v = UInt64(len) << 56
        var shift: UInt64 = 0
        for k in s..<e {
            v |= UInt64(d[k]) << shift
            shift += 8
        }
        return Int64(bitPattern: v)
    }

    /// The smallest and largest value of the non-null strings, `(Int64.max, Int64.min)` when all
    /// are null, nil when one is too long.
    static func range(_ offsets: [Int32], _ data: [UInt8], validity: Bitmap?, count n: Int) -> (min: Int64, max: Int64)? {
        var lo = Int64.max, hi = Int64.min
        let ok = offsets.withUnsafeBufferPointer { o in
            data.withUnsafeBufferPointer { d in
                for i in 0..<n where validity == nil || validity![i] {
                    guard let x = value(o, d, i) else { return false }
                    lo = Swift.min(lo, x)
                    hi = Swift.max(hi, x)
                }
                return true
            }
        }
        return ok ? (lo, hi) : nil
    }

    /// A string column of the given values (those of null rows are any value in range).
    static func column(_ values: [Int64]) -> ColumnStorage {
        var offsets = [Int32](repeating: 0, count: values.count + 1)
        var data: [UInt8] = []
        data.reserveCapacity(values.count)
        for (i, x) in values.enumerated() {
            let v = UInt64(bitPattern: x)
            let len = Int(min(v >> 56, UInt64(maxBytes)))
            for k in 0..<len { data.append(UInt8(truncatingIfNeeded: v >> UInt64(8 * k))) }
            offsets[i + 1] = Int32(data.count)
        }
        return .bytes(offsets: offsets, data: data)
    }
}
