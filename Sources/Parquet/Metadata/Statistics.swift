/// Column chunk or page statistics. Bounds are PLAIN-encoded values (byte arrays without length).
public struct Statistics: Sendable, Equatable {
    /// Deprecated signed-order maximum.
    public var legacyMax: [UInt8]?
    /// Deprecated signed-order minimum.
    public var legacyMin: [UInt8]?
    /// Number of nulls; absent means unknown, not zero.
    public var nullCount: Int64?
    /// Number of distinct values, if the writer counted them.
    public var distinctCount: Int64?
    /// Maximum in the column's order (`max_value`).
    public var maxValue: [UInt8]?
    /// Minimum in the column's order (`min_value`).
    public var minValue: [UInt8]?

    /// Creates statistics.
    public init(
        nullCount: Int64? = nil, distinctCount: Int64? = nil, minValue: [UInt8]? = nil, maxValue: [UInt8]? = nil
    ) {
        self.nullCount = nullCount
        self.distinctCount = distinctCount
        self.minValue = minValue
        self.maxValue = maxValue
    }

    static func read(_ reader: inout ThriftCompactReader) throws -> Statistics {
        try reader.beginStruct()
        var stats = Statistics()
        while let field = try reader.nextField() {
            switch field.id {
            case 1: stats.legacyMax = try reader.readBinary()
            case 2: stats.legacyMin = try reader.readBinary()
            case 3: stats.nullCount = try reader.readI64()
            case 4: stats.distinctCount = try reader.readI64()
            case 5: stats.maxValue = try reader.readBinary()
            case 6: stats.minValue = try reader.readBinary()
            default: try reader.skip(field.type)
            }
        }
        reader.endStruct()
        return stats
    }

    func write(_ writer: inout ThriftCompactWriter, fieldId: Int16) {
        writer.beginStructField(fieldId)
        if let legacyMax { writer.field(1, binary: legacyMax) }
        if let legacyMin { writer.field(2, binary: legacyMin) }
        if let nullCount { writer.field(3, i64: nullCount) }
        if let distinctCount { writer.field(4, i64: distinctCount) }
        if let maxValue { writer.field(5, binary: maxValue) }
        if let minValue { writer.field(6, binary: minValue) }
        writer.endStruct()
    }
}
