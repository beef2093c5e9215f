/// Min/max bounds of dense values in the column's sort order, PLAIN-encoded as statistics store them.
enum StatisticsBuilder {
    /// The bounds of values `range`, or nil when there are none (all null, or all NaN).
    /// `signedBytes` selects two's complement order for FIXED_LEN_BYTE_ARRAY decimals.
    static func bounds(_ values: DecodedValues, _ range: Range<Int>, signedBytes: Bool) -> (min: [UInt8], max: [UInt8])? {
        guard !range.isEmpty else { return nil }
        switch values.physicalType {
        case .boolean:
            var sawFalse = false
            var sawTrue = false
            for index in range { if values.bools[index] != 0 { sawTrue = true } else { sawFalse = true } }
            return ([sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
        case .int32:
            return values.int32s.withUnsafeBufferPointer { v in
                var low = v[range.lowerBound]
                var high = low
                for index in range { low = min(low, v[index]); high = max(high, v[index]) }
                return (raw(low), raw(high))
            }
        case .int64:
            return values.int64s.withUnsafeBufferPointer { v in
                var low = v[range.lowerBound]
                var high = low
                for index in range { low = min(low, v[index]); high = max(high, v[index]) }
                return (raw(low), raw(high))
            }
        case .float:
            return floatBounds(values.floats, range).map { (raw($0.0), raw($0.1)) }
        case .double:
            return floatBounds(values.doubles, range).map { (raw($0.0), raw($0.1)) }
        case .byteArray, .fixedLenByteArray, .int96:
            var low = values.byteArray(at: range.lowerBound)
            var high = low
            for index in range.dropFirst() {
                let value = values.byteArray(at: index)
                if less(value, low, signed: signedBytes) { low = value }
                if less(high, value, signed: signedBytes) { high = value }
            }
            return (Array(low), Array(high))
        }
    }

    /// Bounds without NaN; a zero minimum is written as -0.0 and a zero maximum as +0.0 (the format's
    /// rule, so that readers need not guess which zero the data holds).
    private static func floatBounds<T: BinaryFloatingPoint>(_ array: [T], _ range: Range<Int>) -> (T, T)? {
        var low = T.nan
        var high = T.nan
        for index in range {
            let value = array[index]
            if value.isNaN { continue }
            if low.isNaN || value < low { low = value }
            if high.isNaN || value > high { high = value }
        }
        guard !low.isNaN else { return nil }
        if low == 0 { low = -T(0) }
        if high == 0 { high = T(0) }
        return (low, high)
    }

    private static func less(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>, signed: Bool) -> Bool {
        if signed, let first = a.first, let other = b.first, first ^ 0x80 != other ^ 0x80 {
            return first ^ 0x80 < other ^ 0x80
        }
        return a.lexicographicallyPrecedes(b)
    }

    private static func raw<T>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value) { Array($0) }
    }
}
