/// Units of time and timestamp logical types.
public enum TimeUnit: Sendable, Equatable {
    case millis, micros, nanos
}

/// The logical type annotation of a schema node (`LogicalType` union in parquet.thrift).
public enum LogicalType: Sendable, Equatable {
    case string
    case map
    case list
    case enumeration
    case decimal(scale: Int32, precision: Int32)
    case date
    case time(isAdjustedToUTC: Bool, unit: TimeUnit)
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)
    case integer(bitWidth: Int8, isSigned: Bool)
    /// Always null (`UNKNOWN` in the thrift file).
    case null
    case json
    case bson
    case uuid
    case float16
    /// A union member this reader does not know; the field id is kept for messages.
    case other(fieldId: Int16)

    static func read(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        try reader.beginStruct()
        var result: LogicalType?
        while let field = try reader.nextField() {
            guard field.type == .structure else {
                try reader.skip(field.type)
                continue
            }
            switch field.id {
            case 1: result = .string; try reader.skip(.structure)
            case 2: result = .map; try reader.skip(.structure)
            case 3: result = .list; try reader.skip(.structure)
            case 4: result = .enumeration; try reader.skip(.structure)
            case 5: result = try readDecimal(&reader)
            case 6: result = .date; try reader.skip(.structure)
            case 7:
                let (adjusted, unit) = try readTimeLike(&reader)
                result = .time(isAdjustedToUTC: adjusted, unit: unit)
            case 8:
                let (adjusted, unit) = try readTimeLike(&reader)
                result = .timestamp(isAdjustedToUTC: adjusted, unit: unit)
            case 10: result = try readInteger(&reader)
            case 11: result = .null; try reader.skip(.structure)
            case 12: result = .json; try reader.skip(.structure)
            case 13: result = .bson; try reader.skip(.structure)
            case 14: result = .uuid; try reader.skip(.structure)
            case 15: result = .float16; try reader.skip(.structure)
            default: result = .other(fieldId: field.id); try reader.skip(.structure)
            }
        }
        reader.endStruct()
        guard let result else { throw ParquetError.corrupt("empty logical type union") }
        return result
    }

    private static func readDecimal(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        try reader.beginStruct()
        var scale: Int32 = 0
        var precision: Int32?
        while let field = try reader.nextField() {
            switch field.id {
            case 1: scale = try reader.readI32()
            case 2: precision = try reader.readI32()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        guard let precision else { throw ParquetError.corrupt("decimal logical type without precision") }
        return .decimal(scale: scale, precision: precision)
    }

    private static func readTimeLike(_ reader: inout ThriftCompactReader) throws -> (Bool, TimeUnit) {
        try reader.beginStruct()
        var adjusted = false
        var unit = TimeUnit.millis
        while let field = try reader.nextField() {
            switch field.id {
            case 1: adjusted = try reader.readBool()
            case 2:
                try reader.beginStruct()
                while let unitField = try reader.nextField() {
                    switch unitField.id {
                    case 1: unit = .millis
                    case 2: unit = .micros
                    case 3: unit = .nanos
                    default: break
                    }
                    try reader.skip(unitField.type)
                }
                reader.endStruct()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return (adjusted, unit)
    }

    private static func readInteger(_ reader: inout ThriftCompactReader) throws -> LogicalType {
        try reader.beginStruct()
        var bitWidth: Int8 = 32
        var signed = true
        while let field = try reader.nextField() {
            switch field.id {
            case 1: bitWidth = try reader.readI8()
            case 2: signed = try reader.readBool()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return .integer(bitWidth: bitWidth, isSigned: signed)
    }

    func write(_ writer: inout ThriftCompactWriter, fieldId: Int16) {
        writer.beginStructField(fieldId)
        func empty(_ id: Int16) {
            writer.beginStructField(id)
            writer.endStruct()
        }
        func unitStruct(_ unit: TimeUnit) {
            writer.beginStructField(2)
            switch unit {
            case .millis: empty(1)
            case .micros: empty(2)
            case .nanos: empty(3)
            }
            writer.endStruct()
        }
        switch self {
        case .string: empty(1)
        case .map: empty(2)
        case .list: empty(3)
        case .enumeration: empty(4)
        case let .decimal(scale, precision):
            writer.beginStructField(5)
            writer.field(1, i32: scale)
            writer.field(2, i32: precision)
            writer.endStruct()
        case .date: empty(6)
        case let .time(adjusted, unit):
            writer.beginStructField(7)
            writer.field(1, bool: adjusted)
            unitStruct(unit)
            writer.endStruct()
        case let .timestamp(adjusted, unit):
            writer.beginStructField(8)
            writer.field(1, bool: adjusted)
            unitStruct(unit)
            writer.endStruct()
        case let .integer(bitWidth, signed):
            writer.beginStructField(10)
            writer.field(1, i8: bitWidth)
            writer.field(2, bool: signed)
            writer.endStruct()
        case .null: empty(11)
        case .json: empty(12)
        case .bson: empty(13)
        case .uuid: empty(14)
        case .float16: empty(15)
        case let .other(id): empty(id)
        }
        writer.endStruct()
    }
}
