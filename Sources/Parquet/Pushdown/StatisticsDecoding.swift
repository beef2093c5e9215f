import Columnar

/// Decodes PLAIN-encoded statistics bounds into scalars of the column's Columnar type.
enum StatisticsDecoding {
    /// The bound `bytes` of `descriptor` as a scalar, or nil if it cannot be interpreted.
    static func scalar(_ bytes: [UInt8], _ descriptor: ColumnDescriptor) -> Scalar? {
        guard let (type, conversion) = try? descriptor.columnarType() else { return nil }
        func load<T>(_: T.Type) -> T? {
            guard bytes.count == MemoryLayout<T>.size else { return nil }
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        }
        switch (descriptor.physicalType, conversion) {
        case (.boolean, _): return bytes.first.map { .boolean($0 != 0) }
        case (.int32, .decimal):
            guard case let .decimal(_, scale) = type, let v = load(Int32.self) else { return nil }
            return .decimal(DecimalValue(unscaled: Int128(v), scale: scale))
        case (.int32, .unsignedInt32ToInt64): return load(UInt32.self).map { .int(Int64($0)) }
        case (.int32, _):
            guard let v = load(Int32.self) else { return nil }
            return type == .date ? .date(v) : .int(Int64(v))
        case (.int64, .decimal):
            guard case let .decimal(_, scale) = type, let v = load(Int64.self) else { return nil }
            return .decimal(DecimalValue(unscaled: Int128(v), scale: scale))
        case (.int64, .unsignedInt64ToDecimal):
            return load(UInt64.self).map { .decimal(DecimalValue(unscaled: Int128($0), scale: 0)) }
        case (.int64, .timestamp(let unit)):
            guard let v = load(Int64.self) else { return nil }
            switch unit {
            case .millis: return .timestamp(v &* 1000)
            case .micros: return .timestamp(v)
            case .nanos: return .timestamp(v >= 0 ? v / 1000 : (v - 999) / 1000)
            }
        case (.int64, _):
            guard let v = load(Int64.self) else { return nil }
            return type == .timestamp ? .timestamp(v) : .int(v)
        case (.float, .direct): return load(Float.self).map { .double(Double($0)) }
        case (.double, _): return load(Double.self).map { .double($0) }
        case (.byteArray, .decimal), (.fixedLenByteArray, .decimal):
            guard case let .decimal(_, scale) = type, bytes.count <= 16, let first = bytes.first else { return nil }
            var value: Int128 = first >= 0x80 ? -1 : 0
            for byte in bytes { value = value << 8 | Int128(byte) }
            return .decimal(DecimalValue(unscaled: value, scale: scale))
        case (.byteArray, .direct), (.fixedLenByteArray, .direct):
            if type == .string { return .string(String(decoding: bytes, as: UTF8.self)) }
            return .binary(bytes)
        default:
            // INT96, FLOAT16 and UUID statistics are not used for pruning.
            return nil
        }
    }
}
