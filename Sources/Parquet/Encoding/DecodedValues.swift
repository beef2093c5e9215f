/// Dense (non-null) values of one leaf column in their physical representation, appended page by
/// page. Only the buffers of `physicalType` are used:
///
/// - BOOLEAN: `bools`, one byte 0/1 per value
/// - INT32: `int32s`; INT64: `int64s`; FLOAT: `floats`; DOUBLE: `doubles`
/// - BYTE_ARRAY: `offsets` (count + 1 entries, starting at 0) into `bytes`
/// - FIXED_LEN_BYTE_ARRAY and INT96: `bytes`, `width` bytes per value
public struct DecodedValues: Sendable {
    /// The Parquet type of the values.
    public let physicalType: PhysicalType
    /// Byte width of FIXED_LEN_BYTE_ARRAY (and 12 for INT96) values.
    public let width: Int
    /// BOOLEAN values, 0 or 1.
    public var bools: [UInt8] = []
    /// INT32 values.
    public var int32s: [Int32] = []
    /// INT64 values.
    public var int64s: [Int64] = []
    /// FLOAT values.
    public var floats: [Float] = []
    /// DOUBLE values.
    public var doubles: [Double] = []
    /// BYTE_ARRAY value boundaries into `bytes` (count + 1 entries).
    public var offsets: [Int32] = [0]
    /// BYTE_ARRAY data, or fixed-width values back to back.
    public var bytes: [UInt8] = []

    /// An empty buffer for values of `physicalType`.
    public init(physicalType: PhysicalType, width: Int) {
        self.physicalType = physicalType
        self.width = width
    }

    /// The number of values held.
    public var count: Int {
        switch physicalType {
        case .boolean: return bools.count
        case .int32: return int32s.count
        case .int64: return int64s.count
        case .float: return floats.count
        case .double: return doubles.count
        case .byteArray: return offsets.count - 1
        case .fixedLenByteArray, .int96: return width == 0 ? 0 : bytes.count / width
        }
    }

    /// Reserves room for `count` values in the buffer of the physical type (byte arrays: their
    /// offsets; their bytes grow as read).
    mutating func reserve(_ count: Int) {
        switch physicalType {
        case .boolean: bools.reserveCapacity(count)
        case .int32: int32s.reserveCapacity(count)
        case .int64: int64s.reserveCapacity(count)
        case .float: floats.reserveCapacity(count)
        case .double: doubles.reserveCapacity(count)
        case .byteArray: offsets.reserveCapacity(count + 1)
        case .fixedLenByteArray, .int96: bytes.reserveCapacity(count.multipliedReportingOverflow(by: width).partialValue)
        }
    }

    /// Empties every buffer, keeping its capacity (scratch values reused page after page).
    mutating func removeAll() {
        bools.removeAll(keepingCapacity: true)
        int32s.removeAll(keepingCapacity: true)
        int64s.removeAll(keepingCapacity: true)
        floats.removeAll(keepingCapacity: true)
        doubles.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        bytes.removeAll(keepingCapacity: true)
    }

    /// The bytes of byte-array value `index` (slow path, for tests and statistics).
    public func byteArray(at index: Int) -> ArraySlice<UInt8> {
        switch physicalType {
        case .byteArray: return bytes[Int(offsets[index])..<Int(offsets[index + 1])]
        default: return bytes[(index * width)..<((index + 1) * width)]
        }
    }

    /// Appends the end offset of a byte-array value whose bytes were just appended, refusing to
    /// overflow the 32-bit offsets.
    @inline(__always)
    mutating func closeByteArrayValue() throws {
        guard bytes.count <= Int(Int32.max) else {
            throw ParquetError.unsupported("a column chunk holds more than 2 GiB of byte-array data")
        }
        offsets.append(Int32(truncatingIfNeeded: bytes.count))
    }

    /// Throws unless every index is below `size`: one branch-free pass for the largest index (it
    /// vectorises), instead of a test per value.
    static func checkIndices(_ indices: UnsafeBufferPointer<UInt32>, size: Int) throws {
        var largest: UInt32 = 0
        for index in indices { largest = max(largest, index) }
        if !indices.isEmpty && Int(largest) >= size {
            throw ParquetError.corrupt("dictionary index \(largest) out of range (dictionary has \(size) values)")
        }
    }

    /// Appends values `indices` of `dictionary` (dictionary decoding), checking every index.
    mutating func appendGathered(from dictionary: DecodedValues, indices: UnsafeBufferPointer<UInt32>) throws {
        try Self.checkIndices(indices, size: dictionary.count)
        switch physicalType {
        case .boolean: gather(&bools, dictionary.bools, indices)
        case .int32: gather(&int32s, dictionary.int32s, indices)
        case .int64: gather(&int64s, dictionary.int64s, indices)
        case .float: gather(&floats, dictionary.floats, indices)
        case .double: gather(&doubles, dictionary.doubles, indices)
        case .byteArray:
            try gatherByteArrays(from: dictionary, indices)
        case .fixedLenByteArray, .int96:
            let width = self.width
            let start = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: indices.count * width))
            bytes.withUnsafeMutableBufferPointer { out in
                dictionary.bytes.withUnsafeBufferPointer { d in
                    var at = start
                    for index in indices {
                        let from = Int(index) * width
                        for k in 0..<width { out[at + k] = d[from + k] }
                        at += width
                    }
                }
            }
        }
    }

    /// Byte-array gather in two passes: sizes first, then one growth of each buffer and copies
    /// through pointers (a per-value `append` costs more than the short copies themselves).
    private mutating func gatherByteArrays(from dictionary: DecodedValues, _ indices: UnsafeBufferPointer<UInt32>) throws {
        var total = 0
        dictionary.offsets.withUnsafeBufferPointer { o in
            for index in indices { total += Int(o[Int(index) + 1] - o[Int(index)]) }
        }
        guard bytes.count + total <= Int(Int32.max) else {
            throw ParquetError.unsupported("a column chunk holds more than 2 GiB of byte-array data")
        }
        let byteStart = bytes.count
        let offsetStart = offsets.count
        OutputGrowth.appendZeros(&bytes, total)
        OutputGrowth.appendZeros(&offsets, indices.count)
        bytes.withUnsafeMutableBufferPointer { out in
            offsets.withUnsafeMutableBufferPointer { outOffsets in
                dictionary.offsets.withUnsafeBufferPointer { o in
                    dictionary.bytes.withUnsafeBufferPointer { d in
                        guard let destination = out.baseAddress, let source = d.baseAddress else {
                            // No bytes at all (every value empty): only offsets to fill.
                            for k in 0..<indices.count { outOffsets[offsetStart + k] = Int32(truncatingIfNeeded: byteStart) }
                            return
                        }
                        var at = byteStart
                        for (k, index) in indices.enumerated() {
                            let start = Int(o[Int(index)])
                            let length = Int(o[Int(index) + 1]) - start
                            ByteCopy.copy(destination + at, source + start, length)
                            at += length
                            outOffsets[offsetStart + k] = Int32(truncatingIfNeeded: at)
                        }
                    }
                }
            }
        }
    }

    /// Writes `source[indices[k]]` into a zero-filled tail of `out` through pointers (the indices
    /// are checked by the caller), avoiding a capacity check per value.
    @inline(__always)
    private func gather<T: Numeric>(_ out: inout [T], _ source: [T], _ indices: UnsafeBufferPointer<UInt32>) {
        let start = out.count
        OutputGrowth.appendZeros(&out, indices.count)
        out.withUnsafeMutableBufferPointer { o in
            source.withUnsafeBufferPointer { s in
                guard let destination = o.baseAddress, let from = s.baseAddress else { return }
                let target = destination + start
                for k in 0..<indices.count { target[k] = from[Int(indices[k])] }
            }
        }
    }
}

/// Copies of short byte strings, the common case for column values.
enum ByteCopy {
    @inline(__always)
    static func copy(_ destination: UnsafeMutablePointer<UInt8>, _ source: UnsafePointer<UInt8>, _ count: Int) {
        if count <= 16 {
            for k in 0..<count { destination[k] = source[k] }
        } else {
            destination.update(from: source, count: count)
        }
    }
}
