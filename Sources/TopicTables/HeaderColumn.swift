import Columnar

/// The `headers` column of the Kafka source and sink: `array<struct<key:string,value:binary>>`,
/// as in Spark.
enum HeaderColumn {
    /// The struct of one header.
    static let entry = DataType.struct([Field("key", .string), Field("value", .binary)])
    /// The column type.
    static let type: DataType? = .array(element: entry, containsNull: true)
}
