/// Builds a column chunk's dictionary: the distinct values in first-seen order and, per dense value,
/// its index. Gives up (returns nil) once the distinct values outgrow the dictionary page limit.
enum DictionaryBuilder {
    struct Result {
        var dictionary: DecodedValues
        var indices: [UInt32]
    }

    static func build(_ values: DecodedValues, bytesMax: Int) -> Result? {
        switch values.physicalType {
        case .boolean: return nil
        case .int32: return fixed(values, values.int32s.map { UInt64(UInt32(bitPattern: $0)) }, 4, bytesMax)
        case .int64: return fixed(values, values.int64s.map { UInt64(bitPattern: $0) }, 8, bytesMax)
        case .float: return fixed(values, values.floats.map { UInt64($0.bitPattern) }, 4, bytesMax)
        case .double: return fixed(values, values.doubles.map { $0.bitPattern }, 8, bytesMax)
        case .byteArray, .fixedLenByteArray, .int96: return bytes(values, bytesMax)
        }
    }

    private static func fixed(_ values: DecodedValues, _ keys: [UInt64], _ width: Int, _ bytesMax: Int) -> Result? {
        var map: [UInt64: UInt32] = [:]
        var order: [Int] = []
        var indices = [UInt32](repeating: 0, count: keys.count)
        for (position, key) in keys.enumerated() {
            if let index = map[key] {
                indices[position] = index
                continue
            }
            let index = UInt32(order.count)
            map[key] = index
            order.append(position)
            indices[position] = index
            if order.count * width > bytesMax { return nil }
        }
        var dictionary = DecodedValues(physicalType: values.physicalType, width: values.width)
        for position in order {
            switch values.physicalType {
            case .int32: dictionary.int32s.append(values.int32s[position])
            case .int64: dictionary.int64s.append(values.int64s[position])
            case .float: dictionary.floats.append(values.floats[position])
            default: dictionary.doubles.append(values.doubles[position])
            }
        }
        return Result(dictionary: dictionary, indices: indices)
    }

    /// Open addressing over the value bytes, so that no value is copied into a key object.
    private static func bytes(_ values: DecodedValues, _ bytesMax: Int) -> Result? {
        let count = values.count
        var dictionary = DecodedValues(physicalType: values.physicalType, width: values.width)
        var capacity = 64
        var slots = [Int32](repeating: -1, count: capacity)
        var hashes: [UInt64] = []
        var indices = [UInt32](repeating: 0, count: count)
        var plainBytes = 0
        for position in 0..<count {
            let value = values.byteArray(at: position)
            let hash = fnv1a(value)
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            var found: Int32 = -1
            while slots[slot] >= 0 {
                let candidate = Int(slots[slot])
                if hashes[candidate] == hash && dictionary.byteArray(at: candidate).elementsEqual(value) {
                    found = Int32(candidate)
                    break
                }
                slot = (slot + 1) & (capacity - 1)
            }
            if found < 0 {
                found = Int32(hashes.count)
                slots[slot] = found
                hashes.append(hash)
                dictionary.bytes.append(contentsOf: value)
                if dictionary.physicalType == .byteArray {
                    dictionary.offsets.append(Int32(truncatingIfNeeded: dictionary.bytes.count))
                }
                plainBytes += value.count + 4
                if plainBytes > bytesMax { return nil }
                if hashes.count * 2 > capacity {
                    capacity *= 2
                    slots = [Int32](repeating: -1, count: capacity)
                    for (index, h) in hashes.enumerated() {
                        var s = Int(truncatingIfNeeded: h) & (capacity - 1)
                        while slots[s] >= 0 { s = (s + 1) & (capacity - 1) }
                        slots[s] = Int32(index)
                    }
                }
            }
            indices[position] = UInt32(found)
        }
        return Result(dictionary: dictionary, indices: indices)
    }

    private static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}
