import Columnar

/// How a leaf column's stored values become a Columnar type, following Spark's Parquet schema
/// converter (`ParquetToSparkSchemaConverter`) where Spark has a rule.
public enum ValueConversion: Sendable, Equatable {
    /// Values are used as stored (same width).
    case direct
    /// INT32 narrowed to int8 / int16.
    case narrowInt32
    /// Unsigned INT32 (UINT_32) widened to bigint.
    case unsignedInt32ToInt64
    /// Unsigned INT64 (UINT_64) widened to decimal(20,0).
    case unsignedInt64ToDecimal
    /// Timestamp with the given unit, converted to microseconds.
    case timestamp(TimeUnit)
    /// INT96 (nanoseconds of day + Julian day) converted to microseconds.
    case int96Timestamp
    /// Decimal stored in INT32 / INT64 / (FIXED_LEN_)BYTE_ARRAY, converted to unscaled Int128.
    case decimal
    /// FLOAT16 in FIXED_LEN_BYTE_ARRAY(2) widened to float.
    case float16
    /// UUID in FIXED_LEN_BYTE_ARRAY(16), rendered as its canonical 36-character string.
    case uuidString
}

extension ColumnDescriptor {
    /// The Columnar type of this leaf and the conversion its stored values need.
    public func columnarType() throws -> (DataType, ValueConversion) {
        let element = self.element
        if let logical = element.logicalType {
            if let mapped = try mapLogical(logical) { return mapped }
        } else if let converted = element.convertedType {
            if let mapped = try mapConverted(converted) { return mapped }
        }
        switch physicalType {
        case .boolean: return (.boolean, .direct)
        case .int32: return (.int32, .direct)
        case .int64: return (.int64, .direct)
        case .int96: return (.timestamp, .int96Timestamp)
        case .float: return (.float32, .direct)
        case .double: return (.float64, .direct)
        case .byteArray, .fixedLenByteArray: return (.binary, .direct)
        }
    }

    private func decimalType(precision: Int32, scale: Int32) throws -> (DataType, ValueConversion) {
        guard precision >= 1, precision <= Int32(DataType.decimalPrecisionMax), scale >= 0, scale <= precision else {
            throw ParquetError.unsupported("decimal(\(precision),\(scale)) is outside decimal(38)")
        }
        switch physicalType {
        case .int32, .int64, .byteArray, .fixedLenByteArray: break
        default: throw ParquetError.corrupt("decimal annotation on \(physicalType)")
        }
        if physicalType == .fixedLenByteArray && typeLength > 16 {
            throw ParquetError.unsupported("decimal in \(typeLength)-byte fixed values")
        }
        return (.decimal(precision: Int(precision), scale: Int(scale)), .decimal)
    }

    private func mapLogical(_ logical: LogicalType) throws -> (DataType, ValueConversion)? {
        switch logical {
        case .string, .enumeration, .json:
            guard physicalType == .byteArray || physicalType == .fixedLenByteArray else { return nil }
            return (.string, .direct)
        case .bson: return (.binary, .direct)
        case let .decimal(scale, precision): return try decimalType(precision: precision, scale: scale)
        case .date:
            guard physicalType == .int32 else { throw ParquetError.corrupt("DATE annotation on \(physicalType)") }
            return (.date, .direct)
        case let .timestamp(_, unit):
            guard physicalType == .int64 else { throw ParquetError.corrupt("TIMESTAMP annotation on \(physicalType)") }
            return (.timestamp, unit == .micros ? .direct : .timestamp(unit))
        case .time:
            // Spark has no TIME type; the value is kept as the stored integer.
            return nil
        case let .integer(bitWidth, signed):
            switch (physicalType, bitWidth, signed) {
            case (.int32, 8, true): return (.int8, .narrowInt32)
            case (.int32, 16, true): return (.int16, .narrowInt32)
            case (.int32, 32, true): return (.int32, .direct)
            case (.int32, 8, false): return (.int16, .narrowInt32)
            case (.int32, 16, false): return (.int32, .direct)
            case (.int32, 32, false): return (.int64, .unsignedInt32ToInt64)
            case (.int64, 64, true): return (.int64, .direct)
            case (.int64, 64, false): return (.decimal(precision: 20, scale: 0), .unsignedInt64ToDecimal)
            default: throw ParquetError.corrupt("INTEGER(\(bitWidth), \(signed)) annotation on \(physicalType)")
            }
        case .null:
            return (.null, .direct)
        case .uuid:
            guard physicalType == .fixedLenByteArray, typeLength == 16 else {
                throw ParquetError.corrupt("UUID annotation on a column that is not FIXED_LEN_BYTE_ARRAY(16)")
            }
            return (.string, .uuidString)
        case .float16:
            guard physicalType == .fixedLenByteArray, typeLength == 2 else {
                throw ParquetError.corrupt("FLOAT16 annotation on a column that is not FIXED_LEN_BYTE_ARRAY(2)")
            }
            return (.float32, .float16)
        case .map, .list, .other:
            return nil
        }
    }

    private func mapConverted(_ converted: ConvertedType) throws -> (DataType, ValueConversion)? {
        switch converted {
        case .utf8, .enumeration, .json: return physicalType == .byteArray ? (.string, .direct) : nil
        case .bson: return (.binary, .direct)
        case .decimal:
            return try decimalType(precision: element.precision ?? 0, scale: element.scale ?? 0)
        case .date: return physicalType == .int32 ? (.date, .direct) : nil
        case .timestampMillis: return physicalType == .int64 ? (.timestamp, .timestamp(.millis)) : nil
        case .timestampMicros: return physicalType == .int64 ? (.timestamp, .direct) : nil
        case .int8: return physicalType == .int32 ? (.int8, .narrowInt32) : nil
        case .int16: return physicalType == .int32 ? (.int16, .narrowInt32) : nil
        case .uint8: return physicalType == .int32 ? (.int16, .narrowInt32) : nil
        case .uint16: return physicalType == .int32 ? (.int32, .direct) : nil
        case .uint32: return physicalType == .int32 ? (.int64, .unsignedInt32ToInt64) : nil
        case .uint64: return physicalType == .int64 ? (.decimal(precision: 20, scale: 0), .unsignedInt64ToDecimal) : nil
        case .int32, .int64, .timeMillis, .timeMicros, .interval, .map, .mapKeyValue, .list: return nil
        }
    }
}
