import Columnar
import Foundation

/// The keys of a hash join's built side as a test of probe-side key values, handed to the probe
/// side's scans once the build has finished (sideways information passing, Spark's runtime
/// filters): a scan that evaluates its filters inside (CSV, Parquet) tests the key column first and
/// decodes the other columns only at the rows that pass.
///
/// Integer keys only (integers of any width, dates). The test never rejects a key the build holds,
/// so applying it is always correct where dropping probe rows without a match is (inner and semi
/// joins); it may pass keys the build does not hold (the Bloom form), which the join then drops.
/// A null key passes nothing.
final class RuntimeKeyFilter: @unchecked Sendable {
    /// How the keys are held.
    enum Form {
        /// One bit per value of `low...high` (exact).
        case bits([UInt64])
        /// A blocked Bloom filter: each key sets `bloomBitsPerKey` bits of one 64-bit word, chosen
        /// by its hash; the word count is a power of two.
        case bloom([UInt64])
    }

    /// The smallest and largest build key (`low > high`: the build has no key; nothing passes).
    let low: Int64
    let high: Int64
    /// The distinct build keys.
    let keyCount: Int
    let form: Form

    /// The bitmap form is used while the keys' range has at most this many values (16 MiB of bits)
    /// and at most `bitsPerKeyMax` values per key; beyond that a Bloom filter is smaller.
    static let rangeBitsMax: Int64 = 1 << 27
    static let bitsPerKeyMax: Int64 = 64
    /// Bits per key of the Bloom form (a false-positive rate of about 1%).
    static let bloomWordBitsPerKey = 16
    static let bloomBitsPerKey = 4

    private init(low: Int64, high: Int64, keyCount: Int, form: Form) {
        self.low = low
        self.high = high
        self.keyCount = keyCount
        self.form = form
    }

    /// Whether a join key of `type` can be filtered so.
    static func supports(_ type: DataType) -> Bool { type.isInteger || type == .date }

    /// The filter of the non-null values of `column` (an integer or date column) among `rows`;
    /// `distinct` is the number of distinct keys the join found (sizes the Bloom form); nil for a
    /// column of another type.
    static func make(_ column: ColumnVector, distinct: Int) -> RuntimeKeyFilter? {
        guard supports(column.type) else { return nil }
        var low = Int64.max, high = Int64.min
        forEachValue(column) { v in
            if v < low { low = v }
            if v > high { high = v }
        }
        if low > high { return RuntimeKeyFilter(low: 1, high: 0, keyCount: 0, form: .bits([])) }
        let range = high.subtractingReportingOverflow(low)
        if !range.overflow, range.partialValue < rangeBitsMax,
           range.partialValue < max(1 << 16, bitsPerKeyMax * Int64(max(distinct, 1))) {
            let count = Int(range.partialValue) + 1
            var words = [UInt64](repeating: 0, count: (count + 63) >> 6)
            words.withUnsafeMutableBufferPointer { w in
                forEachValue(column) { v in
                    let at = Int(v &- low)
                    w[at >> 6] |= UInt64(1) << UInt64(at & 63)
                }
            }
            return RuntimeKeyFilter(low: low, high: high, keyCount: distinct, form: .bits(words))
        }
        var wordCount = 64
        while wordCount * 64 < distinct * bloomWordBitsPerKey, wordCount < 1 << 26 { wordCount <<= 1 }
        var words = [UInt64](repeating: 0, count: wordCount)
        let mask = UInt64(wordCount - 1)
        words.withUnsafeMutableBufferPointer { w in
            forEachValue(column) { v in
                let h = hash(v)
                w[Int((h >> 40) & mask)] |= bloomBits(h)
            }
        }
        return RuntimeKeyFilter(low: low, high: high, keyCount: distinct, form: .bloom(words))
    }

    /// A 64-bit mix of a key (the multiply-xorshift of splitmix64's finaliser).
    @inline(__always) static func hash(_ v: Int64) -> UInt64 {
        var x = UInt64(bitPattern: v) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        return x ^ (x >> 32)
    }

    /// The `bloomBitsPerKey` bits of a key's word, from four 6-bit pieces of its hash.
    @inline(__always) static func bloomBits(_ h: UInt64) -> UInt64 {
        (UInt64(1) << (h & 63)) | (UInt64(1) << ((h >> 6) & 63)) | (UInt64(1) << ((h >> 12) & 63))
            | (UInt64(1) << ((h >> 18) & 63))
    }

    /// Calls `body` with every non-null value of an integer or date column, widened to 64 bits.
    static func forEachValue(_ column: ColumnVector, _ body: (Int64) -> Void) {
        let valid = column.validity
        func each<T: FixedWidthInteger>(_ values: [T]) {
            values.withUnsafeBufferPointer { p in
                if let valid {
                    for i in 0..<column.count where valid[i] { body(Int64(p[i])) }
                } else {
                    for i in 0..<column.count { body(Int64(p[i])) }
                }
            }
        }
        switch column.storage {
        case let .int8(v): each(v)
        case let .int16(v): each(v)
        case let .int32(v): each(v)
        case let .int64(v): each(v)
        default: break
        }
    }

    /// Whether each row of `column` may match a build key: a boolean column without nulls (a null
    /// key is false). A column of another type passes every row (the join still decides).
    func test(_ column: ColumnVector) -> ColumnVector {
        let n = column.count
        var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
        var handled = true
        words.withUnsafeMutableBufferPointer { out in
            switch column.storage {
            case let .int8(v): v.withUnsafeBufferPointer { mark($0, into: out) }
            case let .int16(v): v.withUnsafeBufferPointer { mark($0, into: out) }
            case let .int32(v): v.withUnsafeBufferPointer { mark($0, into: out) }
            case let .int64(v): v.withUnsafeBufferPointer { mark($0, into: out) }
            default: handled = false
            }
        }
        var bits = handled ? Bitmap(words: words, count: n) : Bitmap(count: n, value: true)
        if handled, let valid = column.validity { bits = bits & valid }
        return ColumnVector(type: .boolean, count: n, storage: .boolean(bits), validity: nil)
    }

    /// Sets the bit of each value that may be a build key.
    private func mark<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<UInt64>) {
        let low = self.low, high = self.high
        switch form {
        case let .bits(keys):
            keys.withUnsafeBufferPointer { k in
                Self.pack(values, into: out, low: low, high: high) { v in
                    let at = Int(v &- low)
                    return (k[at >> 6] >> UInt64(at & 63)) & 1
                }
            }
        case let .bloom(keys):
            keys.withUnsafeBufferPointer { k in
                let mask = UInt64(k.count - 1)
                Self.pack(values, into: out, low: low, high: high) { v in
                    let h = Self.hash(v)
                    let bits = Self.bloomBits(h)
                    return k[Int((h >> 40) & mask)] & bits == bits ? 1 : 0
                }
            }
        }
    }

    /// Packs `hit` (0 or 1) of each value into `out`, 64 rows a word; values outside `low...high`
    /// are no key and skip the lookup.
    @inline(__always)
    private static func pack<T: FixedWidthInteger>(_ values: UnsafeBufferPointer<T>, into out: UnsafeMutableBufferPointer<UInt64>,
                                                   low: Int64, high: Int64, _ hit: (Int64) -> UInt64) {
        let n = values.count
        var w = 0
        var start = 0
        while start < n {
            let end = min(start + 64, n)
            var word: UInt64 = 0
            for i in start..<end {
                let v = Int64(values[i])
                if v >= low && v <= high { word |= hit(v) << UInt64(i - start) }
            }
            out[w] = word
            w += 1
            start = end
        }
    }

    /// The share of the values from the smallest to the largest key that are keys (0 without keys).
    var rangeShare: Double {
        guard low <= high else { return 0 }
        return min(1, Double(keyCount) / (Double(high) - Double(low) + 1))
    }

    /// A short description for EXPLAIN and tests: the form and the key range.
    var summary: String {
        switch form {
        case .bits: return "bits[\(low)...\(high)] keys=\(keyCount)"
        case let .bloom(w): return "bloom[\(w.count * 64) bits] keys=\(keyCount)"
        }
    }
}

/// The runtime key filters that exist while their joins probe, by number, so that a filter can
/// travel to a scan as an expression (`__key_filter(column, number)`) through the filters every
/// source already takes, and be found again when the scan evaluates it.
enum RuntimeKeyFilters {
    /// The function name of the filter expression.
    static let functionName = "__key_filter"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var live: [Int64: RuntimeKeyFilter] = [:]
    nonisolated(unsafe) private static var next: Int64 = 0

    /// Makes `filter` findable; returns its number.
    static func register(_ filter: RuntimeKeyFilter) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        live[next] = filter
        return next
    }

    /// Forgets a filter once its join has probed.
    static func unregister(_ number: Int64) {
        lock.lock()
        live[number] = nil
        lock.unlock()
    }

    /// The filter of `number`, nil once its join is done.
    static func filter(_ number: Int64) -> RuntimeKeyFilter? {
        lock.lock()
        defer { lock.unlock() }
        return live[number]
    }

    /// The expression testing `key` against the filter of `number`.
    static func expression(_ key: Attribute, number: Int64) -> Expr {
        .call(name: functionName, args: [.attribute(key), .literal(.int(number), .int64)], distinct: false)
    }

    /// Evaluates `__key_filter(column, number)`: every row passes when the filter is gone (the test
    /// only ever narrows what the join would drop anyway).
    static func evaluate(_ column: ColumnVector, number: Int64) -> ColumnVector {
        guard let filter = filter(number) else {
            return ColumnVector(type: .boolean, count: column.count, storage: .boolean(Bitmap(count: column.count, value: true)),
                                validity: nil)
        }
        return filter.test(column)
    }
}
