/// Everything decoded from one column chunk: the dense non-null values and the levels that say where
/// they go (Dremel encoding). `definitionLevels` is empty when the column's maximum definition level is
/// 0 (every slot holds a value); `repetitionLevels` is empty when the maximum repetition level is 0.
public struct LeafColumnData: Sendable {
    /// The column this data belongs to.
    public let descriptor: ColumnDescriptor
    /// Non-null values in order.
    public var values: DecodedValues
    /// One definition level per slot (value or null or empty list).
    public var definitionLevels: [UInt8] = []
    /// One repetition level per slot.
    public var repetitionLevels: [UInt8] = []
    /// The number of slots (levels), including nulls.
    public var slotCount = 0
    /// For a decimal stored as INT32 or INT64: the non-null values already widened to 128 bits
    /// (then `values` stays empty), so the column is not gathered at 64 bits and widened again.
    public var decimals: [Int128]?
    /// When read for dictionary indices only: the chunk's dictionary, and for every non-null value
    /// (in order) its index into it (then `values` stays empty).
    public var dictionary: DecodedValues?
    /// See `dictionary`.
    public var dictionaryIndices: [UInt32] = []
    /// When read to judge a byte-array test (`ParquetReader.valueMask`): for every non-null value
    /// (in order) 1 if it passes, else 0 (then `values` stays empty).
    public var valuePasses: [UInt8] = []

    /// Empty data for `descriptor`.
    public init(descriptor: ColumnDescriptor) {
        self.descriptor = descriptor
        self.values = DecodedValues(physicalType: descriptor.physicalType, width: descriptor.typeLength)
    }
}
