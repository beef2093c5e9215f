import Columnar

/// Turns the decoded values and definition levels of a non-repeated leaf into a `ColumnVector`:
/// scatters the dense values to their slots, builds the validity bitmap, and applies the logical
/// type conversion (units, decimals, unsigned widening, INT96, FLOAT16, UUID).
enum ColumnAssembler {
    static func assemble(_ data: LeafColumnData) throws -> ColumnVector {
        let descriptor = data.descriptor
        guard descriptor.maxRepetitionLevel == 0 else {
            throw ParquetError.unsupported("repeated column \(descriptor.dottedPath) cannot be read as a flat column")
        }
        let (type, conversion) = try descriptor.columnarType()
        let slots = data.slotCount
        let values = data.values
        let present = data.decimals?.count ?? values.count
        // Slot positions of present values: nil when every slot is present.
        var validity: Bitmap?
        if descriptor.maxDefinitionLevel > 0 && present != slots {
            validity = makeValidity(data.definitionLevels, maxLevel: UInt8(descriptor.maxDefinitionLevel))
        }
        if type == .null {
            return ColumnVector(type: .null, count: slots, storage: .null, validity: nil)
        }
        if let decimals = data.decimals {
            return ColumnVector(type: type, count: slots, storage: .decimal(scatter(decimals, validity, slots)), validity: validity)
        }
        let storage: ColumnStorage
        switch (values.physicalType, conversion) {
        case (.boolean, _):
            storage = .boolean(makeBooleans(values.bools, validity, slots))
        case (.int32, .direct):
            storage = .int32(scatter(values.int32s, validity, slots))
        case (.int32, .narrowInt32):
            let dense = values.int32s
            if type == .int8 {
                storage = .int8(scatter(dense.map { Int8(truncatingIfNeeded: $0) }, validity, slots))
            } else {
                storage = .int16(scatter(dense.map { Int16(truncatingIfNeeded: $0) }, validity, slots))
            }
        case (.int32, .unsignedInt32ToInt64):
            storage = .int64(scatter(values.int32s.map { Int64(UInt32(bitPattern: $0)) }, validity, slots))
        case (.int32, .decimal):
            storage = .decimal(scatter(values.int32s.map { Int128($0) }, validity, slots))
        case (.int64, .direct):
            storage = .int64(scatter(values.int64s, validity, slots))
        case (.int64, .timestamp(let unit)):
            let dense: [Int64]
            switch unit {
            case .millis: dense = values.int64s.map { $0 &* 1000 }
            case .micros: dense = values.int64s
            case .nanos: dense = values.int64s.map { floorDivide($0, 1000) }
            }
            storage = .int64(scatter(dense, validity, slots))
        case (.int64, .decimal):
            storage = .decimal(scatter(values.int64s.map { Int128($0) }, validity, slots))
        case (.int64, .unsignedInt64ToDecimal):
            storage = .decimal(scatter(values.int64s.map { Int128(UInt64(bitPattern: $0)) }, validity, slots))
        case (.int96, _):
            storage = .int64(scatter(int96Micros(values), validity, slots))
        case (.float, _):
            storage = .float32(scatter(values.floats, validity, slots))
        case (.double, _):
            storage = .float64(scatter(values.doubles, validity, slots))
        case (.byteArray, .decimal), (.fixedLenByteArray, .decimal):
            storage = .decimal(scatter(try bigEndianDecimals(values), validity, slots))
        case (.fixedLenByteArray, .float16):
            storage = .float32(scatter(float16s(values), validity, slots))
        case (.fixedLenByteArray, .uuidString):
            let (offsets, bytes) = uuidStrings(values)
            storage = scatterBytes(offsets, bytes, validity, slots)
        case (.byteArray, _):
            storage = scatterBytes(values.offsets, values.bytes, validity, slots)
        case (.fixedLenByteArray, _):
            let width = values.width
            let offsets = (0...present).map { Int32(truncatingIfNeeded: $0 * width) }
            storage = scatterBytes(offsets, values.bytes, validity, slots)
        default:
            throw ParquetError.unsupported("\(values.physicalType) values as \(type)")
        }
        return ColumnVector(type: type, count: slots, storage: storage, validity: validity)
    }

    // MARK: scattering

    private static func makeValidity(_ levels: [UInt8], maxLevel: UInt8) -> Bitmap {
        var words = [UInt64](repeating: 0, count: (levels.count + 63) >> 6)
        levels.withUnsafeBufferPointer { l in
            words.withUnsafeMutableBufferPointer { w in
                for index in 0..<l.count where l[index] == maxLevel {
                    w[index >> 6] |= UInt64(1) << UInt64(index & 63)
                }
            }
        }
        return Bitmap(words: words, count: levels.count)
    }

    /// Spreads dense values over `slots`, leaving zero in null slots.
    private static func scatter<T: Numeric>(_ dense: [T], _ validity: Bitmap?, _ slots: Int) -> [T] {
        guard let validity else { return dense }
        var out = [T](repeating: .zero, count: slots)
        dense.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                var next = 0
                for slot in 0..<slots where validity[slot] {
                    o[slot] = d[next]
                    next += 1
                }
            }
        }
        return out
    }

    private static func makeBooleans(_ dense: [UInt8], _ validity: Bitmap?, _ slots: Int) -> Bitmap {
        var words = [UInt64](repeating: 0, count: (slots + 63) >> 6)
        dense.withUnsafeBufferPointer { d in
            words.withUnsafeMutableBufferPointer { w in
                var next = 0
                for slot in 0..<slots {
                    if let validity, !validity[slot] { continue }
                    if d[next] != 0 { w[slot >> 6] |= UInt64(1) << UInt64(slot & 63) }
                    next += 1
                }
            }
        }
        return Bitmap(words: words, count: slots)
    }

    private static func scatterBytes(_ offsets: [Int32], _ bytes: [UInt8], _ validity: Bitmap?, _ slots: Int) -> ColumnStorage {
        guard let validity else { return .bytes(offsets: offsets, data: bytes) }
        var out = [Int32](repeating: 0, count: slots + 1)
        offsets.withUnsafeBufferPointer { d in
            out.withUnsafeMutableBufferPointer { o in
                var next = 0
                for slot in 0..<slots {
                    if validity[slot] { next += 1 }
                    o[slot + 1] = d[next]
                }
            }
        }
        return .bytes(offsets: out, data: bytes)
    }

    // MARK: conversions

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor < 0) ? quotient - 1 : quotient
    }

    /// INT96: 8 bytes of nanoseconds within the day, then the Julian day number, both little-endian.
    private static func int96Micros(_ values: DecodedValues) -> [Int64] {
        let count = values.count
        var out = [Int64](repeating: 0, count: count)
        let julianEpochDay: Int64 = 2_440_588
        values.bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                let nanos = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 12, as: Int64.self))
                let day = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 12 + 8, as: Int32.self)))
                out[index] = (day &- julianEpochDay) &* 86_400_000_000 &+ floorDivide(nanos, 1000)
            }
        }
        return out
    }

    /// Big-endian two's complement unscaled decimals (BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY).
    private static func bigEndianDecimals(_ values: DecodedValues) throws -> [Int128] {
        let count = values.count
        var out = [Int128](repeating: 0, count: count)
        for index in 0..<count {
            let bytes = values.byteArray(at: index)
            guard bytes.count <= 16 else {
                throw ParquetError.unsupported("decimal value of \(bytes.count) bytes does not fit 128 bits")
            }
            guard let first = bytes.first else { continue }
            var value: Int128 = first >= 0x80 ? -1 : 0
            for byte in bytes { value = value << 8 | Int128(byte) }
            out[index] = value
        }
        return out
    }

    private static func float16s(_ values: DecodedValues) -> [Float] {
        let count = values.count
        var out = [Float](repeating: 0, count: count)
        for index in 0..<count {
            let bits = UInt16(values.bytes[index * 2]) | UInt16(values.bytes[index * 2 + 1]) << 8
            out[index] = halfToFloat(bits)
        }
        return out
    }

    /// IEEE 754 binary16 to binary32.
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * Float(sign: .plus, exponent: -24, significand: 1)
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    private static func uuidStrings(_ values: DecodedValues) -> ([Int32], [UInt8]) {
        let count = values.count
        let hex = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 36)
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(count + 1)
        for index in 0..<count {
            for k in 0..<16 {
                if k == 4 || k == 6 || k == 8 || k == 10 { bytes.append(UInt8(ascii: "-")) }
                let byte = values.bytes[index * 16 + k]
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
            offsets.append(Int32(truncatingIfNeeded: bytes.count))
        }
        return (offsets, bytes)
    }
}
